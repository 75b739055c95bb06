// delegation-to-inactive: delegations in force at the audit's time, by scope, to deputies who are away.
import t from 'tap'
import { delegationToInactive } from '../../../src/audit/rules/delegation-to-inactive.js'
import { registry, ruleTable } from '../model-builder.js'

const AWAY = '2025-10-01T00:00:00.000Z'
const org = () => registry().people('ada', 'bob').domain('pricing').initiative('tiers', { domainId: 'pricing' })

ruleTable(t, delegationToInactive, {
  valid: [
    { name: 'to an active deputy', registry: org().delegate('ada', 'bob') },
    { name: 'to a deputy away, but the delegation ended before', registry: org().status('bob', 'on_leave', AWAY).delegate('ada', 'bob', { validTo: AWAY }) },
    { name: 'to a deputy away, but the delegation starts later', registry: org().person('ret', { status: 'retired' }).delegate('ada', 'ret', { validFrom: '2026-05-01T00:00:00.000Z' }) },
    { name: 'to a deputy who is back', registry: org().status('bob', 'on_leave', AWAY).status('bob', 'active', '2025-12-01T00:00:00.000Z').delegate('ada', 'bob') }
  ],
  invalid: [
    {
      name: 'everything, to a deputy on leave',
      registry: org().status('bob', 'on_leave', AWAY).delegate('ada', 'bob', { id: 'd1' }),
      findings: [{ subject: 'delegation:d1', related: ['person:ada', 'person:bob'], message: 'Ada delegates all their authority to Bob (deputy), who is on leave' }]
    },
    {
      name: 'an initiative and a domain, to people who left',
      registry: org().person('cy', { status: 'departed', name: 'Cy' }).person('di', { status: 'retired', name: 'Di' })
        .delegate('ada', 'cy', { initiative: 'tiers', id: 'd1' }).delegate('bob', 'di', { domain: 'pricing', id: 'd2' }),
      findings: [
        { subject: 'delegation:d1', related: ['person:ada', 'person:cy', 'initiative:tiers'], message: 'Ada delegates the decision on "Tiers" to Cy (deputy), who is departed' },
        { subject: 'delegation:d2', related: ['person:bob', 'person:di', 'domain:pricing'], message: 'Bob delegates the decision on domain "Pricing" to Di (deputy), who is retired' }
      ]
    },
    {
      name: 'a transfer to someone on leave',
      registry: org().status('bob', 'on_leave', AWAY).delegate('ada', 'bob', { initiative: 'tiers', id: 'd1', kind: 'transfer' }),
      findings: [{
        subject: 'delegation:d1', related: ['person:ada', 'person:bob', 'initiative:tiers'],
        message: 'Ada transfers the decision on "Tiers" to Bob, who is on leave: while the transfer holds, Ada cannot decide either',
        data: { kind: 'transfer' }
      }]
    }
  ]
})

t.test('the finding says what to do, by kind', async (t) => {
  const away = () => org().status('bob', 'on_leave', AWAY)
  t.strictSame(delegationToInactive.check(away().delegate('ada', 'bob', { id: 'd1' }).model(), {}).map((f) => f.remediation),
    ['End the delegation d1 and name an active deputy for Ada instead of Bob, or have Ada take the authority back.'])
  t.strictSame(delegationToInactive.check(away().delegate('ada', 'bob', { id: 'd1', kind: 'transfer' }).model(), {}).map((f) => f.remediation),
    ['End the transfer d1 so that Ada decides again, or transfer all their authority to an active person instead of Bob.'])
})
