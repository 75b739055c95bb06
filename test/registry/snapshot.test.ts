// The snapshot (loaded from the tables, its indexes, immutability) and its agreement with the SQL source and the
// decider index on random registries.
import fc from 'fast-check'
import t, { type Test } from 'tap'
import { openDatabase, type Db } from '../../src/store/connection.js'
import { resolveDecider } from '../../src/registry/resolver.js'
import { DeciderIndex } from '../../src/registry/decider-index.js'
import { createSnapshot, loadSnapshot } from '../../src/registry/snapshot.js'
import { SqlSource } from '../../src/store/sql-source.js'
import type { DeciderAnswer, RegistryData, Target } from '../../src/registry/types.js'
import { AT, EPOCH, RegistryBuilder, writeRegistry } from './registry-data.js'

const database = (t: Test, data?: RegistryData): Db => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  if (data !== undefined) writeRegistry(db, data)
  return db
}

const byId = <T extends { id: string }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => a.id < b.id ? -1 : 1)

/** A registry touching every column the loader reads. */
function fullRegistry (): RegistryData {
  const data = new RegistryBuilder()
    .people('ada', 'bob').person('cyd', [['active', EPOCH], ['on_leave', '2026-02-01T00:00:00.000Z']])
    .domain('root').domain('leaf', 'root')
    .initiative('ini', 'leaf', 'pool').initiative('solo', null, 'unanimous')
    .assign('a2', 'ada', 'ini', 'A').assign('a1', 'bob', 'd:leaf', 'R', EPOCH, '2026-01-01T00:00:00.000Z')
    .delegate('g1', 'cyd', 'ada', '*').delegate('g2', 'cyd', 'bob', 'd:root', EPOCH, '2027-01-01T00:00:00.000Z').delegate('g3', 'ada', 'bob', 'solo')
    .build()
  data.people[0] = { ...data.people[0]!, tags: ['founder', 'shareholder'], stakePercent: 12.5, managerId: null }
  data.people[1] = { ...data.people[1]!, managerId: 'ada' }
  data.initiatives[0] = { ...data.initiatives[0]!, status: 'on_hold', decisionDueAt: '2026-05-01T00:00:00.000Z' }
  data.influences.push({ id: 'f1', personId: 'ada', initiativeId: null, domainId: null, overPersonId: 'bob', strength: 'high', observedAt: EPOCH },
    { id: 'f2', personId: 'bob', initiativeId: 'ini', domainId: null, overPersonId: null, strength: 'low', observedAt: AT })
  data.decisions.push({ id: 'dc1', initiativeId: 'ini', decidedBy: 'ada', decidedAt: AT, outcome: 'Go', kind: 'decision', supersedes: null })
  return data
}

t.test('loadSnapshot reads every table as the records name them', async (t) => {
  const data = fullRegistry()
  const snapshot = loadSnapshot(database(t, data))
  for (const name of ['people', 'domains', 'initiatives', 'assignments', 'delegations', 'influences', 'decisions'] as const) {
    t.strictSame(byId<{ id: string }>(snapshot[name]), byId<{ id: string }>(data[name]), name)
  }
  const order = (s: { personId: string, validFrom: string }) => `${s.personId} ${s.validFrom}`
  t.strictSame([...snapshot.statuses].sort((a, b) => order(a) < order(b) ? -1 : 1), [...data.statuses].sort((a, b) => order(a) < order(b) ? -1 : 1), 'statuses')
  t.equal(snapshot.delegations.find((d) => d.id === 'g1')?.allScopes, true, 'allScopes is a boolean')
  t.equal(snapshot.delegations.find((d) => d.id === 'g2')?.allScopes, false)
  t.strictSame(snapshot.person('ada')?.tags, ['founder', 'shareholder'], 'tags are parsed')
})

t.test('loadSnapshot of an empty registry', async (t) => {
  const snapshot = loadSnapshot(database(t))
  t.strictSame([snapshot.people, snapshot.assignments, snapshot.delegations].map((rows) => rows.length), [0, 0, 0])
  t.equal(snapshot.initiative('x'), undefined)
})

