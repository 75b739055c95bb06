// The version of a record at time T, from the history (one interval per version) and the change log (each version's
// JSON): as the API showed it then (the services' ?at= reads), and the registry's shape then (the decider index, an
// audit's snapshot, SqlSourceAt).
import type { Statement } from 'better-sqlite3'
import { getTableColumns } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import { toInstant } from '../clock.js'
import { BUNDLE_COLLECTIONS, TABLES, type BundleCollection } from './bundle.js'
import { REFERENCE_FIELDS } from './change-log.js'
import { statement, type Db } from './connection.js'
import { notFound } from '../errors.js'
import { cursorAfter, DEFAULT_PAGE_SIZE, toPage, type Page, type PageRequest, type RecordEntity } from './records.js'
import type { DomainRecord, InitiativeRecord, PersonRecord, RegistryData } from '../registry/types.js'

/*
 * A version holds over [sys_from, sys_to) (sys_to null while it is the current one); its JSON, exactly as the API
 * showed the record, is the `after` of the change at the interval's revision. The intervals of one record never
 * overlap, so at most one contains `at`: the latest that began by then, if it had not ended. Two writes in one
 * millisecond leave an empty interval [t, t), which contains no instant. One record and lists in id order are
 * served by history_entity_idx (entity, entity_id, sys_from); lists filtered by a reference by the current table's
 * index on it and change_refs (REFERENCE_FIELDS, src/store/change-log.ts).
 */
const VERSION_AT = `SELECT c.after AS after, h.sys_to IS NULL AS current FROM history h JOIN changes c ON c.revision = h.revision
  WHERE h.entity = ? AND h.entity_id = ? AND h.sys_from <= ? AND (h.sys_to IS NULL OR h.sys_to > ?)
  ORDER BY h.sys_from DESC LIMIT 1`

/** The earliest instant any version of the collection began: before it, every list is empty. */
const FIRST_VERSION = 'SELECT min(sys_from) AS first FROM history WHERE entity = ?'

/** The current table and column of a reference field of the collection, where it has one (an index, too). */
function currentColumn (entity: RecordEntity, field: string): { table: string, column: string } | undefined {
  if (!REFERENCE_FIELDS.includes(field) || !(BUNDLE_COLLECTIONS as readonly string[]).includes(entity)) return undefined
  const column = (getTableColumns(TABLES[entity as BundleCollection]) as Record<string, SQLiteColumn | undefined>)[field]
  return column === undefined ? undefined : { table: entity, column: column.name }
}

/** The SQL of a field of the version; names come from code, never from a request. */
export function versionField (name: string): string {
  if (!/^[a-zA-Z]+$/.test(name)) throw new Error(`not a field name: ${name}`)
  return `json_extract(c.after, '$.${name}')`
}

/** Turns a version as stored into the record at `at` (people: the status held then); `current`: no write since. */
export type AsOf<R> = (db: Db, record: R, at: string, current: boolean) => R

type VersionRow = { after: string, current: 0 | 1 }

/** The version of the record that stood at `time` (any ISO-8601 form), or undefined when it did not exist then. */
export function versionAt<R> (db: Db, entity: RecordEntity, id: string, time: string, asOf?: AsOf<R>): R | undefined {
  const at = toInstant(time)
  const row = statement(db, VERSION_AT).get(entity, id, at, at) as VersionRow | undefined
  if (row === undefined) return undefined
  const record = JSON.parse(row.after) as R
  return asOf === undefined ? record : asOf(db, record, at, row.current === 1)
}

/** The version of the record that stood at `at`, or the usual 404. */
export function findVersionAt<R> (db: Db, entity: RecordEntity, id: string, at: string, asOf?: AsOf<R>): R {
  const record = versionAt(db, entity, id, at, asOf)
  if (record === undefined) throw notFound(entity, id)
  return record
}

