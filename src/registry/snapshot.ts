// The registry read once into immutable arrays and indexes: the RegistrySource of audits and of the rule tests.
import type { DecisionRule, PersonStatus } from '../../db/schema.js'
import type { Db } from '../store/connection.js'
import { Interner } from './interner.js'
import type {
  AssignmentRecord, DecisionRecord, DelegationRecord, DomainRecord, InfluenceRecord, InitiativeRecord, InitiativeStatus, PersonRecord,
  RaciRoleName, RegistryData, RegistrySource, StatusPeriod, Target
} from './types.js'

type StatusRow = StatusPeriod & { personId: string }

/** An immutable registry at rest: the arrays it was built from, indexes built once, and RegistrySource lookups. */
export interface Snapshot extends RegistrySource {
  /** The records in the order they were given (loadSnapshot: storage order); only the indexes are sorted. */
  readonly people: readonly PersonRecord[]
  readonly statuses: readonly StatusRow[]
  readonly domains: readonly DomainRecord[]
  readonly initiatives: readonly InitiativeRecord[]
  readonly assignments: readonly AssignmentRecord[]
  readonly delegations: readonly DelegationRecord[]
  readonly influences: readonly InfluenceRecord[]
  readonly decisions: readonly DecisionRecord[]
  readonly peopleById: ReadonlyMap<string, PersonRecord>
  readonly domainsById: ReadonlyMap<string, DomainRecord>
  readonly initiativesById: ReadonlyMap<string, InitiativeRecord>
  /** Every assignment on an initiative itself, of any period, by role, each list in id order. */
  readonly assignmentsByInitiative: ReadonlyMap<string, RoleLists>
  /** Every assignment on a domain itself (not inherited), of any period, by role, each list in id order. */
  readonly assignmentsByDomain: ReadonlyMap<string, RoleLists>
  /** Every delegation from a person, of any period and scope, in id order. */
  readonly delegationsByFrom: ReadonlyMap<string, readonly DelegationRecord[]>
  /** Each person's status timeline, oldest first. */
  readonly timelines: ReadonlyMap<string, readonly StatusPeriod[]>
  /** Every assignment of `role` on the target itself (not inherited), whatever its period, in id order. */
  assignmentsOn: (target: Target, role: RaciRoleName) => readonly AssignmentRecord[]
}

/** The assignments on one target, by role. */
export type RoleLists = Readonly<Record<RaciRoleName, readonly AssignmentRecord[]>>

const NONE: readonly never[] = Object.freeze([])

/** Whether an effective-dated row holds at `at`: [validFrom, validTo), times in one canonical ISO form. */
export const holdsAt = (row: { validFrom: string, validTo: string | null }, at: string): boolean =>
  row.validFrom <= at && (row.validTo === null || row.validTo > at)

/**
 * The rows that hold at `at`: the (immutable) list itself when they all do, as most do at most times — an audit asks
 * this hundreds of thousands of times, and a copy each time was much of its work.
 */
export function holdingAt<T extends { validFrom: string, validTo: string | null }> (rows: readonly T[], at: string): readonly T[] {
  for (let i = 0; i < rows.length; i++) {
    if (!holdsAt(rows[i]!, at)) return rows.filter((row) => holdsAt(row, at))
  }
  return rows
}

// Ids are [a-z0-9._-]: comparing them as JS strings orders them as SQLite's BINARY collation does.
export const byId = (a: { id: string }, b: { id: string }): number => a.id < b.id ? -1 : a.id > b.id ? 1 : 0

function group<T> (rows: readonly T[], keyOf: (row: T) => string, compare: (a: T, b: T) => number): Map<string, readonly T[]> {
  const buckets = new Map<string, T[]>()
  for (const row of rows) {
    const key = keyOf(row)
    const bucket = buckets.get(key)
    if (bucket === undefined) buckets.set(key, [row])
    else bucket.push(row)
  }
  for (const bucket of buckets.values()) {
    if (bucket.length > 1) bucket.sort(compare)
    Object.freeze(bucket)
  }
  return buckets
}

/** Assignments by target, then role. */
export interface AssignmentIndex { initiatives: Map<string, RoleLists>, domains: Map<string, RoleLists> }
export type OpenLists = Record<RaciRoleName, AssignmentRecord[]>

/** Sorts each list of the target's by id and freezes it, and them. */
export function closeLists (lists: OpenLists): RoleLists {
  for (const list of [lists.R, lists.A, lists.C, lists.I]) {
    if (list.length > 1) list.sort(byId)
    Object.freeze(list)
  }
  return Object.freeze(lists)
}

