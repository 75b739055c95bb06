// decider-overload: live initiatives per effective decider (direct, inherited, delegated) against maxInitiatives.
import t from 'tap'
import { deciderOverload } from '../../../src/audit/rules/decider-overload.js'
import { registry, ruleTable, type RegistryBuilder } from '../model-builder.js'

/** n initiatives i01… in the domain ops (whose A is Ada), with the given status. */
const initiatives = (r: RegistryBuilder, n: number, status: 'active' | 'done' = 'active', from = 1): RegistryBuilder => {
  for (let i = from; i < from + n; i++) r.initiative(`i${String(i).padStart(2, '0')}`, { domainId: 'ops', status })
  return r
}
const org = () => registry().people('ada', 'bob').domain('ops').assign('ada', 'A', { domain: 'ops' })
const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => `initiative:i${String(from + k).padStart(2, '0')}`)

ruleTable(t, deciderOverload, {
  valid: [
    { name: 'fifteen', registry: initiatives(org(), 15) },
    { name: 'fifteen live and five done', registry: initiatives(initiatives(org(), 15), 5, 'done', 16) },
    { name: 'twenty with maxInitiatives 20', registry: initiatives(org(), 20), options: { maxInitiatives: 20 } }
  ],
  invalid: [
    {
      name: 'sixteen through the domain',
      registry: initiatives(org(), 16),
      findings: [{ subject: 'person:ada', related: ids(1, 16), message: 'Ada is the final decider of 16 live initiatives (more than 15)',
        remediation: 'Have Ada delegate domain "Ops" (16 of their 16 initiatives) to the person closest to it, or split it so that each part has its own Accountable person, ' +
          'so that they decide at most 15',
        data: { initiatives: 16, maxInitiatives: 15 } }]
    },
    {
      name: 'a deputy of a decider on leave takes the load; two deciders of an ambiguous initiative both count',
      registry: initiatives(org(), 3).status('ada', 'on_leave', '2025-01-01T00:00:00.000Z').delegate('ada', 'bob')
        .person('cyd').initiative('x').assign('cyd', 'A', { initiative: 'x' }).assign('bob', 'A', { initiative: 'x' }),
      options: { maxInitiatives: 1 },
      findings: [{ subject: 'person:bob', related: ids(1, 3).concat('initiative:x'), message: 'Bob is the final decider of 4 live initiatives (more than 1)',
        remediation: 'Have Bob delegate domain "Ops" (3 of their 4 initiatives) to the person closest to it, or split it so that each part has its own Accountable person, ' +
          'so that they decide at most 1',
        data: { initiatives: 4, maxInitiatives: 1 } }]
    }
  ]
})
