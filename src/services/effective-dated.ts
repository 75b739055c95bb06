// The use cases every effective-dated record kind shares: list (now or at a time), get, create, change, and end or
// delete. A kind says only what differs: its table, its view, its filters, its target and references, its rules.
import { now, toInstant } from '../clock.js'
import { invalidRecord, ProblemError } from '../errors.js'
import { transact, type Actor } from '../store/change-log.js'
import type { Db } from '../store/connection.js'
import { findOverlap, lastRevisionOf, selectKindPage, type KindTable, type Period } from '../store/effective-dated.js'
import { activeVersionAt, findVersionAt, pageAt, versionField, type AsOf, type Condition } from '../store/history.js'
import { assertNewId, assertReference, checkIfMatch, deleteRecord as deleteStored, findRecord, insertRecord, replaceRecord, type Page, type PageRequest, type RecordEntity, type Written } from '../store/records.js'
import { newId } from './ids.js'
import { assertOneTarget, assertPeriod } from './targets.js'

/** The columns every record of a kind has besides its own. */
interface Stored { id: string, version: number, createdAt: string, updatedAt: string }

export interface Kind<T extends KindTable, R> {
  entity: RecordEntity
  table: T
  /** The record as the API shows it (and the change log keeps it). */
  view: (row: T['$inferSelect']) => R
  /** The query fields a list compares by equality, in this order, now and at a time. */
  filters: readonly string[]
  /** The fields of which exactly one is set: what the record is about. */
  targets: readonly string[]
  /** The fields that name other records, checked in this order. */
  references: readonly (readonly [field: string, entity: RecordEntity])[]
  /** Fields holding instants, stored in canonical UTC. */
  instants: readonly string[]
  /** A created record's values for the fields its body leaves out. */
  defaults: (at: string) => Partial<T['$inferSelect']>
  /** A field that must not name the same record as another one. */
  notSame?: { field: string, as: string, message: string }
  /** The record holds over [validFrom, validTo): the period is checked, and lists filter by ?activeAt=. */
  period?: boolean
  /**
   * Fields added after records of the kind were first written, with the value such a record has: a version in the
   * change log written before a field existed reads (and filters) as if it held this value.
   */
  added?: Partial<R>
  /** Two records with the same values of `key` on the same target must not hold at once. */
  overlap?: { key: readonly string[], message: (row: T['$inferSelect'], existing: T['$inferSelect'] & Period) => string }
}

type Row<T extends KindTable> = T['$inferSelect'] & Stored
type Fields = Record<string, unknown>

/** The record with each instant field that `changes` sets written in canonical UTC. */
function withInstants<T> (record: T, changes: Fields, instants: readonly string[]): T {
  const result = record as Fields
  for (const field of instants) {
    const value = changes[field]
    if (typeof value === 'string') result[field] = toInstant(value)
  }
  return record
}

export function listRecords<T extends KindTable, R extends { id: string }> (db: Db, kind: Kind<T, R>, q: PageRequest & Fields & { at?: string, activeAt?: string }): Page<R> {
  const equal = kind.filters.map((f) => [f, q[f]] as [string, unknown])
  if (q.at === undefined) return selectKindPage(db, kind.table, q, equal, q.activeAt === undefined ? undefined : toInstant(q.activeAt), kind.view)
  const added = (kind.added ?? {}) as Fields
  return pageAt(db, kind.entity, q.at, q, {
    equal: Object.fromEntries(equal.filter(([f]) => !(f in added))) as Record<string, string | undefined>,
    where: [
      ...equal.filter(([f]) => f in added).map(([f, value]) => addedEquals(f, added[f], value)),
      ...(kind.period === true ? [activeVersionAt(q.activeAt)] : [])
    ],
    asOf: withAdded(kind)
  })
}

/** Equality on an added field of the version, where a version without the field holds its value then. */
function addedEquals (field: string, then: unknown, value: unknown): Condition | undefined {
  return value === undefined ? undefined : { sql: `coalesce(${versionField(field)}, @then_${field}) = @is_${field}`, params: { [`then_${field}`]: then, [`is_${field}`]: value } }
}

/** A version from the change log with the kind's added fields it lacks filled in. */
const withAdded = <R>(kind: Kind<KindTable, R>): AsOf<R> | undefined =>
  kind.added === undefined ? undefined : (_db, record) => ({ ...kind.added, ...record })

const findRow = <T extends KindTable>(db: Db, kind: Kind<T, unknown>, id: string): Row<T> => findRecord(db, kind.table, kind.entity, id) as Row<T>