/**
 * Builds the index of assignments by target and role, a row at a time; `done` sorts each list by id and freezes it.
 * Rows of one target often come together (written or imported together): reusing the last lists skips a lookup in
 * a map of 100k targets, which dominates indexing time.
 */
function assignmentIndexer (): { add: (a: AssignmentRecord) => void, done: () => AssignmentIndex } {
  const initiatives = new Map<string, OpenLists>()
  const domains = new Map<string, OpenLists>()
  let lastId: string | null = null
  let lastOnInitiative = false
  let lists: OpenLists | undefined
  return {
    add (a) {
      const onInitiative = a.initiativeId !== null
      const id = onInitiative ? a.initiativeId : a.domainId
      if (id === null) return
      if (lists === undefined || id !== lastId || onInitiative !== lastOnInitiative) {
        const index = onInitiative ? initiatives : domains
        lists = index.get(id)
        if (lists === undefined) index.set(id, lists = { R: [], A: [], C: [], I: [] })
        lastId = id
        lastOnInitiative = onInitiative
      }
      lists[a.role].push(a)
    },
    done () {
      for (const index of [initiatives, domains]) for (const lists of index.values()) closeLists(lists)
      return { initiatives, domains }
    }
  }
}

/**
 * The assignment index built along with the (frozen) assignments — by loadRegistryData while it read them, or by a
 * refresh (snapshot-refresh.ts) — so that a snapshot of them does not build it again.
 */
const indexedOnLoad = new WeakMap<readonly AssignmentRecord[], AssignmentIndex>()

export function adoptAssignmentIndex (assignments: readonly AssignmentRecord[], index: AssignmentIndex): void {
  indexedOnLoad.set(assignments, index)
}

/** The index of the assignments by target and role: the one built with them, or built now. */
export function indexAssignments (assignments: readonly AssignmentRecord[]): AssignmentIndex {
  const built = indexedOnLoad.get(assignments)
  if (built !== undefined) return built
  const indexer = assignmentIndexer()
  for (const a of assignments) indexer.add(a)
  return indexer.done()
}

const indexById = <T extends { id: string }>(rows: readonly T[]): Map<string, T> => new Map(rows.map((r) => [r.id, r]))

/**
 * The status at `at`: the latest entry from on or before `at`. Before the first entry, the earliest known status
 * holds (nothing older is known); without a timeline, the status as recorded.
 */
export function statusFromTimeline (timeline: readonly StatusPeriod[] | undefined, recorded: PersonStatus | undefined, at: string): PersonStatus {
  if (timeline === undefined || timeline.length === 0) return recorded ?? 'departed'
  for (let i = timeline.length - 1; i >= 0; i--) {
    if (timeline[i]!.validFrom <= at) return timeline[i]!.status
  }
  return timeline[0]!.status
}

/** Builds a snapshot over the data; the arrays are copied and frozen (a frozen one is taken as it is), the caller's are left alone. */
export function createSnapshot (data: RegistryData): Snapshot {
  // Arrays frozen already (the loader freezes the assignments) cannot change under the snapshot: no copy needed.
  const freeze = <T>(rows: readonly T[]): readonly T[] => Object.isFrozen(rows) ? rows : Object.freeze(rows.slice())
  const people = freeze(data.people)
  const statuses = freeze(data.statuses)
  const domains = freeze(data.domains)
  const initiatives = freeze(data.initiatives)
  const assignments = freeze(data.assignments)
  const delegations = freeze(data.delegations)
  const peopleById = indexById(people)
  const domainsById = indexById(domains)
  const initiativesById = indexById(initiatives)
  const { initiatives: assignmentsByInitiative, domains: assignmentsByDomain } = indexAssignments(assignments)
  const delegationsByFrom = group(delegations, (d) => d.fromPersonId, byId)
  const timelines = group<StatusRow>(statuses, (s) => s.personId,
    (a, b) => a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0)

  const assignmentsOn = (target: Target, role: RaciRoleName): readonly AssignmentRecord[] =>
    (target.kind === 'initiative' ? assignmentsByInitiative : assignmentsByDomain).get(target.id)?.[role] ?? NONE

  return Object.freeze({
    people,
    statuses,
    domains,
    initiatives,
    assignments,
    delegations,
    influences: freeze(data.influences),
    decisions: freeze(data.decisions),
    peopleById,
    domainsById,
    initiativesById,
    assignmentsByInitiative,
    assignmentsByDomain,
    delegationsByFrom,
    timelines,
    assignmentsOn,
    person: (id: string) => peopleById.get(id),
    statusAt: (personId: string, at: string) => statusFromTimeline(timelines.get(personId), peopleById.get(personId)?.status, at),
    initiative: (id: string) => initiativesById.get(id),
    domain: (id: string) => domainsById.get(id),
    holders: (target: Target, role: RaciRoleName, at: string) => holdingAt(assignmentsOn(target, role), at),
    delegationsFrom: (personId: string, at: string) => holdingAt(delegationsByFrom.get(personId) ?? NONE, at)
  })
}

