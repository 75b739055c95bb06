// Each rule's `reads` declaration holds: over random registries, changing only fields a rule does not declare never
// changes which findings it raises (their fingerprints) — what lets write effects skip a rule for such a write.
import t from 'tap'
import { DECISION_KINDS, DECISION_RULES, DELEGATION_KINDS, INITIATIVE_STATUSES, PERSON_STATUSES } from '../../db/schema.js'
import { effectiveConfig } from '../../src/audit/engine.js'
import { fingerprintOf } from '../../src/audit/fingerprint.js'
import { READ_FIELDS, type ReadField } from '../../src/audit/rule.js'
import { rules } from '../../src/audit/rules/index.js'
import { createReadModel } from '../../src/registry/read-model.js'
import { createSnapshot } from '../../src/registry/snapshot.js'
import type { RaciRoleName, RegistryData } from '../../src/registry/types.js'

const AT = '2026-06-01T00:00:00.000Z'
const TIMES = ['2025-01-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', '2026-05-31T00:00:00.000Z', '2026-09-01T00:00:00.000Z']
const SEED = Number(process.env.RULE_READS_SEED ?? 20261208)
const REGISTRIES = Number(process.env.RULE_READS_RUNS ?? 150)

/** Park–Miller: the same registries on every run of a seed. */
function randomOf (seed: number): <T>(items: readonly T[]) => T {
  let state = seed
  return <T>(items: readonly T[]): T => items[(state = (state * 48271) % 2147483647) % items.length]!
}

