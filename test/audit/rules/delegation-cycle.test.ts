// delegation-cycle: loops of delegations in force, each once, only where a lookup would follow them (common target, most specific).
import t from 'tap'
import { delegationCycle } from '../../../src/audit/rules/delegation-cycle.js'
import { registry, ruleTable } from '../model-builder.js'

/** company ← sales ← pricing (with the initiative tiers), and company ← hiring (with roles). */
const org = () => registry().people('ada', 'bob', 'cyd').domain('company').domain('sales', { parentId: 'company' })
  .domain('pricing', { parentId: 'sales' }).domain('hiring', { parentId: 'company' })
  .initiative('tiers', { domainId: 'pricing' }).initiative('roles', { domainId: 'hiring' })
const loop = (people: string[], ids: string[]) => ({
  subject: `delegation:${[...ids].sort()[0]!}`,
  related: [...new Set(people)].map((id) => `person:${id}`).concat(ids.map((id) => `delegation:${id}`))
})

ruleTable(t, delegationCycle, {
  valid: [
    { name: 'a chain without a loop', registry: org().delegate('ada', 'bob').delegate('bob', 'cyd') },
    { name: 'back and forth for two different initiatives', registry: org().delegate('ada', 'bob', { initiative: 'tiers' }).delegate('bob', 'ada', { initiative: 'roles' }) },
    { name: 'back and forth for two unrelated domains', registry: org().delegate('ada', 'bob', { domain: 'pricing' }).delegate('bob', 'ada', { domain: 'hiring' }) },
    { name: 'a domain, then an initiative outside it', registry: org().delegate('ada', 'bob', { domain: 'hiring' }).delegate('bob', 'ada', { initiative: 'tiers' }) },
    { name: 'an initiative, then a domain it is not in', registry: org().delegate('ada', 'bob', { initiative: 'tiers' }).delegate('bob', 'ada', { domain: 'hiring' }) },
    {
      name: 'the way back covers the initiative, but a lookup follows a nearer delegation of the same person',
      registry: org().delegate('ada', 'bob', { initiative: 'tiers' }).delegate('bob', 'ada', { domain: 'sales' }).delegate('bob', 'cyd', { domain: 'pricing' })
    },
    { name: 'the way back ended before the audit', registry: org().delegate('ada', 'bob').delegate('bob', 'ada', { validTo: '2025-01-01T00:00:00.000Z' }) }
  ],
  invalid: [
    {
      name: 'two people for everything',
      registry: org().delegate('ada', 'bob', { id: 'd2' }).delegate('bob', 'ada', { id: 'd1' }),
      findings: [{ ...loop(['ada', 'bob'], ['d1', 'd2']), message: 'Deputy delegations go round in a loop: Ada → Bob → Ada' }]
    },
    {
      name: 'three people: an initiative, a domain above it, everything',
      registry: org().delegate('ada', 'bob', { initiative: 'tiers', id: 'd1' }).delegate('bob', 'cyd', { domain: 'sales', id: 'd2' }).delegate('cyd', 'ada', { id: 'd3' }),
      findings: [{ ...loop(['ada', 'bob', 'cyd'], ['d1', 'd2', 'd3']), message: 'Deputy delegations go round in a loop: Ada → Bob → Cyd → Ada' }]
    },
    {
      name: 'a domain and the initiative in it; a domain and one above it; and the reverse',
      registry: registry().people('ada', 'bob', 'kim', 'lee', 'max', 'ned').domain('company').domain('pricing', { parentId: 'company' }).initiative('tiers', { domainId: 'pricing' })
        .delegate('ada', 'bob', { domain: 'company', id: 'd1' }).delegate('bob', 'ada', { initiative: 'tiers', id: 'd2' })
        .delegate('kim', 'lee', { domain: 'pricing', id: 'd3' }).delegate('lee', 'kim', { domain: 'company', id: 'd4' })
        .delegate('max', 'ned', { domain: 'company', id: 'd5' }).delegate('ned', 'max', { domain: 'pricing', id: 'd6' }),
      findings: [
        { ...loop(['ada', 'bob'], ['d1', 'd2']), message: 'Deputy delegations go round in a loop: Ada → Bob → Ada' },
        { ...loop(['kim', 'lee'], ['d3', 'd4']), message: 'Deputy delegations go round in a loop: Kim → Lee → Kim' },
        { ...loop(['max', 'ned'], ['d5', 'd6']), message: 'Deputy delegations go round in a loop: Max → Ned → Max' }
      ]
    },
    {
      name: 'a loop that does not pass through the first person is found once, from its lowest',
      registry: org().delegate('ada', 'bob', { id: 'd1' }).delegate('bob', 'cyd', { id: 'd2' }).delegate('cyd', 'bob', { id: 'd3' }),
      findings: [{ ...loop(['bob', 'cyd'], ['d2', 'd3']), message: 'Deputy delegations go round in a loop: Bob → Cyd → Bob' }]
    },
    {
      name: 'two delegations the same way make two loops',
      registry: org().delegate('ada', 'bob', { initiative: 'tiers', id: 'd1' }).delegate('ada', 'bob', { id: 'd2' }).delegate('bob', 'ada', { id: 'd3' }),
      findings: [
        { ...loop(['ada', 'bob'], ['d1', 'd3']), message: 'Deputy delegations go round in a loop: Ada → Bob → Ada' },
        { ...loop(['ada', 'bob'], ['d2', 'd3']), message: 'Deputy delegations go round in a loop: Ada → Bob → Ada' }
      ]
    },
    {
      name: 'transfers in a loop',
      registry: org().delegate('ada', 'bob', { id: 'd1', kind: 'transfer' }).delegate('bob', 'ada', { id: 'd2', kind: 'transfer' }),
      findings: [{ ...loop(['ada', 'bob'], ['d1', 'd2']), message: 'Transfers of authority go round in a loop: Ada → Bob → Ada', data: { delegationIds: ['d1', 'd2'], kinds: ['transfer', 'transfer'] } }]
    },
    {
      name: 'a deputy and a transfer in a loop',
      registry: org().delegate('ada', 'bob', { id: 'd1' }).delegate('bob', 'ada', { id: 'd2', kind: 'transfer' }),
      findings: [{ ...loop(['ada', 'bob'], ['d1', 'd2']), message: 'Delegations (deputies and transfers) go round in a loop: Ada → Bob → Ada' }]
    },
    {
      name: 'a loop of transfers that a more specific deputy hides while everyone is away',
      registry: org().delegate('ada', 'cyd', { id: 'd1', initiative: 'tiers' }).delegate('ada', 'bob', { id: 'd2', kind: 'transfer' })
        .delegate('bob', 'ada', { id: 'd3', kind: 'transfer' }),
      findings: [{ ...loop(['ada', 'bob'], ['d2', 'd3']), message: 'Transfers of authority go round in a loop: Ada → Bob → Ada' }]
    }
  ]
})

t.test('the finding says which delegation to end', async (t) => {
  const [found] = delegationCycle.check(org().delegate('ada', 'bob', { id: 'd1' }).delegate('bob', 'ada', { id: 'd2', kind: 'transfer' }).model(), {})
  t.equal(found?.remediation, 'End Bob\'s transfer to Ada (d2) so that the authority stops with Bob, or end another delegation of the loop (d1, d2) at whoever is available to decide.')
})
