// The sentence and the path `whodecides who` prints, for each kind of answer, without a database.
import t from 'tap'
import { pathLines, sentence, type Names } from '../../src/cli/commands/who.js'
import type { InitiativeDecider } from '../../src/schemas/deciders.js'

const people: Record<string, string> = { ada: 'Ada Lovelace', grace: 'Grace Hopper', bob: 'Bob Builder' }
const domains: Record<string, string> = { pricing: 'Pricing' }
const names: Names = { title: 'New EU price list', person: (id) => people[id] ?? id, domain: (id) => domains[id] ?? id }
const AT = '2026-03-03T09:00:00.000Z'
type Decider = InitiativeDecider['deciders'][number]
type Step = Decider['via'][number]
const base: InitiativeDecider = { initiativeId: 'eu', at: AT, decisionRule: 'single', resolution: 'clear', deciders: [], absent: [] }
const onInitiative: Step = { kind: 'assignment', id: 'as-1', level: 'initiative', domainId: null }
const onDomain: Step = { kind: 'assignment', id: 'as-2', level: 'domain', domainId: 'pricing' }
const handedOn = (validTo: string | null): Step => ({ kind: 'delegation', id: 'dg-7', from: 'ada', to: 'grace', validTo })
const ada: Decider = { personId: 'ada', name: 'Ada Lovelace', via: [onDomain] }
const grace: Decider = { personId: 'grace', name: 'Grace Hopper', via: [onInitiative] }

const cases: { name: string, answer: InitiativeDecider, expected: string }[] = [
  { name: 'inherited', answer: { ...base, deciders: [ada] }, expected: "Ada Lovelace decides 'New EU price list', as Accountable for the Pricing domain (inherited)." },
  { name: 'direct', answer: { ...base, deciders: [grace] }, expected: "Grace Hopper decides 'New EU price list', as Accountable for the initiative itself." },
  {
    name: 'delegated',
    answer: { ...base, deciders: [{ personId: 'grace', name: 'Grace Hopper', via: [onDomain, handedOn(null)] }] },
    expected: "Grace Hopper decides 'New EU price list', by delegation from Ada Lovelace, who holds it as Accountable for the Pricing domain (inherited)."
  },
  { name: 'pool', answer: { ...base, decisionRule: 'pool', deciders: [ada, grace] }, expected: "Any one of Ada Lovelace or Grace Hopper may decide 'New EU price list' (decision rule: pool)." },
  {
    name: 'unanimous',
    answer: { ...base, decisionRule: 'unanimous', deciders: [ada, grace, { ...grace, personId: 'bob', name: 'Bob Builder' }] },
    expected: "Ada Lovelace, Grace Hopper and Bob Builder decide 'New EU price list' together: all of them must agree (decision rule: unanimous)."
  },
  {
    name: 'ambiguous',
    answer: { ...base, resolution: 'ambiguous', deciders: [ada, grace] },
    expected: "No one clearly decides 'New EU price list': 2 people hold the final decision (Ada Lovelace and Grace Hopper), where its rule asks for one."
  },
  {
    name: 'absent, two',
    answer: { ...base, resolution: 'absent', absent: [{ personId: 'ada', name: 'Ada Lovelace', status: 'retired' }, { personId: 'bob', name: 'Bob Builder', status: 'on_leave' }] },
    expected: "No one can decide 'New EU price list' now: its deciders Ada Lovelace (retired) and Bob Builder (on leave) cannot act, and no delegation reaches someone who can."
  },
  { name: 'none', answer: { ...base, resolution: 'none' }, expected: "No one decides 'New EU price list': no one is Accountable for it or for a domain above it." }
]

t.test('one sentence for each kind of answer', async (t) => {
  for (const { name, answer, expected } of cases) t.equal(sentence(answer, names, undefined), expected, name)
})

t.test('a time asked for dates the sentence', async (t) => {
  t.equal(sentence({ ...base, resolution: 'absent', absent: [{ personId: 'bob', name: 'Bob Builder', status: 'on_leave' }] }, names, AT),
    `At ${AT}: No one can decide 'New EU price list' then: its decider Bob Builder (on leave) cannot act, and no delegation reaches someone who can.`)
})

t.test('the path names each step', async (t) => {
  const delegated: Decider = { personId: 'grace', name: 'Grace Hopper', via: [onDomain, handedOn('2026-04-01T00:00:00.000Z')] }
  t.same(pathLines({ ...base, deciders: [delegated, grace] }, names), [
    'Grace Hopper (grace)',
    "  assignment as-2: Accountable for the Pricing domain (pricing), inherited by 'New EU price list'",
    '  delegation dg-7: Ada Lovelace hands the decision to Grace Hopper, until 2026-04-01T00:00:00.000Z',
    'Grace Hopper (grace)',
    "  assignment as-1: Accountable for 'New EU price list' itself"
  ])
  t.same(pathLines({ ...base, resolution: 'absent', absent: [{ personId: 'bob', name: 'Bob Builder', status: 'departed' }] }, names),
    ['Bob Builder (bob): departed, cannot act'])
  t.same(pathLines({ ...base, resolution: 'none' }, names), ['no Accountable assignment on the initiative or on any domain above it'])
})
