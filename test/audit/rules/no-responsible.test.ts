// no-responsible: an R on the initiative or anywhere up its domains, or none valid at the audit's time.
import t from 'tap'
import { noResponsible } from '../../../src/audit/rules/no-responsible.js'
import { registry, ruleTable } from '../model-builder.js'

const tree = () => registry().person('ada').domain('ops').domain('billing', { parentId: 'ops' }).initiative('invoices', { domainId: 'billing' })

ruleTable(t, noResponsible, {
  valid: [
    { name: 'Responsible on the initiative', registry: tree().assign('ada', 'R', { initiative: 'invoices' }) },
    { name: 'Responsible inherited from the top domain', registry: tree().assign('ada', 'R', { domain: 'ops' }) },
    { name: 'nobody Responsible on an initiative that is done', registry: registry().initiative('old', { status: 'done' }) }
  ],
  invalid: [
    {
      name: 'an Accountable and a Consulted, but no Responsible',
      registry: tree().assign('ada', 'A', { initiative: 'invoices' }).assign('ada', 'C', { domain: 'ops' }),
      findings: [{ subject: 'initiative:invoices', related: [], message: 'No one is Responsible for "Invoices", on it or on its domains',
        remediation: 'Ask Ada, its final decider, to name who does the work as Responsible on "Invoices", or on domain "Billing" if the same team carries every initiative there' }]
    },
    {
      name: 'a Responsible whose assignment ended, on a proposed initiative',
      registry: tree().initiative('cards', { status: 'proposed' }).assign('ada', 'R', { initiative: 'invoices' })
        .assign('ada', 'R', { initiative: 'cards', validTo: '2025-01-01T00:00:00.000Z' }),
      findings: [{ subject: 'initiative:cards', related: [], message: 'No one is Responsible for "Cards", on it or on its domains',
        remediation: 'Name who does the work as Responsible on "Cards"' }]
    },
    {
      name: 'Responsible on a sibling domain does not count',
      registry: tree().domain('sales', { parentId: 'ops' }).assign('ada', 'R', { domain: 'sales' }),
      findings: [{ subject: 'initiative:invoices', related: [], message: 'No one is Responsible for "Invoices", on it or on its domains' }]
    }
  ]
})
