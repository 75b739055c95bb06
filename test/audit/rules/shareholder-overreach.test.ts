// shareholder-overreach: shareholders outside management holding the final say, or steering hard, directly or through others.
import t from 'tap'
import { shareholderOverreach } from '../../../src/audit/rules/shareholder-overreach.js'
import { registry, ruleTable } from '../model-builder.js'

const WHO = 'Ivan (shareholder, not executive or board)'
const org = () => registry().person('ivan', { tags: ['shareholder', 'founder'], stakePercent: 40 }).person('ceo', { name: 'Cleo', tags: ['executive'] })
  .domain('company').domain('pricing', { parentId: 'company' }).initiative('tiers', { domainId: 'pricing' })

ruleTable(t, shareholderOverreach, {
  valid: [
    { name: 'a shareholder who is an executive', registry: org().person('eve', { tags: ['shareholder', 'executive'] }).assign('eve', 'A', { initiative: 'tiers' }) },
    { name: 'a shareholder on the board', registry: org().person('bea', { tags: ['board', 'shareholder'] }).assign('bea', 'A', { domain: 'pricing' }) },
    { name: 'a shareholder Consulted, not Accountable', registry: org().assign('ivan', 'C', { initiative: 'tiers' }).assign('ceo', 'A', { initiative: 'tiers' }) },
    {
      name: 'a shareholder Accountable on the domain, overridden by the initiative\'s own Accountable',
      registry: org().assign('ivan', 'A', { domain: 'company' }).assign('ceo', 'A', { initiative: 'tiers' })
    },
    { name: 'Accountable on an initiative that is done', registry: org().initiative('old', { status: 'done' }).assign('ivan', 'A', { initiative: 'old' }) },
    { name: 'an Accountable whose person record is missing', registry: org().assign('ghost', 'A', { initiative: 'tiers' }) },
    {
      name: 'medium influence, or high influence on a domain or an initiative that is done',
      registry: org().initiative('old', { status: 'done' }).assign('ceo', 'A', { initiative: 'tiers' })
        .influence('ivan', { initiative: 'tiers' }).influence('ivan', { over: 'ceo' })
        .influence('ivan', { domain: 'pricing', strength: 'high' }).influence('ivan', { initiative: 'old', strength: 'high' })
    },
    { name: 'high influence by someone who is no shareholder', registry: org().person('ann').assign('ceo', 'A', { initiative: 'tiers' }).influence('ann', { over: 'ceo', strength: 'high' }) },
    { name: 'high influence over someone who decides nothing live', registry: org().person('bob').influence('ivan', { over: 'bob', strength: 'high' }) }
  ],
  invalid: [
    {
      name: 'the investor Accountable on the initiative',
      registry: org().assign('ivan', 'A', { initiative: 'tiers', id: 'a1' }),
      findings: [{ subject: 'person:ivan', related: ['initiative:tiers', 'assignment:a1'], message: `${WHO} holds the final decision on "Tiers"`,
        remediation: 'Make an executive Accountable for "Tiers" in place of Ivan and make Ivan Consulted; if Ivan must decide, add them to the board or the executive team' }]
    },
    {
      name: 'the investor Accountable two levels up, for every initiative below',
      registry: org().initiative('bands', { domainId: 'pricing', status: 'proposed' }).assign('ivan', 'A', { domain: 'company', id: 'a1' }),
      findings: [
        { subject: 'person:ivan', related: ['initiative:bands', 'assignment:a1'], message: `${WHO} holds the final decision on "Bands" through domain "Company"`,
          remediation: 'Make an executive Accountable for "Bands" in place of Ivan (who holds it through domain "Company") and make Ivan Consulted; ' +
            'if Ivan must decide, add them to the board or the executive team' },
        { subject: 'person:ivan', related: ['initiative:tiers', 'assignment:a1'], message: `${WHO} holds the final decision on "Tiers" through domain "Company"`,
          remediation: 'Make an executive Accountable for "Tiers" in place of Ivan (who holds it through domain "Company") and make Ivan Consulted; ' +
            'if Ivan must decide, add them to the board or the executive team' }
      ]
    },
    {
      name: 'the investor strongly steering the initiative, and its decider who also decides another',
      registry: org().initiative('bands').assign('ceo', 'A', { domain: 'pricing' }).assign('ceo', 'A', { initiative: 'bands' })
        .influence('ivan', { initiative: 'tiers', strength: 'high', id: 'f1' }).influence('ivan', { over: 'ceo', strength: 'high', id: 'f2' }),
      findings: [
        { subject: 'person:ivan', related: ['initiative:tiers', 'influence:f1'], message: `${WHO} strongly influences "Tiers"`,
          remediation: 'Give Ivan a formal voice on "Tiers" (Consulted, or through the board) instead of steering it, and agree openly that Cleo decides "Tiers"' },
        { subject: 'person:ivan', related: ['initiative:bands', 'influence:f2', 'person:ceo'], message: `${WHO} strongly influences Cleo, who decides "Bands"`,
          remediation: 'Give Ivan a formal voice on "Bands" (Consulted, or through the board) instead of steering it, and agree openly that Cleo decides "Bands"' },
        { subject: 'person:ivan', related: ['initiative:tiers', 'influence:f2', 'person:ceo'], message: `${WHO} strongly influences Cleo, who decides "Tiers"`,
          remediation: 'Give Ivan a formal voice on "Tiers" (Consulted, or through the board) instead of steering it, and agree openly that Cleo decides "Tiers"' }
      ]
    }
  ]
})
