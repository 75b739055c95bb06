// The registry collections as the bundle sees them: table, row shape, the export's reads and the import's raw
// prepared writes.
import { asc, getTableColumns } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import { assignments, decisions, delegations, domains, influences, initiatives, people } from '../../db/schema.js'
import { statement, type Db } from './connection.js'
import { deferSearchFeeding } from './search-feed.js'

export const BUNDLE_COLLECTIONS = ['people', 'domains', 'initiatives', 'assignments', 'delegations', 'influences', 'decisions'] as const
export type BundleCollection = typeof BUNDLE_COLLECTIONS[number]

export const TABLES: Record<BundleCollection, SQLiteTable> = { people, domains, initiatives, assignments, delegations, influences, decisions }

/** Fields the server sets: a bundle row carries none of them. */
export const META_FIELDS = ['version', 'createdAt', 'updatedAt'] as const

/** A stored record as its API shape: the drizzle row (camelCase fields, JSON and booleans decoded). */
export type StoredRecord = Record<string, unknown> & { id: string, version: number, createdAt: string, updatedAt: string }
/** A record without its server-set fields, as exported and imported. */
export type BundleRow = Record<string, unknown> & { id: string }

export function toBundleRow (record: StoredRecord): BundleRow {
  // Field by field: a rest pattern over every record of a large registry cost ~10x more on Node 20.
  const row = {} as BundleRow
  for (const field in record) if (field !== 'version' && field !== 'createdAt' && field !== 'updatedAt') row[field] = record[field]
  return row
}

/** The row as a stored record with its server-set fields. */
export function toStoredRecord (row: BundleRow, version: number, createdAt: string, updatedAt: string): StoredRecord {
  const record = {} as StoredRecord
  for (const field in row) record[field] = row[field]
  record.version = version
  record.createdAt = createdAt
  record.updatedAt = updatedAt
  return record
}

function columnsOf (collection: BundleCollection): [string, SQLiteColumn][] {
  return Object.entries(getTableColumns(TABLES[collection])) as [string, SQLiteColumn][]
}

/** Every record of a collection in id order. */
export function readAll (db: Db, collection: BundleCollection): StoredRecord[] {
  const table = TABLES[collection] as SQLiteTable & { id: SQLiteColumn }
  return db.select().from(table).orderBy(asc(table.id)).all() as StoredRecord[]
}

function encode (column: SQLiteColumn, value: unknown): unknown {
  if (value === undefined || value === null) return null
  if (column.dataType === 'json') return JSON.stringify(value)
  if (typeof value === 'boolean') return value ? 1 : 0
  return value
}

/** Raw prepared writes of one collection: a whole record in, or a record out by its id. */
export interface TableWriter {
  insert: (record: StoredRecord) => void
  update: (record: StoredRecord) => void
  remove: (id: string) => void
}

/**
 * Every collection's writer, for a bulk write of many kinds in one transaction (the store's transact): the search
 * indexes take the records it creates once, at its end (src/store/search-feed.ts).
 */
export function bundleWriters (db: Db): Record<BundleCollection, TableWriter> {
  deferSearchFeeding(db)
  return Object.fromEntries(BUNDLE_COLLECTIONS.map((c) => [c, tableWriter(db, c)])) as Record<BundleCollection, TableWriter>
}

/** Raw prepared writes of one collection, built from the drizzle schema so they follow it. */
function tableWriter (db: Db, collection: BundleCollection): TableWriter {
  const columns = columnsOf(collection)
  const table = collection
  const names = columns.map(([, c]) => c.name)
  const insert = statement(db, `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`)
  const settable = columns.filter(([key]) => key !== 'id')
  const update = statement(db, `UPDATE ${table} SET ${settable.map(([, c]) => `${c.name} = ?`).join(', ')} WHERE id = ?`)
  const remove = statement(db, `DELETE FROM ${table} WHERE id = ?`)
  return {
    insert: (record) => { insert.run(columns.map(([key, c]) => encode(c, record[key]))) },
    update: (record) => { update.run([...settable.map(([key, c]) => encode(c, record[key])), record.id]) },
    remove: (id) => { remove.run(id) }
  }
}

/**
 * Inside the import's transaction: foreign keys are checked at its commit, not row by row, since a row may point at
 * one later in the bundle (a manager listed after their report). Ends with the transaction.
 */
export function deferForeignKeys (db: Db): void {
  db.$client.pragma('defer_foreign_keys = ON')
}
