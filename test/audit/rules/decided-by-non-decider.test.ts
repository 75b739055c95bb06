// decided-by-non-decider: who could decide at decidedAt (not at the audit's time), including deputies and nobody.
import t from 'tap'
import { decidedByNonDecider } from '../../../src/audit/rules/decided-by-non-decider.js'
import { registry, ruleTable } from '../model-builder.js'

const HANDOVER = '2024-01-01T00:00:00.000Z'
const BEFORE = '2023-06-01T00:00:00.000Z'
const AFTER = '2024-06-01T00:00:00.000Z'
/** Ada decided Tiers until the handover, Bob since. */
const org = () => registry().people('ada', 'bob', 'cyd').initiative('tiers', { status: 'decided' })
  .assign('ada', 'A', { initiative: 'tiers', validTo: HANDOVER }).assign('bob', 'A', { initiative: 'tiers', validFrom: HANDOVER })

ruleTable(t, decidedByNonDecider, {
  valid: [
    { name: 'Ada before the handover, Bob after', registry: org().decision('tiers', 'ada', { decidedAt: BEFORE }).decision('tiers', 'bob', { decidedAt: AFTER }) },
    {
      name: 'a deputy while the decider was on leave',
      registry: org().status('bob', 'on_leave', '2024-05-01T00:00:00.000Z').status('bob', 'active', '2024-07-01T00:00:00.000Z').delegate('bob', 'cyd')
        .decision('tiers', 'cyd', { decidedAt: AFTER })
    },
    {
      name: 'one of two ambiguous deciders (multiple-final-deciders reports the ambiguity)',
      registry: registry().people('ada', 'bob').initiative('x').assign('ada', 'A', { initiative: 'x' }).assign('bob', 'A', { initiative: 'x' }).decision('x', 'bob')
    },
    { name: 'a decision recorded as made after the audit\'s time', registry: org().decision('tiers', 'cyd', { decidedAt: '2026-02-01T00:00:00.000Z' }) }
  ],
  invalid: [
    {
      name: 'Bob decided before he took over',
      registry: org().decision('tiers', 'bob', { decidedAt: BEFORE, id: 'r1' }),
      findings: [{ subject: 'decision:r1', related: ['initiative:tiers', 'person:bob'], message: `Bob decided "Tiers" on 1 June 2023, but the effective decider then was Ada` }]
    },
    {
      name: 'Ada decided after she handed over, though she is still the decider of record elsewhere',
      registry: org().decision('tiers', 'ada', { decidedAt: AFTER, id: 'r2' }),
      findings: [{ subject: 'decision:r2', related: ['initiative:tiers', 'person:ada'], message: `Ada decided "Tiers" on 1 June 2024, but the effective decider then was Bob` }]
    },
    {
      name: 'a decision on an initiative nobody could decide, and one by a deputy named only after the decision',
      registry: registry().people('ada', 'bob').initiative('x').initiative('y').decision('x', 'ada', { id: 'r1', decidedAt: AFTER })
        .assign('ada', 'A', { initiative: 'y' }).status('ada', 'on_leave', HANDOVER).delegate('ada', 'bob', { validFrom: '2025-01-01T00:00:00.000Z' })
        .decision('y', 'bob', { id: 'r2', decidedAt: AFTER }),
      findings: [
        { subject: 'decision:r1', related: ['initiative:x', 'person:ada'], message: `Ada decided "X" on 1 June 2024, but no one could decide it then` },
        { subject: 'decision:r2', related: ['initiative:y', 'person:bob'], message: `Bob decided "Y" on 1 June 2024, but no one could decide it then` }
      ]
    },
    {
      name: 'a deferral by someone who could not decide is judged too',
      registry: org().decision('tiers', 'cyd', { id: 'r3', decidedAt: AFTER, kind: 'deferral' }),
      findings: [{ subject: 'decision:r3', related: ['initiative:tiers', 'person:cyd'], message: 'Cyd deferred "Tiers" on 1 June 2024, but the effective decider then was Bob' }]
    }
  ]
})
