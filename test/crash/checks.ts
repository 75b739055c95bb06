// What must hold of a database after any crash: SQLite's own checks, the change log matching the records and the
// history, multi-row writes whole or absent, and every acknowledged write present with the content it was answered with.
import { isDeepStrictEqual } from 'node:util'
import type Database from 'better-sqlite3'
import type { Ack, BundleSent } from './workload.js'

/** The tables whose rows are records with an id, a version and a change-log entry per version. */
const RECORD_TABLES = ['people', 'domains', 'initiatives', 'assignments', 'delegations', 'influences', 'decisions', 'waivers'] as const
const META = ['version', 'createdAt', 'updatedAt']

interface Change { revision: number, at: string, action: string, entity: string, entityId: string, after: string | null }

const all = <T>(db: Database.Database, sql: string, ...params: unknown[]): T[] => db.prepare(sql).all(...params) as T[]

/** SQLite's integrity and foreign-key checks; an empty list when both pass. */
export function checkSqlite (db: Database.Database): string[] {
  const problems: string[] = []
  const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check)
  if (integrity.join() !== 'ok') problems.push(`integrity_check: ${integrity.slice(0, 5).join('; ')}`)
  const foreign = db.pragma('foreign_key_check') as { table: string, rowid: number, parent: string }[]
  for (const f of foreign.slice(0, 5)) problems.push(`foreign_key_check: ${f.table} row ${f.rowid} points at a missing ${f.parent}`)
  return problems
}

/**
 * The change log against the records and the history, over the whole database: revisions without a gap (the log is
 * append-only and a rolled-back write leaves no number behind); every record is the `after` of its latest entry and
 * every record whose latest entry is not a delete exists; the history has one interval per version, each closed
 * exactly when the next change of that record came; each person's latest status entry is their status.
 */
export function checkChangeLog (db: Database.Database): string[] {
  const problems: string[] = []
  const span = db.prepare('SELECT min(revision) AS first, max(revision) AS last, count(*) AS n FROM changes').get() as { first: number | null, last: number | null, n: number }
  if (span.n > 0 && (span.first !== 1 || span.last !== span.n)) problems.push(`changes: ${span.n} entries numbered ${span.first}..${span.last}`)

  const latest = new Map<string, Change>()
  for (const c of all<Change>(db, `SELECT c.revision, c.at, c.action, c.entity, c.entity_id AS entityId, c.after FROM changes c
      JOIN (SELECT max(revision) AS revision FROM changes GROUP BY entity, entity_id) l USING (revision)`)) {
    latest.set(`${c.entity}/${c.entityId}`, c)
  }
  for (const table of RECORD_TABLES) {
    const rows = all<{ id: string, version: number, createdAt: string, updatedAt: string }>(db,
      `SELECT id, version, created_at AS createdAt, updated_at AS updatedAt FROM ${table}`)
    const ids = new Set<string>()
    for (const row of rows) {
      ids.add(row.id)
      const change = latest.get(`${table}/${row.id}`)
      if (change === undefined) { problems.push(`${table}/${row.id} exists without a change-log entry`); continue }
      const after = change.after === null ? null : JSON.parse(change.after) as Record<string, unknown>
      if (after === null) problems.push(`${table}/${row.id} exists, but its latest change (${change.revision}) deleted it`)
      else if (after.version !== row.version || after.createdAt !== row.createdAt || after.updatedAt !== row.updatedAt) {
        problems.push(`${table}/${row.id} is version ${row.version} of ${row.updatedAt}, its latest change (${change.revision}) wrote version ${String(after.version)} of ${String(after.updatedAt)}`)
      }
    }
    for (const [key, change] of latest) {
      if (change.entity === table && change.after !== null && !ids.has(change.entityId)) problems.push(`${key} is missing, though its latest change (${change.revision}) wrote it`)
    }
  }

  const history = (sql: string): void => {
    for (const r of all<{ revision: number, problem: string }>(db, sql).slice(0, 5)) problems.push(`history at revision ${r.revision}: ${r.problem}`)
  }
  history(`SELECT c.revision, CASE WHEN h.revision IS NULL THEN 'no interval for a change that wrote a version'
      ELSE 'interval of ' || h.entity || '/' || h.entity_id || ' from ' || h.sys_from || ' for a change of ' || c.entity || '/' || c.entity_id || ' at ' || c.at END AS problem
    FROM changes c LEFT JOIN history h ON h.revision = c.revision
    WHERE c.after IS NOT NULL AND (h.revision IS NULL OR h.entity <> c.entity OR h.entity_id <> c.entity_id OR h.sys_from <> c.at)`)
  history(`SELECT h.revision, 'an interval for a change that wrote no version, or for no change' AS problem
    FROM history h LEFT JOIN changes c ON c.revision = h.revision WHERE c.revision IS NULL OR c.after IS NULL`)
  history(`SELECT h.revision, 'closed at ' || coalesce(h.sys_to, 'never') || ', the next change came at ' || coalesce(n.next_at, 'never') AS problem
    FROM history h JOIN (SELECT revision, lead(at) OVER (PARTITION BY entity, entity_id ORDER BY revision) AS next_at FROM changes) n USING (revision)
    WHERE h.sys_to IS NOT n.next_at`)

  for (const p of all<{ id: string, status: string, latest: string | null }>(db, `SELECT p.id, p.status,
      (SELECT s.status FROM person_statuses s WHERE s.person_id = p.id ORDER BY s.valid_from DESC LIMIT 1) AS latest FROM people p
    WHERE latest IS NOT p.status LIMIT 5`)) {
    problems.push(`people/${p.id} is ${p.status}, but its status timeline ends with ${p.latest ?? 'nothing'}`)
  }
  return problems.slice(0, 20)
}

