// Writes the change-log entry and the history interval of one mutation, inside the caller's transaction: shared by the
// services and the audit process (which records its runs), below both.
import type { Entity } from '../../db/schema.js'
import { statement, type Db } from './connection.js'
import { feedPendingSearch } from './search-feed.js'

export interface Actor {
  keyId: string | null
  label: string
}

/** What a write returns: the record as stored, and the change-log revision that wrote it. */
export interface Written<T> { record: T, revision: number }

export type ChangeAction = 'create' | 'update' | 'delete' | 'end' | 'revoke' | 'run'

export interface Mutation {
  entity: Entity
  entityId: string
  action: ChangeAction
  before: object | null
  after: object | null
}

/**
 * The reference fields a list at a past time may be filtered by (src/store/history.ts). A record that names a value in
 * one of them is found by the current table's index on it; once a change moves the field away from a value, or
 * deletes the record, the value goes into change_refs, where the versions that named it are found from then on.
 */
export const REFERENCE_FIELDS: readonly string[] = ['initiativeId', 'personId', 'domainId', 'parentId', 'fromPersonId', 'toPersonId', 'overPersonId']

/** Keeps, in change_refs, each reference of `before` that `after` (null: the record deleted) no longer makes. */
function keepFormerReferences (db: Db, m: Mutation): void {
  const before = m.before as Record<string, unknown>
  const after = m.after as Record<string, unknown> | null
  for (const field of REFERENCE_FIELDS) {
    const value = before[field]
    if (typeof value !== 'string' || (after !== null && after[field] === value)) continue
    statement(db, 'INSERT OR IGNORE INTO change_refs (entity, field, value, entity_id) VALUES (?, ?, ?, ?)').run(m.entity, field, value, m.entityId)
  }
}

/** Appends one change-log entry and moves the record's history on; returns the new revision. */
export function recordChange (db: Db, actor: Actor, at: string, m: Mutation): number {
  const after = m.after === null ? null : JSON.stringify(m.after)
  const result = statement(db, `INSERT INTO changes (at, actor_key_id, actor_label, action, entity, entity_id, before, after)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(at, actor.keyId, actor.label, m.action, m.entity, m.entityId,
    m.before === null ? null : JSON.stringify(m.before), after)
  const revision = Number(result.lastInsertRowid)
  if (m.before !== null) {
    keepFormerReferences(db, m)
    statement(db, 'UPDATE history SET sys_to = ? WHERE entity = ? AND entity_id = ? AND sys_to IS NULL').run(at, m.entity, m.entityId)
  }
  if (after !== null) {
    statement(db, 'INSERT INTO history (revision, entity, entity_id, sys_from) VALUES (?, ?, ?, ?)')
      .run(revision, m.entity, m.entityId, at)
  }
  return revision
}

/**
 * Runs fn in one IMMEDIATE transaction: all of it commits, or none of it. Inside a transaction already, fn runs
 * in a savepoint of it. Search entries a bulk write held back (src/store/search-feed.ts) are fed before it ends. (What better-sqlite3's transaction().immediate() does, without building its four wrapper
 * functions on every call: that cost a write more than its change-log entry.)
 */
export function transact<T> (db: Db, fn: () => T): T {
  const nested = db.$client.inTransaction
  statement(db, nested ? 'SAVEPOINT transact' : 'BEGIN IMMEDIATE').run()
  try {
    const result = fn()
    feedPendingSearch(db)
    statement(db, nested ? 'RELEASE transact' : 'COMMIT').run()
    return result
  } catch (err) {
    // A failed COMMIT may have ended the transaction already (SQLite rolls back on some errors).
    if (db.$client.inTransaction) {
      if (nested) {
        statement(db, 'ROLLBACK TO transact').run()
        statement(db, 'RELEASE transact').run()
      } else {
        statement(db, 'ROLLBACK').run()
      }
    }
    throw err
  }
}
