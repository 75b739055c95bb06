// decision-overdue: due dates before, at and after the audit's time, on live and closed initiatives.
import t from 'tap'
import { decisionOverdue } from '../../../src/audit/rules/decision-overdue.js'
import { AT, registry, ruleTable } from '../model-builder.js'

const DUE = '2025-11-30T17:00:00.000Z'

ruleTable(t, decisionOverdue, {
  valid: [
    { name: 'no due date', registry: registry().initiative('tiers') },
    { name: 'due after the audit', registry: registry().initiative('tiers', { decisionDueAt: '2026-03-01T00:00:00.000Z' }) },
    { name: 'due exactly at the audit\'s time', registry: registry().initiative('tiers', { decisionDueAt: AT }) },
    { name: 'past due, but decided', registry: registry().initiative('tiers', { decisionDueAt: DUE, status: 'decided' }) }
  ],
  invalid: [
    {
      name: 'past due and active',
      registry: registry().initiative('tiers', { decisionDueAt: DUE }),
      findings: [{
        subject: 'initiative:tiers',
        related: [],
        message: 'The decision on "Tiers" was due 30 November 2025 and is still open (active)',
        remediation: 'Name a final decider for "Tiers" and have them decide it or set a new due date and say what is missing; if the initiative is no longer wanted, abandon it',
        data: { decisionDueAt: DUE }
      }]
    },
    {
      name: 'past due, with a decider: the date in words, in UTC (in New York it was still 30 November), and the decider named',
      registry: registry().person('ada', { name: 'Ada Hale' }).initiative('tiers', { decisionDueAt: '2025-12-01T04:30:00.000Z' }).assign('ada', 'A', { initiative: 'tiers' }),
      findings: [{
        subject: 'initiative:tiers',
        related: [],
        message: 'The decision on "Tiers" was due 1 December 2025 and is still open (active)',
        remediation: 'Ask Ada Hale, its final decider, to decide "Tiers" or set a new due date and say what is missing; if the initiative is no longer wanted, abandon it'
      }]
    },
    {
      name: 'past due and on hold',
      registry: registry().initiative('tiers', { decisionDueAt: DUE, status: 'on_hold' }),
      findings: [{ subject: 'initiative:tiers', related: [], message: `The decision on "Tiers" was due 30 November 2025 and is still open (on hold)`, data: { decisionDueAt: DUE } }]
    },
    {
      name: 'judged at an earlier time, only the earlier due date had passed',
      at: '2025-12-15T00:00:00.000Z',
      registry: registry().initiative('a', { decisionDueAt: DUE }).initiative('b', { decisionDueAt: '2025-12-20T00:00:00.000Z' }),
      findings: [{ subject: 'initiative:a', related: [], message: `The decision on "A" was due 30 November 2025 and is still open (active)` }]
    }
  ]
})