/*
 * Raw prepared statements that name their columns as the records do: better-sqlite3 builds the objects in C++,
 * so no per-row mapping runs in JS except where a value changes type (tags from JSON, allScopes to a boolean).
 */
const LOAD = {
  people: 'SELECT id, name, status, tags, stake_percent AS stakePercent, manager_id AS managerId FROM people',
  statuses: 'SELECT person_id AS personId, status, valid_from AS validFrom FROM person_statuses',
  domains: 'SELECT id, name, parent_id AS parentId FROM domains',
  // 100k initiatives: one JSON text, parsed in one go, costs half what an object made per row by the driver does.
  initiatives: 'SELECT json_group_array(json_array(id, title, domain_id, status, decision_rule, decision_due_at)) FROM initiatives',
  delegations: `SELECT id, from_person_id AS fromPersonId, to_person_id AS toPersonId, initiative_id AS initiativeId,
    domain_id AS domainId, all_scopes AS allScopes, valid_from AS validFrom, valid_to AS validTo FROM delegations`,
  influences: `SELECT id, person_id AS personId, initiative_id AS initiativeId, domain_id AS domainId,
    over_person_id AS overPersonId, strength, observed_at AS observedAt FROM influences`,
  decisions: 'SELECT id, initiative_id AS initiativeId, decided_by AS decidedBy, decided_at AS decidedAt, outcome FROM decisions'
} as const

/*
 * Assignments are most of a large registry (1M rows). Read row by row they cost a call from SQLite into JS per row
 * and a new string per value: SQLite joins the rows instead, up to ASSIGNMENTS_PER_READ at a time, into one string
 * (values apart by U+001F, rows by U+001E: neither can be in an id, a role or a time), which is split here. A value
 * repeated from row to row (people, targets, times) is one shared string, not one per row: half the memory at 1M
 * rows. NULL comes as an empty value: no id or time is empty.
 */
const ASSIGNMENTS_PER_READ = 65_536
const ASSIGNMENT_ROWS = `SELECT count(*), group_concat(concat(id, char(31), person_id, char(31), role, char(31), initiative_id, char(31),
    domain_id, char(31), valid_from, char(31), valid_to), char(30))
  FROM assignments WHERE rowid >= ? AND rowid < ? + ${ASSIGNMENTS_PER_READ}`
// Each read starts at the first rowid left, so that gaps in the rowids cost no empty reads.
const NEXT_ASSIGNMENT = 'SELECT min(rowid) FROM assignments WHERE rowid > ?'
const ROLE_NAMES = new Set<string>(['R', 'A', 'C', 'I'])
const unreadable = (first: number): Error => new Error(`assignments from rowid ${first} could not be read: a role is not R, A, C or I, or a value holds U+001E or U+001F`)

/**
 * Every assignment, frozen, in storage order, with its index by target and role built on the way (indexedOnLoad).
 * `strings` holds the strings already read (people, domain and initiative ids), which the assignments then share.
 */