/** A condition in SQL over the version (see versionField), with its @named parameters. */
export interface Condition { sql: string, params: Record<string, unknown> }

/** The version's period [validFrom, validTo) contains the instant (assignments and delegations: ?activeAt=). */
export const activeVersionAt = (activeAt: string | undefined): Condition | undefined => activeAt === undefined ? undefined : {
  sql: `${versionField('validFrom')} <= @activeAt AND (${versionField('validTo')} IS NULL OR ${versionField('validTo')} > @activeAt)`,
  params: { activeAt: toInstant(activeAt) }
}

export interface VersionFilter<R> {
  /** Equality on fields of the version; undefined values are skipped, as the current lists skip absent filters. */
  equal?: Record<string, string | undefined>
  /** More conditions; undefined ones are skipped. */
  where?: (Condition | undefined)[]
  /** A check on the record once asOf has made it the record at `at`, for what SQL cannot see (people's status). */
  keep?: (record: R) => boolean
  asOf?: AsOf<R>
}

export interface VersionOrder {
  /** ORDER BY over `c.entity_id` and versionField()s; default id order. */
  by: string
  /** Where the page starts, in the same terms, with its @named parameters. */
  after?: Condition
}

/**
 * The SQL of a list at an instant. Filtered by a reference field, it reads the records that ever named the value —
 * those that name it now (the current table's index on the field) and those that did before (change_refs) — and
 * checks the version of each at the instant by history_entity_idx; otherwise it walks history_entity_idx in
 * entity_id order, where sys_from is read from the index itself. INDEXED BY keeps SQLite from sorting every
 * version that began before `at` instead (its choice when a filter makes history_time_idx look cheaper).
 */
function listSql (entity: RecordEntity, equal: string[], where: string[], order: VersionOrder | undefined, idAfter: boolean, limited: boolean): string {
  const driver = equal.find((f) => currentColumn(entity, f) !== undefined)
  const id = driver === undefined ? 'h.entity_id' : 'r.entity_id'
  const conditions = [
    ...equal.map((f) => `${versionField(f)} = @f_${f}`),
    'h.sys_from <= @at', '(h.sys_to IS NULL OR h.sys_to > @at)',
    ...(idAfter ? [`${id} > @after`] : []),
    ...(order?.after === undefined ? [] : [order.after.sql]),
    ...where
  ]
  let from = `history h INDEXED BY history_entity_idx JOIN changes c ON c.revision = h.revision WHERE h.entity = '${entity}'`
  if (driver !== undefined) {
    const { table, column } = currentColumn(entity, driver)!
    // The ids come out of the UNION in order; CROSS JOIN keeps them the outer loop, so a page stops at its end.
    const named = `SELECT id AS entity_id FROM ${table} WHERE ${column} = @f_${driver}
      UNION SELECT entity_id FROM change_refs WHERE entity = '${entity}' AND field = '${driver}' AND value = @f_${driver}`
    from = `(${named}) r CROSS JOIN history h INDEXED BY history_entity_idx ON h.entity = '${entity}' AND h.entity_id = r.entity_id
      JOIN changes c ON c.revision = h.revision WHERE 1`
  }
  return `SELECT c.after AS after, h.sys_to IS NULL AS current FROM ${from} AND ${conditions.join(' AND ')} ORDER BY ${order?.by ?? id}${limited ? ' LIMIT @limit' : ''}`
}

/**
 * Up to `limit` records as they stood at `at`, matching the filter, in id order (or `order`), starting after the
 * id `after`. A list asked about a time before the collection's first version is empty without a scan.
 */
