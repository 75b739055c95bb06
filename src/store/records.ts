// Helpers every record service shares: finding and paging records, cursors, If-Match, references and blockers.
import { and, asc, eq, getTableColumns, getTableName, gt, sql, type Column, type SQL } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import { ProblemError, inUse, notFound, preconditionFailed, unknownReference } from '../errors.js'
import { preparedOnce, statement, type Db } from './connection.js'
import type { Entity } from '../../db/schema.js'
import { recordChange, type Actor, type Written } from './change-log.js'

export interface PageRequest { limit?: number, cursor?: string }
export interface Page<T> { items: T[], nextCursor: string | null }
export type { Written }

export const DEFAULT_PAGE_SIZE = 50

const badCursor = (): ProblemError => new ProblemError('WHODECIDES_ERR_VALIDATION', 'cursor: not a cursor this service returned',
  { errors: [{ in: 'query', path: '/cursor', message: 'not a cursor this service returned' }] })

/** What a cursor pages by: an id (lists), a revision (the change log), a search rank and id (?q=). */
type CursorKind = 'id' | 'rev' | 'rank'

export const encodeCursor = (kind: CursorKind, value: string | number): string => Buffer.from(`${kind}:${value}`).toString('base64url')

/** The value an opaque cursor of the given kind carries; a 400 for anything else. */
export function decodeCursor (cursor: string, kind: CursorKind): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8')
  if (!decoded.startsWith(`${kind}:`) || decoded.length <= kind.length + 1) throw badCursor()
  return decoded.slice(kind.length + 1)
}

/** The id after which the requested page starts, from an opaque cursor. */
export function cursorAfter (cursor: string | undefined): string | undefined {
  return cursor === undefined ? undefined : decodeCursor(cursor, 'id')
}

/** Cuts rows fetched with limit + 1 into a page and the cursor of the next one. */
export function toPage<T extends { id: string }> (rows: T[], limit: number): Page<T> {
  if (rows.length <= limit) return { items: rows, nextCursor: null }
  const items = rows.slice(0, limit)
  return { items, nextCursor: encodeCursor('id', items[items.length - 1]!.id) }
}

/** The change-log revision after which the requested page starts, from an opaque cursor. */
export function revisionAfter (cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined
  const value = decodeCursor(cursor, 'rev')
  if (!/^\d{1,15}$/.test(value)) throw badCursor()
  return Number(value)
}

/** Cuts change-log entries fetched with limit + 1 into a page, paged by revision. */
export function toRevisionPage<T extends { revision: number }> (rows: T[], limit: number): Page<T> {
  if (rows.length <= limit) return { items: rows, nextCursor: null }
  const items = rows.slice(0, limit)
  return { items, nextCursor: encodeCursor('rev', items[items.length - 1]!.revision) }
}

export const etagOf = (version: number): string => `"${version}"`