type Pick = ReturnType<typeof randomOf>
const N = { people: 7, domains: 4, initiatives: 5 }
const ids = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`)
const PEOPLE = ids('p', N.people)
const DOMAINS = ids('d', N.domains)
const INITIATIVES = ids('i', N.initiatives)
const maybe = <T>(pick: Pick, value: T): T | null => pick([true, false]) ? value : null
const TAGS = [[], ['shareholder'], ['shareholder', 'executive'], ['board'], ['executive']] as const

const target = (pick: Pick): { initiativeId: string | null, domainId: string | null } =>
  pick([true, true, false]) ? { initiativeId: pick(INITIATIVES), domainId: null } : { initiativeId: null, domainId: pick(DOMAINS) }
const period = (pick: Pick) => ({ validFrom: pick(TIMES.slice(0, 3)), validTo: pick([null, null, ...TIMES.slice(2)]) })

// One generator per part of the registry: a field's generator gives every record of its kind a new value of that field.
const people = (pick: Pick, d: RegistryData): void => {
  d.people = PEOPLE.map((id, i) => ({ id, name: `Person ${id}`, status: pick(PERSON_STATUSES), tags: pick(TAGS), stakePercent: pick([null, 5, 40]), managerId: i === 0 ? null : pick(PEOPLE.slice(0, i)) }))
  statuses(pick, d)
}
const statuses = (pick: Pick, d: RegistryData): void => {
  d.statuses = PEOPLE.flatMap((personId) => [{ personId, status: 'active' as const, validFrom: '0001-01-01T00:00:00.000Z' },
    ...pick([true, false]) ? [{ personId, status: pick(PERSON_STATUSES), validFrom: pick(TIMES) }] : []])
}
const assignments = (pick: Pick, d: RegistryData): void => {
  d.assignments = ids('a', 12).map((id) => ({ id, personId: pick(PEOPLE), role: pick<RaciRoleName>(['A', 'A', 'R', 'C', 'I']), ...target(pick), ...period(pick) }))
}
const delegations = (pick: Pick, d: RegistryData): void => {
  d.delegations = ids('g', 4).map((id) => {
    const all = pick([false, false, true])
    return { id, fromPersonId: pick(PEOPLE), toPersonId: pick(PEOPLE), ...all ? { initiativeId: null, domainId: null } : target(pick), allScopes: all, kind: pick(DELEGATION_KINDS), ...period(pick) }
  })
}
const influences = (pick: Pick, d: RegistryData): void => {
  d.influences = ids('f', 3).map((id) => {
    const over = pick([true, false])
    return { id, personId: pick(PEOPLE), ...over ? { initiativeId: null, domainId: null } : target(pick), overPersonId: over ? pick(PEOPLE) : null, strength: pick(['low', 'high', 'high'] as const), observedAt: pick(TIMES) }
  })
}
const decisions = (pick: Pick, d: RegistryData): void => {
  d.decisions = ids('c', 3).map((id, i) => ({
    id, initiativeId: pick(INITIATIVES), decidedBy: pick(PEOPLE), decidedAt: pick(TIMES), outcome: 'approved', kind: pick(DECISION_KINDS), supersedes: i === 0 ? null : maybe(pick, `c${i - 1}`)
  }))
}

const CHANGE: Record<ReadField, (pick: Pick, d: RegistryData) => void> = {
  'person.name': (pick, d) => { d.people = d.people.map((p) => ({ ...p, name: pick(['Ada', 'Bob', p.name]) })) },
  'person.status': (pick, d) => { d.people = d.people.map((p) => ({ ...p, status: pick(PERSON_STATUSES) })); statuses(pick, d) },
  'person.tags': (pick, d) => { d.people = d.people.map((p) => ({ ...p, tags: pick(TAGS) })) },
  'person.stakePercent': (pick, d) => { d.people = d.people.map((p) => ({ ...p, stakePercent: pick([null, 1, 60]) })) },
  'person.managerId': (pick, d) => { d.people = d.people.map((p, i) => ({ ...p, managerId: i === 0 ? null : pick(PEOPLE.slice(0, i)) })) },
  'domain.name': (pick, d) => { d.domains = d.domains.map((x) => ({ ...x, name: pick(['Sales', 'Ops', x.name]) })) },
  'domain.parentId': (pick, d) => { d.domains = d.domains.map((x, i) => ({ ...x, parentId: i === 0 ? null : maybe(pick, pick(DOMAINS.slice(0, i))) })) },
  'initiative.title': (pick, d) => { d.initiatives = d.initiatives.map((x) => ({ ...x, title: pick(['CRM', 'Prices', x.title]) })) },
  'initiative.status': (pick, d) => { d.initiatives = d.initiatives.map((x) => ({ ...x, status: pick(INITIATIVE_STATUSES) })) },
  'initiative.domainId': (pick, d) => { d.initiatives = d.initiatives.map((x) => ({ ...x, domainId: maybe(pick, pick(DOMAINS)) })) },
  'initiative.decisionRule': (pick, d) => { d.initiatives = d.initiatives.map((x) => ({ ...x, decisionRule: pick(DECISION_RULES) })) },
  'initiative.decisionDueAt': (pick, d) => { d.initiatives = d.initiatives.map((x) => ({ ...x, decisionDueAt: maybe(pick, pick(TIMES)) })) },
  assignment: assignments,
  delegation: delegations,
  influence: influences,
  decision: decisions
}

function registry (pick: Pick): RegistryData {
  const d: RegistryData = { people: [], statuses: [], domains: [], initiatives: [], assignments: [], delegations: [], influences: [], decisions: [] }
  people(pick, d)
  d.domains = DOMAINS.map((id, i) => ({ id, name: `Domain ${id}`, parentId: i === 0 ? null : maybe(pick, pick(DOMAINS.slice(0, i))) }))
  d.initiatives = INITIATIVES.map((id) => ({ id, title: `Initiative ${id}`, domainId: maybe(pick, pick(DOMAINS)), status: pick(INITIATIVE_STATUSES), decisionRule: pick(DECISION_RULES), decisionDueAt: maybe(pick, pick(TIMES)) }))
  assignments(pick, d)
  delegations(pick, d)
  influences(pick, d)
  decisions(pick, d)
  return d
}

/** The fingerprints the rule raises over the registry, sorted; options at their defaults, tightened so counting rules fire. */
function raised (rule: typeof rules[number], data: RegistryData): string[] {
  const options = { ...effectiveConfig(rule).options, ...'maxInitiatives' in rule.defaults ? { maxInitiatives: 1 } : {}, ...'maxConsulted' in rule.defaults ? { maxConsulted: 1 } : {}, ...'maxApprovers' in rule.defaults ? { maxApprovers: 1 } : {} }
  return rule.check(createReadModel(createSnapshot(data), AT), options).map((f) => fingerprintOf(rule.id, f)).sort()
}

t.test('every rule declares what it reads, in the known fields', async (t) => {
  for (const rule of rules) {
    t.ok(rule.reads.length > 0, `${rule.id} reads something`)
    t.ok(rule.reads.every((f) => READ_FIELDS.includes(f)), `${rule.id} declares known fields`)
  }
  t.notOk(rules.some((rule) => rule.reads.includes('person.name') || rule.reads.includes('initiative.title') || rule.reads.includes('domain.name')),
    'no rule raises or clears a finding on a name or a title: they only word messages')
})

t.test('changing only fields a rule does not read never changes which findings it raises', async (t) => {
  const pick = randomOf(SEED)
  let fired = 0
  let compared = 0
  const changedSomething = new Set<string>()
  for (let run = 0; run < REGISTRIES; run++) {
    const before = registry(pick)
    for (const rule of rules) {
      const found = raised(rule, before)
      if (found.length > 0) fired++
      for (const field of READ_FIELDS.filter((f) => !rule.reads.includes(f))) {
        const after = structuredClone(before)
        CHANGE[field](pick, after)
        compared++
        const again = raised(rule, after)
        if (JSON.stringify(again) !== JSON.stringify(found)) {
          t.fail(`${rule.id}: changing ${field} (not declared) changed its findings`, { seed: SEED, run, before: found, after: again })
          return
        }
      }
      // The generators do change what the declared fields decide: the check above is not vacuous.
      for (const field of rule.reads) {
        const after = structuredClone(before)
        CHANGE[field](pick, after)
        if (JSON.stringify(raised(rule, after)) !== JSON.stringify(found)) changedSomething.add(`${rule.id}:${field}`)
      }
    }
  }
  t.pass(`${compared} undeclared changes compared over ${REGISTRIES} registries; rules fired ${fired} times`)
  for (const rule of rules) {
    t.ok(rule.reads.some((f) => changedSomething.has(`${rule.id}:${f}`)), `${rule.id}: some declared field does change its findings in these registries`)
  }
})