export function versionsAt<R> (db: Db, entity: RecordEntity, time: string, filter: VersionFilter<R>, limit: number,
  after?: string, order?: VersionOrder): R[] {
  const at = toInstant(time)
  const first = (statement(db, FIRST_VERSION).get(entity) as { first: string | null }).first
  if (first === null || first > at) return []
  const equal = Object.entries(filter.equal ?? {}).filter(([, v]) => v !== undefined) as [string, string][]
  const where = (filter.where ?? []).filter((c) => c !== undefined)
  const keep = filter.keep
  const sql = listSql(entity, equal.map(([f]) => f), where.map((c) => c.sql), order, after !== undefined, keep === undefined)
  const params: Record<string, unknown> = Object.assign({}, ...where.map((c) => c.params), order?.after?.params, { at })
  for (const [f, v] of equal) params[`f_${f}`] = v
  if (after !== undefined) params.after = after
  if (keep === undefined) params.limit = limit
  const asOf = filter.asOf
  const toRecord = (row: VersionRow): R => {
    const record = JSON.parse(row.after) as R
    return asOf === undefined ? record : asOf(db, record, at, row.current === 1)
  }
  return collect(statement(db, sql), params, limit, toRecord, keep)
}

function collect<R> (query: Statement, params: Record<string, unknown>, limit: number, toRecord: (row: VersionRow) => R, keep: ((r: R) => boolean) | undefined): R[] {
  if (keep === undefined) return (query.all(params) as VersionRow[]).map(toRecord)
  // Without a LIMIT in SQL: read versions until enough of them pass the check; breaking out closes the cursor.
  const records: R[] = []
  for (const row of query.iterate(params) as IterableIterator<VersionRow>) {
    const record = toRecord(row)
    if (!keep(record)) continue
    records.push(record)
    if (records.length === limit) break
  }
  return records
}

/** One page of a collection as it stood at `at`, in id order, paged with the same cursors as the current lists. */
export function pageAt<R extends { id: string }> (db: Db, entity: RecordEntity, at: string, q: PageRequest, filter: VersionFilter<R>): Page<R> {
  const limit = q.limit ?? DEFAULT_PAGE_SIZE
  return toPage(versionsAt(db, entity, at, filter, limit + 1, cursorAfter(q.cursor)), limit)
}

/*
 * Time travel has two clocks, kept apart on purpose. Effective-dated facts — assignments, delegations, a person's
 * status timeline — carry their own validity, entered by HR and often back-dated: they are read as known now and
 * evaluated at T. The shape of the registry — which domain an initiative sits in, its rule, a domain's parent,
 * a person's name and tags — has no dates of its own: it is read as it was recorded at T, from the history
 * (src/store/change-log.ts keeps one interval per version, in the same transaction as the change).
 * For a time before the registry recorded a record at all, what it knows of the record now applies — as it does for
 * back-dated effective dates — so a back-dated appointment on a new initiative answers for T with the initiative as
 * it is now. A record deleted by T is gone.
 */

export type Structural = 'people' | 'domains' | 'initiatives'
export interface StructuralRecord { people: PersonRecord, domains: DomainRecord, initiatives: InitiativeRecord }

/** A version that is no longer current: the record as recorded over [from, to). */
interface PastVersion<T> { record: T, from: string, to: string }

/** The versions of one record before its current one (or its deletion), which holds from `currentFrom`. */
export interface History<T> { past: PastVersion<T>[], currentFrom: string }

type View = Record<string, unknown>
const FROM_VIEW: { [E in Structural]: (view: View) => StructuralRecord[E] } = {
  people: (v) => ({
    id: v.id as string, name: v.name as string, status: v.status as PersonRecord['status'], tags: v.tags as string[],
    stakePercent: v.stakePercent as number | null, managerId: v.managerId as string | null
  }),
  domains: (v) => ({ id: v.id as string, name: v.name as string, parentId: v.parentId as string | null }),
  initiatives: (v) => ({
    id: v.id as string, title: v.title as string, domainId: v.domainId as string | null, status: v.status as InitiativeRecord['status'],
    decisionRule: v.decisionRule as InitiativeRecord['decisionRule'], decisionDueAt: v.decisionDueAt as string | null
  })
}