/** Throws 412 unless If-Match is absent, "*", or names the current version (strong or weak form). */
export function checkIfMatch (current: number, ifMatch: string | undefined): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return
  const tags = ifMatch.split(',').map((t) => t.trim().replace(/^W\//, ''))
  if (!tags.includes(etagOf(current))) throw preconditionFailed(current)
}

/** Collections of records with a text id, and the SQL table behind each, for the generic look-ups below. */
export type RecordEntity = Exclude<Entity, 'keys' | 'rules' | 'audits'>
const TABLES: Record<RecordEntity, string> = {
  people: 'people',
  domains: 'domains',
  initiatives: 'initiatives',
  assignments: 'assignments',
  delegations: 'delegations',
  influences: 'influences',
  decisions: 'decisions',
  waivers: 'waivers'
}

export function exists (db: Db, entity: RecordEntity, id: string): boolean {
  return statement(db, `SELECT 1 FROM ${TABLES[entity]} WHERE id = ?`).get(id) !== undefined
}

/** Throws 422 naming the field when a referenced record does not exist. */
export function assertReference (db: Db, path: string, entity: RecordEntity, id: string | null | undefined): void {
  if (id !== null && id !== undefined && !exists(db, entity, id)) throw unknownReference(path, entity, id)
}

export interface Referrer { entity: RecordEntity, column: string }

/** Throws 409 naming the records that still point at (entity, id) through any of the referrers. */
export function assertUnreferenced (db: Db, entity: Entity, id: string, referrers: Referrer[]): void {
  const blockedBy: { entity: string, id: string }[] = []
  for (const r of referrers) {
    const rows = statement(db, `SELECT id FROM ${TABLES[r.entity]} WHERE ${r.column} = ? ORDER BY id LIMIT 50`).all(id) as { id: string }[]
    for (const row of rows) blockedBy.push({ entity: r.entity, id: row.id })
  }
  if (blockedBy.length > 0) throw inUse(entity, id, blockedBy)
}

/** Throws 409 when a client-chosen id is taken. */
export function assertNewId (db: Db, entity: RecordEntity, id: string): void {
  if (exists(db, entity, id)) {
    throw new ProblemError('WHODECIDES_ERR_CONFLICT', `id: ${entity} "${id}" already exists`,
      { errors: [{ in: 'body', path: '/id', message: 'already exists' }] })
  }
}

/** A registry table with a text id. */
type IdTable = SQLiteTable & { id: SQLiteColumn, $inferSelect: { id: string } }

/** The lookup by id of a table, prepared once per connection (building the query per request costs more than running it). */
const lookupById = (db: Db, table: IdTable): { get: (values: { id: string }) => unknown } =>
  preparedOnce(db, table, () => db.select().from(table as SQLiteTable).where(eq(table.id, sql.placeholder('id'))).prepare())

/** The stored row with this id, or a 404 naming the collection. */
export function findRecord<T extends IdTable> (db: Db, table: T, entity: RecordEntity, id: string): T['$inferSelect'] {
  const row = lookupById(db, table).get({ id }) as T['$inferSelect'] | undefined
  if (row === undefined) throw notFound(entity, id)
  return row
}

/** One page of a list in id order: the rows matching every filter given (undefined filters are skipped). */
export function selectPage<T extends IdTable, R extends { id: string }> (
  db: Db, table: T, q: PageRequest, filters: (SQL | undefined)[], view: (row: T['$inferSelect']) => R
): Page<R> {
  const limit = q.limit ?? DEFAULT_PAGE_SIZE
  const after = cursorAfter(q.cursor)
  const rows = db.select().from(table as SQLiteTable)
    .where(and(...filters, after === undefined ? undefined : gt(table.id, after)))
    .orderBy(asc(table.id)).limit(limit + 1).all() as T['$inferSelect'][]
  return toPage(rows.map(view), limit)
}

/** An equality filter when the query gives the value, for selectPage. */
export const equals = <V> (column: SQLiteColumn, value: V | undefined): SQL | undefined => value === undefined ? undefined : eq(column, value)

/** A table's columns as the raw writes below need them: property, SQL name, and the conversion to what SQLite stores. */
interface WriteColumn { key: string, name: string, toDriver: (value: unknown) => unknown }

const writeColumns = new WeakMap<SQLiteTable, { table: string, columns: WriteColumn[] }>()

function columnsOf (table: SQLiteTable): { table: string, columns: WriteColumn[] } {
  let found = writeColumns.get(table)
  if (found === undefined) {
    const columns = Object.entries(getTableColumns(table) as Record<string, Column>).map(([key, column]) => ({
      key, name: column.name, toDriver: (value: unknown) => value === null ? null : column.mapToDriverValue(value)
    }))
    writeColumns.set(table, found = { table: getTableName(table), columns })
  }
  return found
}

/*
 * Writes go through raw statements prepared once per connection (src/store/connection.ts statement), not Drizzle's
 * insert/update: Drizzle builds and prepares its SQL on every call, which cost a PATCH more than the write itself.
 * An update sets only the columns whose value changed: for each column named in SET, changed or not, SQLite
 * rewrites its index entries and checks the foreign keys that involve it — for a person, whose id seven tables
 * refer to, that was four index pages more per commit and a walk over every row that refers to them.
 */

/** INSERT of the row's defined columns (an undefined one takes the column's default, as in Drizzle's insert). */
function insertRow (db: Db, table: SQLiteTable, row: Record<string, unknown>): void {
  const { table: name, columns } = columnsOf(table)
  const names: string[] = []
  const values: unknown[] = []
  for (const c of columns) {
    const value = row[c.key]
    if (value === undefined) continue
    names.push(`"${c.name}"`)
    values.push(c.toDriver(value))
  }
  statement(db, `INSERT INTO "${name}" (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(values)
}

/** UPDATE of the columns whose stored value differs between the two rows (an undefined one is left as it is). */
function updateRow (db: Db, table: SQLiteTable, current: Record<string, unknown>, row: Record<string, unknown>): void {
  const { table: name, columns } = columnsOf(table)
  const set: string[] = []
  const values: unknown[] = []
  for (const c of columns) {
    const value = row[c.key]
    if (value === undefined) continue
    const stored = c.toDriver(value)
    const before = current[c.key]
    if (before !== undefined && stored === c.toDriver(before)) continue
    set.push(`"${c.name}" = ?`)
    values.push(stored)
  }
  if (set.length === 0) return
  values.push(current.id)
  statement(db, `UPDATE "${name}" SET ${set.join(', ')} WHERE "id" = ?`).run(values)
}

/** Stores a new record with its change-log entry, in the caller's transaction; returns it as the API shows it. */
export function insertRecord<T extends IdTable, R> (
  db: Db, actor: Actor, at: string, entity: RecordEntity, table: T, row: T['$inferSelect'], view: (row: T['$inferSelect']) => R
): Written<R> {
  insertRow(db, table, row)
  const record = view(row)
  return { record, revision: recordChange(db, actor, at, { entity, entityId: row.id, action: 'create', before: null, after: record as object }) }
}

/** Stores the next version of a record with its change-log entry (before and after), in the caller's transaction. */
export function replaceRecord<T extends IdTable, R> (
  db: Db, actor: Actor, at: string, entity: RecordEntity, table: T, current: T['$inferSelect'], row: T['$inferSelect'],
  view: (row: T['$inferSelect']) => R, action: 'update' | 'end' = 'update'
): Written<R> {
  updateRow(db, table, current, row)
  const record = view(row)
  return { record, revision: recordChange(db, actor, at, { entity, entityId: current.id, action, before: view(current) as object, after: record as object }) }
}

/** Deletes a record with its change-log entry (before: the record as it was), in the caller's transaction; returns the revision. */
export function deleteRecord<T extends IdTable, R> (
  db: Db, actor: Actor, at: string, entity: RecordEntity, table: T, current: T['$inferSelect'], view: (row: T['$inferSelect']) => R
): number {
  db.delete(table as SQLiteTable).where(eq(table.id, current.id)).run()
  return recordChange(db, actor, at, { entity, entityId: current.id, action: 'delete', before: view(current) as object, after: null })
}