function loadAssignments (sqlite: Db['$client'], strings: Interner): AssignmentRecord[] {
  const read = sqlite.prepare(ASSIGNMENT_ROWS).raw()
  const next = sqlite.prepare(NEXT_ASSIGNMENT).pluck()
  const rows: AssignmentRecord[] = []
  const indexer = assignmentIndexer()
  const intern = (text: string, from: number, to: number): string => strings.get(text, from, to)
  // A value equal to the one before it in its column is taken without cutting a new string out of the text.
  let initiative = ''
  let domain = ''
  let from = ''
  let to = ''
  const same = (s: string, at: number, end: number, last: string): boolean => end - at === last.length && s.startsWith(last, at)
  for (let first = next.get(Number.MIN_SAFE_INTEGER) as number | null; first !== null; first = next.get(first + ASSIGNMENTS_PER_READ - 1) as number | null) {
    const [count, text] = read.get(first, first) as [number, string | null]
    if (text === null) continue
    let at = 0
    for (let n = 0; n < count; n++) {
      let end = text.indexOf('\x1f', at)
      const id = text.slice(at, end)
      at = end + 1
      end = text.indexOf('\x1f', at)
      const personId = intern(text, at, end)
      at = end + 1
      const role = text[at] as RaciRoleName
      if (!ROLE_NAMES.has(role) || text.charCodeAt(at + 1) !== 31) throw unreadable(first)
      at += 2
      end = text.indexOf('\x1f', at)
      const initiativeId = end === at ? null : same(text, at, end, initiative) ? initiative : (initiative = intern(text, at, end))
      at = end + 1
      end = text.indexOf('\x1f', at)
      const domainId = end === at ? null : same(text, at, end, domain) ? domain : (domain = intern(text, at, end))
      at = end + 1
      end = text.indexOf('\x1f', at)
      const validFrom = same(text, at, end, from) ? from : (from = intern(text, at, end))
      at = end + 1
      end = text.indexOf('\x1e', at)
      if (end === -1) end = text.length
      const validTo = end === at ? null : same(text, at, end, to) ? to : (to = intern(text, at, end))
      at = end + 1
      const a: AssignmentRecord = { id, personId, role, initiativeId, domainId, validFrom, validTo }
      rows.push(a)
      indexer.add(a)
    }
    // Every row ends where the next begins, and the last at the end: otherwise a value held a separator.
    if (at !== text.length + 1) throw unreadable(first)
  }
  Object.freeze(rows)
  adoptAssignmentIndex(rows, indexer.done())
  return rows
}

type InitiativeRow = [id: string, title: string, domainId: string | null, status: InitiativeStatus, decisionRule: DecisionRule, decisionDueAt: string | null]
const initiativeRecord = ([id, title, domainId, status, decisionRule, decisionDueAt]: InitiativeRow): InitiativeRecord =>
  ({ id, title, domainId, status, decisionRule, decisionDueAt })

/** Every table but the assignments: each small beside them, read whole. */
export type SmallTable = Exclude<keyof RegistryData, 'assignments'>

const all = <T>(sqlite: Db['$client'], source: string): T[] => sqlite.prepare(source).all() as T[]

export const READ_TABLE: { readonly [T in SmallTable]: (sqlite: Db['$client']) => RegistryData[T] } = {
  people: (sqlite) => {
    const people = all<Omit<PersonRecord, 'tags'> & { tags: string }>(sqlite, LOAD.people)
    for (const p of people) (p as unknown as PersonRecord).tags = JSON.parse(p.tags) as string[]
    return people as unknown as PersonRecord[]
  },
  statuses: (sqlite) => all(sqlite, LOAD.statuses),
  domains: (sqlite) => all(sqlite, LOAD.domains),
  initiatives: (sqlite) => (JSON.parse(sqlite.prepare(LOAD.initiatives).pluck().get() as string) as InitiativeRow[]).map(initiativeRecord),
  delegations: (sqlite) => {
    const delegations = all<Omit<DelegationRecord, 'allScopes'> & { allScopes: number }>(sqlite, LOAD.delegations)
    for (const d of delegations) (d as unknown as DelegationRecord).allScopes = d.allScopes === 1
    return delegations as unknown as DelegationRecord[]
  },
  influences: (sqlite) => all(sqlite, LOAD.influences),
  decisions: (sqlite) => all(sqlite, LOAD.decisions)
}

/** Reads every table in one read transaction, so the snapshot is one consistent state of the registry. */
export function loadRegistryData (db: Db): RegistryData {
  const sqlite = db.$client
  return sqlite.transaction((): RegistryData => {
    const people = READ_TABLE.people(sqlite)
    const domains = READ_TABLE.domains(sqlite)
    const initiatives = READ_TABLE.initiatives(sqlite)
    const strings = new Interner([people, domains, initiatives].flatMap((rows) => rows.map((r) => r.id)))
    return {
      people,
      statuses: READ_TABLE.statuses(sqlite),
      domains,
      initiatives,
      assignments: loadAssignments(sqlite, strings),
      delegations: READ_TABLE.delegations(sqlite),
      influences: READ_TABLE.influences(sqlite),
      decisions: READ_TABLE.decisions(sqlite)
    }
  }).deferred()
}

/** The snapshot of the registry as stored now. */
export const loadSnapshot = (db: Db): Snapshot => createSnapshot(loadRegistryData(db))
