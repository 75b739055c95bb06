// The registry read once into immutable arrays and indexes: the RegistrySource of audits and of the rule tests.
import type { PersonStatus } from '../../db/schema.js'
import type { Db } from '../database.js'
import type {
  AssignmentRecord, DecisionRecord, DelegationRecord, DomainRecord, InfluenceRecord, InitiativeRecord, PersonRecord,
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

/** Assignments by target, then role; lists sorted by id and frozen. */
function byTargetAndRole (assignments: readonly AssignmentRecord[]): { initiatives: Map<string, RoleLists>, domains: Map<string, RoleLists> } {
  const initiatives = new Map<string, Record<RaciRoleName, AssignmentRecord[]>>()
  const domains = new Map<string, Record<RaciRoleName, AssignmentRecord[]>>()
  // Rows of one target often come together (written or imported together): reusing the last lists skips a lookup
  // in a map of 100k targets, which dominates indexing time.
  let lastId: string | null = null
  let lastOnInitiative = false
  let lists: Record<RaciRoleName, AssignmentRecord[]> | undefined
  for (const a of assignments) {
    const onInitiative = a.initiativeId !== null
    const id = onInitiative ? a.initiativeId : a.domainId
    if (id === null) continue
    if (lists === undefined || id !== lastId || onInitiative !== lastOnInitiative) {
      const index = onInitiative ? initiatives : domains
      lists = index.get(id)
      if (lists === undefined) index.set(id, lists = { R: [], A: [], C: [], I: [] })
      lastId = id
      lastOnInitiative = onInitiative
    }
    lists[a.role].push(a)
  }
  for (const index of [initiatives, domains]) {
    for (const lists of index.values()) {
      for (const list of [lists.R, lists.A, lists.C, lists.I]) {
        if (list.length > 1) list.sort(byId)
        Object.freeze(list)
      }
      Object.freeze(lists)
    }
  }
  return { initiatives, domains }
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

/** Builds a snapshot over the data; the arrays are copied and frozen, the caller's are left alone. */
export function createSnapshot (data: RegistryData): Snapshot {
  const freeze = <T>(rows: readonly T[]): readonly T[] => Object.freeze(rows.slice())
  const people = freeze(data.people)
  const statuses = freeze(data.statuses)
  const domains = freeze(data.domains)
  const initiatives = freeze(data.initiatives)
  const assignments = freeze(data.assignments)
  const delegations = freeze(data.delegations)
  const peopleById = indexById(people)
  const domainsById = indexById(domains)
  const initiativesById = indexById(initiatives)
  const { initiatives: assignmentsByInitiative, domains: assignmentsByDomain } = byTargetAndRole(assignments)
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
    holders: (target: Target, role: RaciRoleName, at: string) => assignmentsOn(target, role).filter((a) => holdsAt(a, at)),
    delegationsFrom: (personId: string, at: string) => (delegationsByFrom.get(personId) ?? NONE).filter((d) => holdsAt(d, at))
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
  initiatives: `SELECT id, title, domain_id AS domainId, status, decision_rule AS decisionRule, decision_due_at AS decisionDueAt
    FROM initiatives`,
  assignments: `SELECT id, person_id AS personId, role, initiative_id AS initiativeId, domain_id AS domainId,
    valid_from AS validFrom, valid_to AS validTo FROM assignments`,
  delegations: `SELECT id, from_person_id AS fromPersonId, to_person_id AS toPersonId, initiative_id AS initiativeId,
    domain_id AS domainId, all_scopes AS allScopes, valid_from AS validFrom, valid_to AS validTo FROM delegations`,
  influences: `SELECT id, person_id AS personId, initiative_id AS initiativeId, domain_id AS domainId,
    over_person_id AS overPersonId, strength, observed_at AS observedAt FROM influences`,
  decisions: 'SELECT id, initiative_id AS initiativeId, decided_by AS decidedBy, decided_at AS decidedAt, outcome FROM decisions'
} as const

/** Reads every table in one read transaction, so the snapshot is one consistent state of the registry. */
/**
 * Assignments are most of a large registry: rows are streamed rather than collected first, and the values they
 * repeat (people, targets, roles, times) are shared instead of held once per row — about half the memory at 1M rows.
 */
function loadAssignments (sqlite: Db['$client']): AssignmentRecord[] {
  const seen = new Map<string, string>()
  const shared = (value: string | null): string | null => {
    if (value === null) return null
    const known = seen.get(value)
    if (known !== undefined) return known
    seen.set(value, value)
    return value
  }
  const rows: AssignmentRecord[] = []
  for (const [id, personId, role, initiativeId, domainId, validFrom, validTo] of
    sqlite.prepare(LOAD.assignments).raw().iterate() as IterableIterator<[string, string, RaciRoleName, string | null, string | null, string, string | null]>) {
    rows.push({ id, personId: shared(personId)!, role: shared(role) as RaciRoleName, initiativeId: shared(initiativeId), domainId: shared(domainId), validFrom: shared(validFrom)!, validTo: shared(validTo) })
  }
  return rows
}

export function loadRegistryData (db: Db): RegistryData {
  const sqlite = db.$client
  const all = <T>(source: string): T[] => sqlite.prepare(source).all() as T[]
  return sqlite.transaction((): RegistryData => {
    const people = all<Omit<PersonRecord, 'tags'> & { tags: string }>(LOAD.people)
    for (const p of people) (p as unknown as PersonRecord).tags = JSON.parse(p.tags) as string[]
    const delegations = all<Omit<DelegationRecord, 'allScopes'> & { allScopes: number }>(LOAD.delegations)
    for (const d of delegations) (d as unknown as DelegationRecord).allScopes = d.allScopes === 1
    return {
      people: people as unknown as PersonRecord[],
      statuses: all(LOAD.statuses),
      domains: all(LOAD.domains),
      initiatives: all(LOAD.initiatives),
      assignments: loadAssignments(sqlite),
      delegations: delegations as unknown as DelegationRecord[],
      influences: all(LOAD.influences),
      decisions: all(LOAD.decisions)
    }
  }).deferred()
}

/** The snapshot of the registry as stored now. */
export const loadSnapshot = (db: Db): Snapshot => createSnapshot(loadRegistryData(db))