/** The record now, or as it stood in the registry at `at`. */
export function getRecord<T extends KindTable, R> (db: Db, kind: Kind<T, R>, id: string, at?: string): R {
  return at === undefined ? kind.view(findRow(db, kind, id)) : findVersionAt(db, kind.entity, id, at, withAdded(kind))
}

/** Every rule a stored record keeps, checked on the whole (created or merged) record. */
function assertValid<T extends KindTable> (db: Db, kind: Kind<T, unknown>, row: Row<T>): void {
  const fields = row as Fields
  assertOneTarget(fields, kind.targets)
  for (const [field, entity] of kind.references) assertReference(db, `/${field}`, entity, fields[field] as string | null)
  if (kind.notSame !== undefined && fields[kind.notSame.field] === fields[kind.notSame.as]) throw invalidRecord(`/${kind.notSame.field}`, kind.notSame.message)
  if (kind.period === true) {
    const { validFrom, validTo } = row as unknown as Period
    assertPeriod(validFrom, validTo)
    if (kind.overlap !== undefined) assertNoOverlap(db, kind, row)
  }
}

function assertNoOverlap<T extends KindTable> (db: Db, kind: Kind<T, unknown>, row: Row<T>): void {
  const fields = row as Fields
  const target = kind.targets.find((f) => fields[f] !== null && fields[f] !== undefined && fields[f] !== false)!
  const existing = findOverlap(db, kind.table, row as Row<T> & Period, kind.overlap!.key, target)
  if (existing === undefined) return
  const message = kind.overlap!.message(row, existing)
  // blockedBy names the existing record for machines, as in-use problems name their blockers.
  throw new ProblemError('WHODECIDES_ERR_CONFLICT', `validFrom: ${message}`, {
    errors: [{ in: 'body', path: '/validFrom', message }],
    blockedBy: [{ entity: kind.entity, id: existing.id }]
  })
}

export function createRecord<T extends KindTable, R> (db: Db, kind: Kind<T, R>, actor: Actor, input: Fields & { id?: string }): Written<R> {
  return transact(db, () => {
    const at = now()
    const id = input.id ?? newId()
    const row = withInstants({ ...kind.defaults(at), ...input, id, version: 1, createdAt: at, updatedAt: at } as Row<T>, input, kind.instants)
    if (input.id !== undefined) assertNewId(db, kind.entity, id)
    assertValid(db, kind, row)
    return insertRecord(db, actor, at, kind.entity, kind.table, row, kind.view)
  })
}

export function updateRecord<T extends KindTable, R> (db: Db, kind: Kind<T, R>, actor: Actor, id: string, patch: Fields, ifMatch?: string): Written<R> {
  return transact(db, () => {
    const current = findRow(db, kind, id)
    checkIfMatch(current.version, ifMatch)
    const at = now()
    const row = withInstants({ ...current, ...patch, version: current.version + 1, updatedAt: at }, patch, kind.instants)
    assertValid(db, kind, row)
    return replaceRecord(db, actor, at, kind.entity, kind.table, current, row, kind.view)
  })
}

/**
 * Ends the record now, keeping it on record. One that has not begun yet ends at its own start (an empty period:
 * it never held). One already ended is answered as it is, with the revision that last wrote it.
 */
export function endRecord<T extends KindTable, R> (db: Db, kind: Kind<T, R>, actor: Actor, id: string, ifMatch?: string): Written<R> {
  return transact(db, () => {
    const current = findRow(db, kind, id) as Row<T> & Period
    checkIfMatch(current.version, ifMatch)
    const at = now()
    const end = current.validFrom > at ? current.validFrom : at
    if (current.validTo !== null && current.validTo <= end) return { record: kind.view(current), revision: lastRevisionOf(db, kind.entity, id) }
    const row = { ...current, validTo: end, version: current.version + 1, updatedAt: at }
    return replaceRecord(db, actor, at, kind.entity, kind.table, current, row, kind.view, 'end')
  })
}

/** Deletes the record, its last version kept in the change log. */
export function deleteRecord<T extends KindTable, R> (db: Db, kind: Kind<T, R>, actor: Actor, id: string, ifMatch?: string): { revision: number } {
  return transact(db, () => {
    const current = findRow(db, kind, id)
    checkIfMatch(current.version, ifMatch)
    return { revision: deleteStored(db, actor, now(), kind.entity, kind.table, current, kind.view) }
  })
}