// Served by history_entity_idx (entity, entity_id, sys_from): the closed intervals are the past versions.
const PAST = `SELECT h.entity_id AS id, h.sys_from AS "from", h.sys_to AS "to", c.after AS after
  FROM history h JOIN changes c ON c.revision = h.revision WHERE h.entity = ? AND h.sys_to IS NOT NULL`
const CURRENT_FROM = 'SELECT sys_from FROM history WHERE entity = ? AND entity_id = ? AND sys_to IS NULL'

interface PastRow { id: string, from: string, to: string, after: string }

function histories<E extends Structural> (db: Db, entity: E, rows: PastRow[]): Map<string, History<StructuralRecord[E]>> {
  const found = new Map<string, History<StructuralRecord[E]>>()
  for (const row of rows) {
    let history = found.get(row.id)
    if (history === undefined) found.set(row.id, history = { past: [], currentFrom: row.to })
    history.past.push({ record: FROM_VIEW[entity](JSON.parse(row.after) as View), from: row.from, to: row.to })
  }
  for (const [id, history] of found) {
    history.past.sort((a, b) => a.from < b.from ? -1 : a.from > b.from ? 1 : 0)
    // The current version starts where the last past one ended, unless the record was deleted and made again.
    const open = statement(db, CURRENT_FROM).pluck().get(entity, id) as string | undefined
    history.currentFrom = open ?? history.past.at(-1)!.to
  }
  return found
}

/** Every record of the entity that has past versions, with them. Most records have none. */
export const loadHistories = <E extends Structural>(db: Db, entity: E): Map<string, History<StructuralRecord[E]>> =>
  histories(db, entity, statement(db, PAST).all(entity) as PastRow[])

/** One record's past versions, or undefined when it has none. */
export const loadHistory = <E extends Structural>(db: Db, entity: E, id: string): History<StructuralRecord[E]> | undefined =>
  histories(db, entity, statement(db, `${PAST} AND h.entity_id = ?`).all(entity, id) as PastRow[]).get(id)

/**
 * The record at `at`, given its current version (undefined when deleted) and its past ones: the version then; the
 * current one if it was first recorded after `at`; undefined between a deletion and the record's next making.
 */
export function recordAt<T> (current: T | undefined, history: History<T> | undefined, at: string): T | undefined {
  if (history === undefined || at >= history.currentFrom || at < history.past[0]!.from) return current
  let found = history.past[0]!
  for (const version of history.past) {
    if (version.from > at) break
    found = version
  }
  return at < found.to ? found.record : undefined
}

/** The records of one entity as they stood at `at`: current ones replaced by their version then, deleted ones back. */
function reshape<E extends Structural> (db: Db, entity: E, records: StructuralRecord[E][], at: string): StructuralRecord[E][] {
  const histories = loadHistories(db, entity)
  // Nothing recorded since `at`: the records as they are now are the records as they were then.
  if (![...histories.values()].some((h) => h.currentFrom > at)) return records
  const shaped: StructuralRecord[E][] = []
  for (const record of records) {
    const version = recordAt(record, histories.get(record.id), at)
    if (version !== undefined) shaped.push(version)
  }
  const current = new Set(records.map((r) => r.id))
  for (const [id, history] of histories) {
    const version = current.has(id) ? undefined : recordAt(undefined, history, at)
    if (version !== undefined) shaped.push(version)
  }
  return shaped
}

/**
 * The registry's data with its shape as recorded at `at` (see above); effective-dated rows are left as they are.
 * The same object when nothing of its shape changed after `at`.
 */
export function shapeAt (db: Db, data: RegistryData, at: string): RegistryData {
  const people = reshape(db, 'people', data.people, at)
  const domains = reshape(db, 'domains', data.domains, at)
  const initiatives = reshape(db, 'initiatives', data.initiatives, at)
  if (people === data.people && domains === data.domains && initiatives === data.initiatives) return data
  return { ...data, people, domains, initiatives }
}
