// retired-influence: roles and influence records of retired or departed people, on initiatives, domains and deciders.
import t from 'tap'
import { retiredInfluence } from '../../../src/audit/rules/retired-influence.js'
import { registry, ruleTable } from '../model-builder.js'

const RETIRED = '2025-06-01T00:00:00.000Z'
/** Gus founded the company and retired; Ceo decides the initiatives of the Pricing domain. */
const company = () => registry().person('gus', { name: 'Gus', tags: ['founder'] }).status('gus', 'active', '2000-01-01T00:00:00.000Z').status('gus', 'retired', RETIRED).person('ceo', { name: 'Cleo' })
  .domain('pricing').initiative('tiers', { domainId: 'pricing' }).assign('ceo', 'A', { domain: 'pricing' })

ruleTable(t, retiredInfluence, {
  valid: [
    { name: 'an active founder with a role', registry: company().status('gus', 'active', '2025-09-01T00:00:00.000Z').assign('gus', 'A', { initiative: 'tiers' }) },
    { name: 'a retired person who stays Informed', registry: company().assign('gus', 'I', { initiative: 'tiers' }) },
    { name: 'a role on an initiative that is done', registry: company().initiative('old', { status: 'done' }).assign('gus', 'C', { initiative: 'old' }) },
    { name: 'a role that ended when they retired', registry: company().assign('gus', 'R', { domain: 'pricing', validTo: RETIRED }) },
    { name: 'an assignment without a target (the database refuses one) is ignored', registry: company().assign('gus', 'R', {}) },
    { name: 'influence by an active person', registry: company().person('ivy').influence('ivy', { initiative: 'tiers', strength: 'high' }) },
    { name: 'influence on an initiative that is abandoned', registry: company().initiative('old', { status: 'abandoned' }).influence('gus', { initiative: 'old' }) },
    { name: 'influence over someone who decides nothing live', registry: company().person('bob').influence('gus', { over: 'bob' }) },
    { name: 'influence observed after the audit\'s time', registry: company().influence('gus', { over: 'ceo', observedAt: '2026-02-01T00:00:00.000Z' }) },
    { name: 'retired only after the audit\'s time', at: '2025-01-01T00:00:00.000Z', registry: company().assign('gus', 'A', { initiative: 'tiers' }).influence('gus', { over: 'ceo' }) }
  ],
  invalid: [
    {
      name: 'a retired founder still Accountable on a live initiative, and Consulted on a domain',
      registry: company().assign('gus', 'A', { initiative: 'tiers', id: 'a-gus' }).assign('gus', 'C', { domain: 'pricing', id: 'c-gus' }),
      findings: [
        { subject: 'person:gus', related: ['assignment:a-gus', 'initiative:tiers'], message: 'Gus (retired) still holds Accountable on "Tiers"',
          remediation: 'End the Accountable role of Gus on "Tiers" (keep them Informed, or as an advisor, if their experience is wanted) and name an active person Accountable in their place' },
        { subject: 'person:gus', related: ['assignment:c-gus', 'domain:pricing'], message: 'Gus (retired) still holds Consulted on domain "Pricing"',
          remediation: 'End the Consulted role of Gus on domain "Pricing" (keep them Informed, or as an advisor, if their experience is wanted)' }
      ]
    },
    {
      name: 'a departed person (recorded status, no timeline) still Responsible',
      registry: company().person('dan', { status: 'departed' }).assign('dan', 'R', { initiative: 'tiers', id: 'r-dan' }),
      findings: [{ subject: 'person:dan', related: ['assignment:r-dan', 'initiative:tiers'], message: 'Dan (departed) still holds Responsible on "Tiers"' }]
    },
    {
      name: 'a retired founder steering an initiative and a domain',
      registry: company().influence('gus', { initiative: 'tiers', id: 'f1' }).influence('gus', { domain: 'pricing', id: 'f2', strength: 'low' }),
      findings: [
        { subject: 'person:gus', related: ['influence:f1', 'initiative:tiers'], message: 'Gus (retired) still steers "Tiers" (medium influence observed 1 January 2020)',
          remediation: 'Talk openly with Gus and Cleo about who has the final word on "Tiers"; once they agree, delete the influence record' },
        { subject: 'person:gus', related: ['influence:f2', 'domain:pricing'], message: 'Gus (retired) still steers domain "Pricing" (low influence observed 1 January 2020)',
          remediation: 'Talk openly with Gus about who has the final word on domain "Pricing"; once they agree, delete the influence record' }
      ]
    },
    {
      name: 'the retired founder who still steers the new CEO, who decides one live initiative',
      registry: company().initiative('old', { status: 'decided', domainId: 'pricing' }).influence('gus', { over: 'ceo', id: 'f1', strength: 'high' }),
      findings: [{
        subject: 'person:gus',
        related: ['influence:f1', 'person:ceo', 'initiative:tiers'],
        message: 'Gus (retired) still steers Cleo, who decides "Tiers" (high influence observed 1 January 2020)',
        remediation: 'Talk openly with Gus and Cleo about who has the final word on "Tiers"; once they agree, delete the influence record'
      }]
    },
    {
      name: '… who decides two, or three',
      registry: company().initiative('bands', { domainId: 'pricing' }).person('vic').person('rex', { status: 'retired' })
        .influence('gus', { over: 'ceo', id: 'f1' })
        .initiative('x1').initiative('x2').initiative('x3').assign('vic', 'A', { initiative: 'x1' }).assign('vic', 'A', { initiative: 'x2' })
        .assign('vic', 'A', { initiative: 'x3' }).influence('rex', { over: 'vic', id: 'f2' }),
      findings: [
        {
          subject: 'person:gus',
          related: ['influence:f1', 'person:ceo', 'initiative:bands', 'initiative:tiers'],
          message: 'Gus (retired) still steers Cleo, who decides "Bands" and 1 other live initiative (medium influence observed 1 January 2020)',
          remediation: 'Talk openly with Gus and Cleo about who has the final word on "Bands" and 1 other live initiative; once they agree, delete the influence record'
        },
        {
          subject: 'person:rex',
          related: ['influence:f2', 'person:vic', 'initiative:x1', 'initiative:x2', 'initiative:x3'],
          message: 'Rex (retired) still steers Vic, who decides "X1" and 2 other live initiatives (medium influence observed 1 January 2020)',
          remediation: 'Talk openly with Rex and Vic about who has the final word on "X1" and 2 other live initiatives; once they agree, delete the influence record'
        }
      ]
    }
  ]
})
