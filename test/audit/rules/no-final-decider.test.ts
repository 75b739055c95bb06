// no-final-decider: cases with an Accountable near, far up the tree, ended, or on initiatives that are no longer live.
import t from 'tap'
import { noFinalDecider } from '../../../src/audit/rules/no-final-decider.js'
import { registry, ruleTable } from '../model-builder.js'

const tree = () => registry().person('ada').domain('company').domain('sales', { parentId: 'company' }).domain('pricing', { parentId: 'sales' })

ruleTable(t, noFinalDecider, {
  valid: [
    { name: 'an Accountable on the initiative', registry: registry().person('ada').initiative('tiers').assign('ada', 'A', { initiative: 'tiers' }) },
    { name: 'an Accountable two domains up', registry: tree().initiative('tiers', { domainId: 'pricing' }).assign('ada', 'A', { domain: 'company' }) },
    { name: 'a decided initiative needs no decider', registry: registry().initiative('tiers', { status: 'decided' }) },
    { name: 'nor an abandoned one', registry: registry().initiative('tiers', { status: 'abandoned' }) },
    {
      name: 'an Accountable who is away is absent-decider\'s business, not this rule\'s',
      registry: registry().person('ada', { status: 'retired' }).initiative('tiers').assign('ada', 'A', { initiative: 'tiers' })
    }
  ],
  invalid: [
    {
      name: 'no Accountable anywhere up the tree',
      registry: tree().initiative('tiers', { domainId: 'pricing' }).assign('ada', 'R', { initiative: 'tiers' }),
      findings: [{ subject: 'initiative:tiers', related: [], message: 'No one holds the final decision on "Tiers": no Accountable on it or on its domains',
        remediation: 'Name one Accountable person on "Tiers" (Ada is Responsible for it), or on domain "Pricing" if one person should decide every initiative there' }]
    },
    {
      name: 'an Accountable whose assignment ended before the audit, and one that starts after it',
      registry: registry().person('ada').initiative('tiers', { status: 'proposed' })
        .assign('ada', 'A', { initiative: 'tiers', validTo: '2025-06-01T00:00:00.000Z' })
        .assign('ada', 'A', { initiative: 'tiers', validFrom: '2026-06-01T00:00:00.000Z' }),
      findings: [{ subject: 'initiative:tiers', related: [], message: 'No one holds the final decision on "Tiers": no Accountable on it or on its domains' }]
    },
    {
      name: 'an initiative on hold is still live; one without a domain has nothing to inherit',
      registry: registry().initiative('tiers', { status: 'on_hold', title: 'Price tiers' }),
      findings: [{ subject: 'initiative:tiers', related: [], message: 'No one holds the final decision on "Price tiers": no Accountable on it or on its domains',
        remediation: 'Name one Accountable person on "Price tiers"' }]
    }
  ]
})
