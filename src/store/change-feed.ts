// What changed since revision r: the change log read by those who keep a copy of the registry current — the decider
// index (registry/decider-index.ts) and an audit's loaded registry (audit/job.ts, registry/snapshot-refresh.ts).
import type { Entity } from '../../db/schema.js'
import { statement, type Db } from './connection.js'

/** Past this many changed records, reading the registry again whole is as cheap as reading them one by one, and simpler. */
export const REREAD_AFTER = 20_000

/** A record the change log names: its entity and id. */
export interface ChangedRecord { entity: Entity, id: string }

/** The registry's records named by the change log, by entity. */
export type ChangedRecords = ReadonlyMap<Entity, ReadonlySet<string>>

const LAST_REVISION = 'SELECT coalesce(max(revision), 0) FROM changes'
const WRITES = 'SELECT total_changes()'
const COMMITS_ELSEWHERE = 'PRAGMA data_version'

/**
 * Runs `read` in one read transaction: what it reads is one state of the database, one revision of the change log.
 * Inside an open transaction, it reads that transaction's state.
 */
export const readTransaction = <T>(db: Db, read: () => T): T => db.$client.transaction(read).deferred()

/** Whether a transaction is open on the connection: what it wrote may yet roll back, and the change feed ignores it. */
export const inOpenTransaction = (db: Db): boolean => db.$client.inTransaction

/** Whether the connection is still open. */
export const isOpen = (db: Db): boolean => db.$client.open

/**
 * A number that changes whenever another connection commits to the database file — another process on the file (the
 * command line beside a running server), the import or audit process — and stays as it was for this connection's own
 * commits. Costs a fraction of a microsecond: no read of any table.
 */
export const commitsElsewhere = (db: Db): number => statement(db, COMMITS_ELSEWHERE).pluck().get() as number

/** The change log's last revision; 0 when it is empty. */
export const lastRevision = (db: Db): number => statement(db, LAST_REVISION).pluck().get() as number

/**
 * How many rows this connection has written since it was opened: unchanged, nothing was written here since it was
 * last asked (a tenth of a microsecond, the change log's last revision forty times that).
 */
export const writesOnConnection = (db: Db): number => statement(db, WRITES).pluck().get() as number

// Passed over: the entries of assignments that are not an A before the change nor after it (most of a large import):
// the decider index holds none of them. An entry that does not say its role is read.
const DECIDER_CHANGES = `SELECT DISTINCT entity, entity_id AS id FROM changes WHERE revision > ? AND revision <= ?
  AND NOT (entity = 'assignments' AND coalesce(json_extract(after, '$.role'), '') IN ('R', 'C', 'I')
    AND (before IS NULL OR coalesce(json_extract(before, '$.role'), '') IN ('R', 'C', 'I')))`

/** The records named in (after, upTo] that may bear on who decides, each once; the index reads each again. */
export const deciderChanges = (db: Db, after: number, upTo: number): ChangedRecord[] =>
  statement(db, DECIDER_CHANGES).all(after, upTo) as ChangedRecord[]

const REGISTRY_ENTITIES = ['people', 'domains', 'initiatives', 'assignments', 'delegations', 'influences', 'decisions']
// Served by the primary key: only the entries after the revision are read. Not DISTINCT, and `+entity`: either
// would send the planner to the entity index, walking every entry of those entities (a million in the benchmark;
// docs/audit-process.md). Audit runs, keys and waivers are not the registry, and leave a loaded registry current.
const REGISTRY_CHANGES = `FROM changes WHERE revision > ? AND +entity IN (${REGISTRY_ENTITIES.map((e) => `'${e}'`).join(', ')})`
const CHANGED_SINCE = `SELECT entity, entity_id AS id ${REGISTRY_CHANGES} LIMIT ?`
// Counted in SQLite, up to one past the limit: the request thread asks this before each audit.
const ENTRIES_SINCE = `SELECT count(*) FROM (SELECT 1 ${REGISTRY_CHANGES} LIMIT ?)`

/** The registry records the change log names after the revision, by entity; undefined past `limit` entries. */
export function registryChanges (db: Db, after: number, limit: number): ChangedRecords | undefined {
  const rows = statement(db, CHANGED_SINCE).all(after, limit + 1) as ChangedRecord[]
  if (rows.length > limit) return undefined
  const changed = new Map<Entity, Set<string>>()
  for (const { entity, id } of rows) {
    const ids = changed.get(entity)
    if (ids === undefined) changed.set(entity, new Set([id]))
    else ids.add(id)
  }
  return changed
}

/** Whether the change log holds more than `limit` registry entries after the revision (registryChanges: undefined), without reading them. */
export const registryChangesExceed = (db: Db, after: number, limit: number): boolean =>
  (statement(db, ENTRIES_SINCE).pluck().get(after, limit + 1) as number) > limit

/** One change-log entry as written: the record it names and its versions before and after (JSON text; null: none). */
export interface ChangeEntry { entity: Entity, id: string, before: string | null, after: string | null }

// The registry's entries and the rules' settings, in (after, upTo], served by the primary key as REGISTRY_CHANGES is.
const ENTRIES = `SELECT entity, entity_id AS id, before, after FROM changes WHERE revision > ? AND revision <= ?
  AND +entity IN (${[...REGISTRY_ENTITIES, 'rules'].map((e) => `'${e}'`).join(', ')}) LIMIT ?`

/**
 * The entries of the registry's records and of the rules' settings in (after, upTo]; undefined past
 * `limit` entries (the caller then starts again from what is stored now).
 */
export function changeEntries (db: Db, after: number, upTo: number, limit: number): ChangeEntry[] | undefined {
  const rows = statement(db, ENTRIES).all(after, upTo, limit + 1) as ChangeEntry[]
  return rows.length > limit ? undefined : rows
}