/** No Idempotency-Key is left claimed by a request that the crash cut short: a retry with it would get 409 for a day. */
export function checkIdempotencyClaims (db: Database.Database): string[] {
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'idempotency_keys'").get() === undefined) return []
  const { n } = db.prepare("SELECT count(*) AS n FROM idempotency_keys WHERE state = 'in_progress'").get() as { n: number }
  return n === 0 ? [] : [`${n} Idempotency-Keys are still claimed (in_progress) after the restart`]
}

/** GET /v1/export against the change log: each exported row is the `after` of its record's latest change, less META. */
export function checkExport (db: Database.Database, bundle: Record<string, Array<Record<string, unknown>>>): string[] {
  const problems: string[] = []
  const afterOf = db.prepare('SELECT after FROM changes WHERE entity = ? AND entity_id = ? ORDER BY revision DESC LIMIT 1')
  for (const [collection, rows] of Object.entries(bundle)) {
    for (const row of rows) {
      const after = (afterOf.get(collection, row.id) as { after: string | null } | undefined)?.after
      const expected = after == null ? null : withoutMeta(JSON.parse(after) as Record<string, unknown>)
      if (!isDeepStrictEqual(row, expected)) problems.push(`export of ${collection}/${String(row.id)} is ${JSON.stringify(row)}, its latest change wrote ${JSON.stringify(expected)}`)
    }
  }
  return problems.slice(0, 10)
}

function withoutMeta (record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !META.includes(key)))
}

/**
 * Every acknowledged write is there: its change-log entry holds exactly the record the answer showed (one entry
 * per version), no later than the revision the answer named, and the record is at that version or a later one, or
 * was deleted by a later change; and an acknowledged delete is that change, with the record gone.
 */
