// What `whodecides who` prints under the answer's sentence — caveats, next up, the path — for each kind of answer and
// of delegation, without a database.
import t from 'tap'
import { caveatLines, nextUpLines, pathLines } from '../../src/cli/commands/who.js'
import { summaryOf } from '../../src/registry/answer-words.js'
import type { InitiativeDecider } from '../../src/schemas/deciders.js'

const AT = '2026-03-03T09:00:00.000Z'
type Decider = InitiativeDecider['deciders'][number]
type Step = Decider['via'][number]
const base: InitiativeDecider = {
  initiativeId: 'eu', at: AT, decisionRule: 'single', resolution: 'clear', summary: '', deciders: [], absent: [], caveats: [], nextUp: null
}
const onInitiative: Step = { kind: 'assignment', id: 'as-1', level: 'initiative', domainId: null, domainName: null }
const onDomain: Step = { kind: 'assignment', id: 'as-2', level: 'domain', domainId: 'pricing', domainName: 'Pricing' }
const handedOn: Step = { kind: 'delegation', id: 'dg-7', from: 'ada', to: 'grace', fromName: 'Ada Lovelace', toName: 'Grace Hopper', validTo: '2026-04-01T00:00:00.000Z', delegationKind: 'deputy' }
const grace: Decider = { personId: 'grace', name: 'Grace Hopper', via: [onInitiative] }

t.test('the path names each step, from the names the answer carries', async (t) => {
  t.same(pathLines({ ...base, deciders: [{ personId: 'grace', name: 'Grace Hopper', via: [onDomain, handedOn] }, grace] }), [
    'Grace Hopper (grace)',
    '  assignment as-2: Accountable for the Pricing domain (pricing)',
    '  deputy dg-7: Grace Hopper stands in for Ada Lovelace, who is away, until 1 April 2026',
    'Grace Hopper (grace)',
    '  assignment as-1: Accountable for the initiative itself'
  ])
  t.same(pathLines({ ...base, resolution: 'absent', absent: [{ personId: 'bob', name: 'Bob Builder', status: 'departed' }] }), ['Bob Builder (bob): departed, cannot act'])
  t.same(pathLines({ ...base, resolution: 'none' }), ['no Accountable assignment on the initiative or on any domain above it'])
})

t.test('a delegation says what its kind means: a deputy stands in while the delegator cannot act; a transfer hands the decision over', async (t) => {
  const handedOver: Step = { ...handedOn, id: 'dg-8', delegationKind: 'transfer' }
  const open: Step = { ...handedOn, id: 'dg-9', validTo: null }
  const pathOf = (step: Step, past = false, status?: 'on_leave' | 'retired'): string =>
    pathLines({ ...base, deciders: [{ personId: 'grace', name: 'Grace Hopper', via: [onInitiative, step] }] }, { past, statusOf: (id) => id === 'ada' ? status : undefined })[2]!
  t.equal(pathOf(handedOn, false, 'on_leave'), '  deputy dg-7: Grace Hopper stands in for Ada Lovelace, who is on leave, until 1 April 2026', 'a deputy, the delegator\'s status known')
  t.equal(pathOf(handedOn, true, 'retired'), '  deputy dg-7: Grace Hopper stood in for Ada Lovelace, who was retired, until 1 April 2026', 'at a time passed')
  t.equal(pathOf(open, false, 'on_leave'), '  deputy dg-9: Grace Hopper stands in for Ada Lovelace, who is on leave', 'without an end: no date')
  t.equal(pathOf(handedOver), '  transfer dg-8: Ada Lovelace has handed the decision over to Grace Hopper, until 1 April 2026', 'a transfer')
  t.equal(pathOf(handedOver, true, 'on_leave'), '  transfer dg-8: Ada Lovelace had handed the decision over to Grace Hopper, until 1 April 2026',
    'a transfer says so whatever the delegator\'s status')
})

t.test('the path and the summary word a delegation alike', async (t) => {
  const wording = (status: 'active' | 'on_leave') => ({
    title: "'Roll out a CRM'", domainId: null, asked: undefined, past: false, statusAt: () => status, delegates: () => true, caveats: []
  })
  const answer = (step: Step) => ({ decisionRule: 'single' as const, resolution: 'clear' as const, absent: [], deciders: [{ name: 'Grace Hopper', via: [onInitiative, step] }] })
  const transfer = { ...handedOn, delegationKind: 'transfer' as const }
  t.equal(summaryOf(answer(transfer), wording('active')), "Grace Hopper decides 'Roll out a CRM' for Ada Lovelace, who has handed it over, until 1 April 2026.")
  t.equal(summaryOf(answer(transfer), wording('on_leave')), "Grace Hopper decides 'Roll out a CRM' for Ada Lovelace, who has handed it over, until 1 April 2026.",
    'a transfer is said as one while its delegator is away too')
  t.equal(summaryOf(answer(handedOn), wording('on_leave')), "Grace Hopper decides 'Roll out a CRM' for Ada Lovelace, who is on leave, until 1 April 2026.")
})

t.test('caveats: severity, rule and what it says; a waived one with its reason', async (t) => {
  t.same(caveatLines(base), ['none'])
  const caveat = { ruleId: 'decision-overdue', severity: 'warning' as const, summary: 'The decision is overdue', fingerprint: 'ab', subject: { kind: 'initiative', id: 'eu' }, remediation: null }
  t.same(caveatLines({ ...base, caveats: [{ ...caveat, waived: null }, { ...caveat, waived: { waiverId: 'w1', reason: 'Board in March' } }] }), [
    'warning decision-overdue: The decision is overdue',
    'warning decision-overdue: The decision is overdue (waived: Board in March)'
  ])
})

t.test('next up: none for a clear answer; who and the way there otherwise; nobody said so', async (t) => {
  t.equal(nextUpLines(base), undefined)
  t.same(nextUpLines({ ...base, resolution: 'none' }), ['nobody: no one holds a role on it with an active manager above them to name who is Accountable'])
  t.same(nextUpLines({ ...base, resolution: 'ambiguous' }), ['nobody: no domain above has a decider who can act, and no manager is common to those in question'])
  t.same(nextUpLines({
    ...base,
    resolution: 'ambiguous',
    nextUp: {
      personId: 'mo', name: 'Mo Chen', reason: 'common-manager', summary: 'Mo Chen is the nearest active manager of Lee Park and Sam Ito', via: [],
      path: [{ kind: 'reports-to', personId: 'lee', name: 'Lee Park', managerId: 'mo', managerName: 'Mo Chen' }]
    }
  }), ['Mo Chen is the nearest active manager of Lee Park and Sam Ito (mo)', '  Lee Park reports to Mo Chen'])
  t.same(nextUpLines({
    ...base,
    resolution: 'absent',
    nextUp: {
      personId: 'mo', name: 'Mo Chen', reason: 'domain-above', summary: 'Mo Chen decides the Company domain, the nearest above with a decider who can act', via: [],
      path: [{ kind: 'domain', domainId: 'company', name: 'Company', resolution: 'clear' }]
    }
  }), ['Mo Chen decides the Company domain, the nearest above with a decider who can act (mo)', '  domain company: Company, clear'])
})