t.test('indexes: by id, by target and role in id order, delegations by delegator, timelines oldest first', async (t) => {
  const data = new RegistryBuilder().people('ada', 'bob').domain('d').initiative('i', 'd')
    .assign('a3', 'ada', 'i').assign('a1', 'bob', 'i', 'A', EPOCH, '2026-01-01T00:00:00.000Z').assign('a2', 'bob', 'i', 'R').assign('a0', 'ada', 'd:d')
    .delegate('g2', 'ada', 'bob', '*').delegate('g1', 'ada', 'bob', 'i', '2027-01-01T00:00:00.000Z')
    .status('ada', 'retired', '2026-02-01T00:00:00.000Z').status('ada', 'on_leave', '2025-01-01T00:00:00.000Z')
    .build()
  const s = createSnapshot(data)
  t.equal(s.peopleById.get('bob')?.name, 'BOB')
  t.equal(s.domainsById.get('d')?.id, 'd')
  t.equal(s.initiativesById.get('i')?.domainId, 'd')
  t.strictSame(s.assignmentsOn({ kind: 'initiative', id: 'i' }, 'A').map((a) => a.id), ['a1', 'a3'], 'every period, in id order')
  t.strictSame(s.assignmentsByInitiative.get('i')?.R.map((a) => a.id), ['a2'])
  t.strictSame(s.assignmentsOn({ kind: 'domain', id: 'd' }, 'A').map((a) => a.id), ['a0'])
  t.strictSame(s.assignmentsOn({ kind: 'domain', id: 'i' }, 'A'), [], 'an initiative id is no domain')
  t.strictSame(s.assignmentsOn({ kind: 'initiative', id: 'i' }, 'C'), [])
  t.strictSame(s.holders({ kind: 'initiative', id: 'i' }, 'A', AT).map((a) => a.id), ['a3'], 'holders: valid at the time only')
  t.strictSame(s.holders({ kind: 'initiative', id: 'i' }, 'A', '2025-06-01T00:00:00.000Z').map((a) => a.id), ['a1', 'a3'])
  t.strictSame(s.delegationsByFrom.get('ada')?.map((d) => d.id), ['g1', 'g2'])
  t.strictSame(s.delegationsFrom('ada', AT).map((d) => d.id), ['g2'], 'delegationsFrom: valid at the time only')
  t.strictSame(s.delegationsFrom('ada', '2027-06-01T00:00:00.000Z').map((d) => d.id), ['g1', 'g2'])
  t.strictSame(s.delegationsFrom('bob', AT), [])
  t.strictSame(s.timelines.get('ada')?.map((p) => p.status), ['on_leave', 'retired'], 'timeline sorted by validFrom')
})

t.test('statusAt: the latest entry on or before the time; the earliest before any; the recorded status without a timeline', async (t) => {
  const data = new RegistryBuilder().person('ada', [['on_leave', '2026-01-01T00:00:00.000Z'], ['active', '2026-02-01T00:00:00.000Z']]).person('bob').build()
  data.people[1]!.status = 'retired'
  const db = database(t, data)
  const index = new DeciderIndex(db)
  index.refresh()
  for (const [name, source] of [['snapshot', createSnapshot(data)], ['sql', new SqlSource(db)], ['index', index]] as const) {
    const cases: [string, string, string][] = [
      ['ada', '2025-01-01T00:00:00.000Z', 'on_leave'],
      ['ada', '2026-01-01T00:00:00.000Z', 'on_leave'],
      ['ada', '2026-01-31T23:59:59.999Z', 'on_leave'],
      ['ada', '2026-02-01T00:00:00.000Z', 'active'],
      ['bob', AT, 'retired']
    ]
    for (const [person, at, status] of cases) t.equal(source.statusAt(person, at), status, `${name}: ${person} at ${at}`)
    t.equal(source.statusAt('nobody', AT), 'departed', `${name}: an unknown person cannot act`)
    t.equal(source.person('nobody'), undefined)
  }
})

t.test('a snapshot is immutable and leaves its input alone', async (t) => {
  const data = fullRegistry()
  const s = createSnapshot(data)
  t.ok(Object.isFrozen(s), 'the snapshot')
  for (const rows of [s.people, s.statuses, s.domains, s.initiatives, s.assignments, s.delegations, s.influences, s.decisions]) t.ok(Object.isFrozen(rows))
  t.ok(Object.isFrozen(s.assignmentsOn({ kind: 'initiative', id: 'ini' }, 'A')), 'index lists')
  t.ok(Object.isFrozen(s.assignmentsByInitiative.get('ini')), 'index entries')
  t.ok(Object.isFrozen(s.delegationsByFrom.get('cyd')))
  t.throws(() => { (s.assignments as unknown[]).push({}) }, TypeError)
  t.notOk(Object.isFrozen(data.assignments), 'the input arrays stay the caller\'s')
  data.assignments.length = 0
  t.equal(s.assignments.length, 2, 'and changing them later does not change the snapshot')
})

t.test('a delegation with no scope covers nothing', async (t) => {
  const data = new RegistryBuilder().people('ada', 'bob').initiative('i', null).status('ada', 'on_leave').assign('a1', 'ada', 'i').delegate('g1', 'ada', 'bob', '*').build()
  data.delegations[0]!.allScopes = false
  t.equal(resolveDecider(createSnapshot(data), { kind: 'initiative', id: 'i' }, AT).resolution, 'absent')
})

