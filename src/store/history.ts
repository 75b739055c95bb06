// Records as they stood at a past instant: the history interval that contains it, and the version the change log kept.
import type { Statement } from 'better-sqlite3'
import { toInstant } from '../clock.js'
import { statement, type Db } from './connection.js'
import { notFound } from '../errors.js'
import { cursorAfter, DEFAULT_PAGE_SIZE, toPage, type Page, type PageRequest, type RecordEntity } from './records.js'

/*
 * A version holds over [sys_from, sys_to) (sys_to null while it is the current one); its JSON, exactly as the API
 * showed the record, is the `after` of the change at the interval's revision. The intervals of one record never
 * overlap, so at most one contains `at`: the latest that began by then, if it had not ended. Two writes in one
 * millisecond leave an empty interval [t, t), which contains no instant. One record and lists in id order are
 * served by history_entity_idx (entity, entity_id, sys_from); lists filtered by a reference by the change log's
 * per-field indexes (INDEXED_FIELDS, db/migrations/0004_changes_field_indexes.sql).
 */
const VERSION_AT = `SELECT c.after AS after, h.sys_to IS NULL AS current FROM history h JOIN changes c ON c.revision = h.revision
  WHERE h.entity = ? AND h.entity_id = ? AND h.sys_from <= ? AND (h.sys_to IS NULL OR h.sys_to > ?)
  ORDER BY h.sys_from DESC LIMIT 1`

/** The earliest instant any version of the collection began: before it, every list is empty. */
const FIRST_VERSION = 'SELECT min(sys_from) AS first FROM history WHERE entity = ?'

/**
 * Fields with an index on the change log, `changes (entity, json_extract(after, '$.<field>'), entity_id)
 * WHERE json_extract(after, '$.<field>') IS NOT NULL` (migration 0004; SQLite uses an expression index only for the
 * very same expression, spelled by versionField below): a list filtered by one reads only the versions that ever
 * had that value. The first one a list filters by drives the query (the order here: most selective first).
 */
export const INDEXED_FIELDS: readonly string[] = ['initiativeId', 'personId', 'domainId', 'parentId', 'fromPersonId', 'toPersonId', 'overPersonId']

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
 * The SQL of a list at an instant. Filtered by an indexed field, it walks that field's index on the change log
 * (in entity_id order) and checks each version's interval by primary key; otherwise it walks history_entity_idx
 * in entity_id order, where sys_from is read from the index itself. INDEXED BY keeps SQLite from sorting every
 * version that began before `at` instead (its choice when a filter makes history_time_idx look cheaper).
 */
function listSql (entity: RecordEntity, equal: string[], where: string[], order: VersionOrder | undefined, idAfter: boolean, limited: boolean): string {
  const driver = INDEXED_FIELDS.find((f) => equal.includes(f))
  const id = driver === undefined ? 'h.entity_id' : 'c.entity_id'
  const conditions = [
    // A unary + keeps the other indexed fields from competing with the driver for the plan.
    ...equal.map((f) => `${f === driver || !INDEXED_FIELDS.includes(f) ? '' : '+'}${versionField(f)} = @f_${f}`),
    'h.sys_from <= @at', '(h.sys_to IS NULL OR h.sys_to > @at)',
    ...(idAfter ? [`${id} > @after`] : []),
    ...(order?.after === undefined ? [] : [order.after.sql]),
    ...where
  ]
  const from = driver === undefined
    ? `history h INDEXED BY history_entity_idx JOIN changes c ON c.revision = h.revision WHERE h.entity = '${entity}'`
    : `changes c JOIN history h ON h.revision = c.revision WHERE c.entity = '${entity}'`
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
