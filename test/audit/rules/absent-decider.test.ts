// absent-decider: deciders away at the audit's time (by recorded status or timeline), with or without a working delegation.
import t from 'tap'
import { absentDecider } from '../../../src/audit/rules/absent-decider.js'
import { registry, ruleTable } from '../model-builder.js'

const LEAVE = '2025-09-01T00:00:00.000Z'
const base = () => registry().people('ada', 'bob', 'cyd').initiative('tiers')

ruleTable(t, absentDecider, {
  valid: [
    { name: 'an active Accountable', registry: base().assign('ada', 'A', { initiative: 'tiers' }) },
    {
      name: 'on leave, with a delegation to an active deputy',
      registry: base().status('ada', 'on_leave', LEAVE).delegate('ada', 'bob', { initiative: 'tiers' }).assign('ada', 'A', { initiative: 'tiers' })
    },
    {
      name: 'one of a pool away, the other there',
      registry: base().initiative('pool', { decisionRule: 'pool' }).status('ada', 'on_leave', LEAVE)
        .assign('ada', 'A', { initiative: 'pool' }).assign('bob', 'A', { initiative: 'pool' })
    },
    {
      name: 'back from leave before the audit',
      registry: base().status('ada', 'on_leave', LEAVE).status('ada', 'active', '2025-12-01T00:00:00.000Z').assign('ada', 'A', { initiative: 'tiers' })
    },
    { name: 'away, but the initiative is decided', registry: registry().person('ada', { status: 'retired' }).initiative('old', { status: 'decided' }).assign('ada', 'A', { initiative: 'old' }) },
    { name: 'no Accountable at all is no-final-decider\'s business', registry: base() }
  ],
  invalid: [
    {
      name: 'retired, no delegation',
      registry: registry().person('ada', { status: 'retired' }).initiative('tiers').assign('ada', 'A', { initiative: 'tiers' }),
      findings: [{ subject: 'initiative:tiers', related: ['person:ada'], message: 'No one can decide "Tiers": Ada is retired, with no delegation to an active deputy',
        remediation: 'Record a delegation from Ada to an active deputy for "Tiers" while they are away, or end the Accountable role of Ada and name an active successor' }]
    },
    {
      name: 'both of a pool away (one by its timeline), and the delegation of one goes to someone away too',
      registry: base().initiative('pool', { decisionRule: 'pool' }).status('ada', 'on_leave', LEAVE).status('bob', 'departed', LEAVE)
        .status('cyd', 'on_leave', LEAVE).delegate('ada', 'cyd').assign('ada', 'A', { initiative: 'pool' }).assign('bob', 'A', { initiative: 'pool' }),
      findings: [{ subject: 'initiative:pool', related: ['person:ada', 'person:bob'], message: 'No one can decide "Pool": Ada is on leave and Bob is departed, with no delegation to an active deputy',
        remediation: 'Record a delegation from Ada or Bob to an active deputy for "Pool" while they are away, or end their Accountable roles and name an active successor' }]
    },
    {
      name: 'a delegation that ended before the audit',
      registry: base().status('ada', 'on_leave', LEAVE).delegate('ada', 'bob', { validTo: LEAVE }).assign('ada', 'A', { initiative: 'tiers' }),
      findings: [{ subject: 'initiative:tiers', related: ['person:ada'], message: 'No one can decide "Tiers": Ada is on leave, with no delegation to an active deputy' }]
    }
  ]
})