export function checkAcks (db: Database.Database, acks: readonly Ack[]): string[] {
  const problems: string[] = []
  const versionEntries = db.prepare(`SELECT revision, after FROM changes
    WHERE entity = ? AND entity_id = ? AND after IS NOT NULL AND json_extract(after, '$.version') = ?`)
  const changeAt = db.prepare('SELECT action, entity, entity_id AS entityId FROM changes WHERE revision = ?')
  // A record may be gone after its acknowledged version only through a later delete (acknowledged or not).
  const laterDelete = db.prepare(`SELECT 1 FROM changes WHERE entity = ? AND entity_id = ? AND action = 'delete' AND revision > ?`)
  const current = new Map<string, number | null>()
  const versionNow = (entity: string, id: string): number | null => {
    const key = `${entity}/${id}`
    if (!current.has(key)) {
      const row = db.prepare(`SELECT version FROM ${entity} WHERE id = ?`).get(id) as { version: number } | undefined
      current.set(key, row?.version ?? null)
    }
    return current.get(key)!
  }
  for (const ack of acks) {
    const key = `${ack.entity}/${ack.id}`
    if (ack.body === null) {
      const entry = changeAt.get(ack.revision) as { action: string, entity: string, entityId: string } | undefined
      if (entry?.action !== 'delete' || entry.entity !== ack.entity || entry.entityId !== ack.id) problems.push(`the acknowledged delete of ${key} is not change ${ack.revision}`)
      if (versionNow(ack.entity, ack.id) !== null) problems.push(`${key} exists after its acknowledged delete`)
      continue
    }
    const version = ack.body.version as number
    const entries = versionEntries.all(ack.entity, ack.id, version) as { revision: number, after: string }[]
    if (entries.length !== 1) { problems.push(`${key} version ${version} was acknowledged at revision ${ack.revision}; the change log has ${entries.length} entries for it`); continue }
    const entry = entries[0]!
    if (entry.revision > ack.revision) problems.push(`${key} version ${version} is change ${entry.revision}, after the acknowledged revision ${ack.revision}`)
    if (!isDeepStrictEqual(JSON.parse(entry.after), ack.body)) problems.push(`${key} version ${version} differs from what was acknowledged: ${entry.after} vs ${JSON.stringify(ack.body)}`)
    const now = versionNow(ack.entity, ack.id)
    if (now === null ? laterDelete.get(ack.entity, ack.id, entry.revision) === undefined : now < version) {
      problems.push(`${key} is at version ${now ?? 'none'}, behind the acknowledged version ${version}`)
    }
    if (problems.length >= 10) break
  }
  return problems
}

/**
 * Multi-row writes are whole or absent: each import's rows all exist or none does (all, once acknowledged, with the
 * fields sent), and an initiative is decided exactly when it has a decision (the workload moves an initiative's
 * status only by recording a decision, which does both in one transaction).
 */
export function checkMultiRow (db: Database.Database, bundles: readonly BundleSent[]): string[] {
  const problems: string[] = []
  const created = db.prepare(`SELECT after FROM changes WHERE entity = ? AND entity_id = ? AND action = 'create' ORDER BY revision LIMIT 1`)
  for (const bundle of bundles) {
    const found = bundle.rows.map((row) => ({ row, after: (created.get(row.entity, row.id) as { after: string } | undefined)?.after }))
    const present = found.filter((f) => f.after !== undefined).length
    if (present !== 0 && present !== bundle.rows.length) problems.push(`an import was half written: ${present} of ${bundle.rows.length} rows (${bundle.rows.map((r) => r.id).join(', ')})`)
    if (bundle.acked && present !== bundle.rows.length) problems.push(`an acknowledged import (revision ${bundle.revision}) lost rows: ${present} of ${bundle.rows.length}`)
    for (const { row, after } of found) {
      if (after === undefined) continue
      const stored = JSON.parse(after) as Record<string, unknown>
      const differs = Object.entries(row.fields).filter(([field, value]) => !isDeepStrictEqual(stored[field], value))
      if (differs.length > 0) problems.push(`imported ${row.entity}/${row.id} was created with ${JSON.stringify(stored)}, sent ${JSON.stringify(row.fields)}`)
    }
  }
  for (const i of all<{ id: string, status: string, n: number }>(db, `SELECT i.id, i.status, (SELECT count(*) FROM decisions d WHERE d.initiative_id = i.id) AS n
      FROM initiatives i WHERE (i.status = 'decided') <> (n > 0) LIMIT 5`)) {
    problems.push(`initiatives/${i.id} is ${i.status} with ${i.n} decisions: a decision and its status change were split`)
  }
  return problems.slice(0, 10)
}
