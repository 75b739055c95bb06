// The registry read once into immutable arrays and indexes: the RegistrySource of audits and of the rule tests.
import type { PersonStatus } from '../../db/schema.js'
import type { Db } from '../store/connection.js'
import { loadRegistryData } from '../store/registry-data.js'
import { byId, indexAssignments, type RoleLists } from './assignment-index.js'
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

/** The snapshot of the registry as stored now. */
export const loadSnapshot = (db: Db): Snapshot => createSnapshot(loadRegistryData(db))