// Random registries: the SQL source and the snapshot must give the same answer for every target at every time.
const TIMES = ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01'].map((d) => `${d}T00:00:00.000Z`)
const ATS = [...TIMES, '2025-12-31T00:00:00.000Z', '2026-01-15T00:00:00.000Z', '2026-03-15T12:00:00.000Z', '2026-05-02T00:00:00.000Z']
const PEOPLE = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5']
const DOMAINS = ['d0', 'd1', 'd2', 'd3', 'd4']
const INITIATIVES = ['i0', 'i1', 'i2', 'i3']
const STATUS = fc.constantFrom('active', 'active', 'on_leave', 'departed', 'retired' as const)
// validTo after validFrom, or open (null) when it would fall past the last time.
const period = fc.tuple(fc.integer({ min: 0, max: TIMES.length - 1 }), fc.integer({ min: 1, max: TIMES.length })).map(([from, span]) => ({
  validFrom: TIMES[from]!, validTo: TIMES[from + span] ?? null
}))
const where = fc.oneof(fc.constantFrom(...INITIATIVES), fc.constantFrom(...DOMAINS.map((d) => `d:${d}`)))

const registry = fc.record({
  timelines: fc.array(fc.array(fc.tuple(STATUS, fc.constantFrom(EPOCH, ...TIMES)), { maxLength: 3 }), { minLength: PEOPLE.length, maxLength: PEOPLE.length }),
  // Mostly a tree (parent among the earlier domains), sometimes a loop.
  parents: fc.array(fc.option(fc.constantFrom(...DOMAINS), { nil: null, freq: 3 }), { minLength: DOMAINS.length, maxLength: DOMAINS.length }),
  initiatives: fc.array(fc.tuple(fc.option(fc.constantFrom(...DOMAINS), { nil: null, freq: 4 }), fc.constantFrom('single', 'pool', 'unanimous' as const)),
    { minLength: INITIATIVES.length, maxLength: INITIATIVES.length }),
  assignments: fc.uniqueArray(fc.record({ n: fc.integer({ min: 0, max: 999 }), person: fc.constantFrom(...PEOPLE), where, role: fc.constantFrom('A', 'A', 'A', 'R' as const), period }),
    { selector: (a) => a.n, maxLength: 14 }),
  delegations: fc.uniqueArray(fc.record({
    n: fc.integer({ min: 0, max: 999 }), from: fc.constantFrom(...PEOPLE), to: fc.constantFrom(...PEOPLE), scope: fc.oneof(where, fc.constant('*')), period,
    kind: fc.constantFrom('deputy', 'transfer' as const)
  }),
    { selector: (d) => d.n, maxLength: 12 })
}).map((r) => {
  const b = new RegistryBuilder()
  PEOPLE.forEach((id, i) => {
    b.person(id)
    // A timeline has distinct times (the table's key); the later entry for one time wins, as the service writes it.
    const byTime = new Map(r.timelines[i]!.map(([status, from]) => [from, status]))
    for (const [from, status] of byTime) b.status(id, status, from)
  })
  DOMAINS.forEach((id, i) => {
    const parent = r.parents[i] ?? null
    b.domain(id, parent === id ? null : parent)
  })
  INITIATIVES.forEach((id, i) => b.initiative(id, r.initiatives[i]![0], r.initiatives[i]![1]))
  for (const a of r.assignments) b.assign(`a${a.n}`, a.person, a.where, a.role, a.period.validFrom, a.period.validTo)
  for (const d of r.delegations) if (d.from !== d.to) b.delegate(`g${d.n}`, d.from, d.to, d.scope, d.period.validFrom, d.period.validTo, d.kind)
  return b.build()
})

const targets: Target[] = [...INITIATIVES.map((id) => ({ kind: 'initiative' as const, id })), ...DOMAINS.map((id) => ({ kind: 'domain' as const, id }))]

t.test('the SQL source, the snapshot and the index agree on random registries', async (t) => {
  let compared = 0
  const resolutions = new Set<string>()
  const kinds = new Set<string>()
  fc.assert(fc.property(registry, (data) => {
    const db = openDatabase(':memory:')
    try {
      writeRegistry(db, data)
      const snapshot = createSnapshot(data)
      const index = new DeciderIndex(db)
      index.refresh()
      for (const target of targets) {
        for (const at of ATS) {
          const fromSql = JSON.stringify(resolveDecider(new SqlSource(db), target, at))
          for (const [name, source] of [['snapshot', snapshot], ['index', index]] as const) {
            const other = JSON.stringify(resolveDecider(source, target, at))
            if (other !== fromSql) throw new Error(`${target.kind} ${target.id} at ${at}: sql ${fromSql} ≠ ${name} ${other}`)
          }
          compared++
          const answer = JSON.parse(fromSql) as DeciderAnswer
          resolutions.add(answer.resolution)
          for (const d of answer.deciders) for (const step of d.via) if (step.kind === 'delegation') kinds.add(step.delegationKind)
        }
      }
    } finally {
      db.$client.close()
    }
  }), { seed: 20260303, numRuns: 120 })
  t.ok(compared > 5000, `${compared} answers compared`)
  t.strictSame([...resolutions].sort(), ['absent', 'ambiguous', 'clear', 'none'], 'the random registries reach every resolution')
  t.strictSame([...kinds].sort(), ['deputy', 'transfer'], 'and follow delegations of both kinds')
})

