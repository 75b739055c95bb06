// The SQL of the effective-dated record kinds (assignments, delegations, influences): list filters now, the
// overlap of periods, and the revision that last wrote a record. Ordinary CRUD, so drizzle builds it.
import { and, asc, desc, eq, getTableColumns, gt, isNull, lt, lte, ne, or, type SQL } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import { changes } from '../../db/schema.js'
import type { Db } from './connection.js'
import { equals, selectPage, type Page, type PageRequest, type RecordEntity } from './records.js'

/** A table of an effective-dated kind: a text id and, for the kinds that hold over a period, validFrom/validTo. */
export type KindTable = SQLiteTable & { id: SQLiteColumn, $inferSelect: { id: string } }

/** A record that holds over [validFrom, validTo), validTo null while open-ended. */
export interface Period { validFrom: string, validTo: string | null }

const columnOf = (table: KindTable, field: string): SQLiteColumn => {
  const column = (getTableColumns(table) as Record<string, SQLiteColumn | undefined>)[field]
  if (column === undefined) throw new Error(`no column ${field}`)
  return column
}

/** Rows whose period [validFrom, validTo) contains the instant `at`; instants compare as canonical strings. */
function activeAt (table: KindTable, at: string): SQL {
  const validTo = columnOf(table, 'validTo')
  return and(lte(columnOf(table, 'validFrom'), at), or(isNull(validTo), gt(validTo, at))) as SQL
}

/**
 * One page of the records as stored now, in id order: equality on each field given a value (in the order given),
 * then, when `activeAt` is given (canonical UTC), the records whose period contains it.
 */
export function selectKindPage<T extends KindTable, R extends { id: string }> (
  db: Db, table: T, q: PageRequest, equal: [string, unknown][], active: string | undefined, view: (row: T['$inferSelect']) => R
): Page<R> {
  return selectPage(db, table, q, [
    ...equal.map(([field, value]) => equals(columnOf(table, field), value)),
    active === undefined ? undefined : activeAt(table, active)
  ], view)
}

/**
 * The earliest-starting other record with the same values of `key` on the same target whose period overlaps the
 * row's, or undefined. A cancelled record (ended before it began) holds at no time, so it overlaps nothing.
 */
export function findOverlap<T extends KindTable> (db: Db, table: T, row: Record<string, unknown> & Period & { id: string },
  key: readonly string[], target: string): T['$inferSelect'] & Period | undefined {
  const validFrom = columnOf(table, 'validFrom')
  const validTo = columnOf(table, 'validTo')
  return db.select().from(table as SQLiteTable).where(and(
    ne(columnOf(table, 'id'), row.id), ...key.map((f) => eq(columnOf(table, f), row[f])), eq(columnOf(table, target), row[target]),
    or(isNull(validTo), gt(validTo, row.validFrom)),
    row.validTo === null ? undefined : lt(validFrom, row.validTo),
    or(isNull(validTo), gt(validTo, validFrom))
  )).orderBy(asc(validFrom)).get() as T['$inferSelect'] & Period | undefined
}

/** The revision of the latest change to the record, 0 when the change log names none. */
export function lastRevisionOf (db: Db, entity: RecordEntity, id: string): number {
  const last = db.select({ revision: changes.revision }).from(changes)
    .where(and(eq(changes.entity, entity), eq(changes.entityId, id))).orderBy(desc(changes.revision)).limit(1).get()
  return last?.revision ?? 0
}
