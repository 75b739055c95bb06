// multiple-final-deciders: two deciders under the single rule, directly, inherited or through a delegation; pools are fine.
import t from 'tap'
import { multipleFinalDeciders } from '../../../src/audit/rules/multiple-final-deciders.js'
import { registry, ruleTable } from '../model-builder.js'

const two = () => registry().people('ada', 'bob', 'cyd').domain('pricing').initiative('tiers', { domainId: 'pricing' })

ruleTable(t, multipleFinalDeciders, {
  valid: [
    { name: 'one Accountable', registry: two().assign('ada', 'A', { initiative: 'tiers' }) },
    {
      name: 'a pool of two',
      registry: two().initiative('pool', { decisionRule: 'pool' }).assign('ada', 'A', { initiative: 'pool' }).assign('bob', 'A', { initiative: 'pool' })
    },
    {
      name: 'a unanimous pair',
      registry: two().initiative('pair', { decisionRule: 'unanimous' }).assign('ada', 'A', { initiative: 'pair' }).assign('bob', 'A', { initiative: 'pair' })
    },
    {
      name: 'two on the domain, but the initiative names its own',
      registry: two().assign('ada', 'A', { domain: 'pricing' }).assign('bob', 'A', { domain: 'pricing' }).assign('cyd', 'A', { initiative: 'tiers' })
    },
    {
      name: 'two on record, one of them away without a deputy',
      registry: two().status('bob', 'on_leave', '2025-01-01T00:00:00.000Z').assign('ada', 'A', { initiative: 'tiers' }).assign('bob', 'A', { initiative: 'tiers' })
    },
    {
      name: 'two, but the initiative is done',
      registry: registry().people('ada', 'bob').initiative('tiers', { status: 'done' }).assign('ada', 'A', { initiative: 'tiers' }).assign('bob', 'A', { initiative: 'tiers' })
    }
  ],
  invalid: [
    {
      name: 'two Accountable on the initiative',
      registry: two().assign('ada', 'A', { initiative: 'tiers' }).assign('bob', 'A', { initiative: 'tiers' }),
      findings: [{ subject: 'initiative:tiers', related: ['person:ada', 'person:bob'], message: '2 people hold the final decision on "Tiers": Ada and Bob',
        remediation: 'Make one of Ada and Bob Accountable for "Tiers" and the other Consulted or Responsible, or split the initiative; if any one of them may decide alone, declare it a pool' }]
    },
    {
      name: 'three inherited from the domain',
      registry: two().assign('cyd', 'A', { domain: 'pricing' }).assign('ada', 'A', { domain: 'pricing' }).assign('bob', 'A', { domain: 'pricing' }),
      findings: [{ subject: 'initiative:tiers', related: ['person:ada', 'person:bob', 'person:cyd'], message: '3 people hold the final decision on "Tiers": Cyd, Ada and Bob',
        remediation: 'Make one of Cyd, Ada and Bob Accountable for "Tiers" and the others Consulted or Responsible, or split the initiative; if any one of them may decide alone, declare it a pool' }]
    },
    {
      name: 'one on leave hands over to a deputy, who now decides beside the other',
      registry: two().status('bob', 'on_leave', '2025-01-01T00:00:00.000Z').delegate('bob', 'cyd')
        .assign('ada', 'A', { initiative: 'tiers' }).assign('bob', 'A', { initiative: 'tiers' }),
      findings: [{ subject: 'initiative:tiers', related: ['person:ada', 'person:cyd'], message: '2 people hold the final decision on "Tiers": Ada and Cyd',
        remediation: 'Make one of Ada and Cyd Accountable for "Tiers" and the other Consulted or Responsible, or split the initiative; if any one of them may decide alone, declare it a pool' }]
    }
  ]
})
