// Opens the SQLite database with the pragmas the registry relies on, and applies the committed migrations.
//
// src/store/ is the data-access layer: the only code that writes SQL and maps rows to records; SQLite's specifics
// (WAL, synchronous = FULL, the busy timeout, checkpoints, backup) stay inside it. The rule, the same for every
// record kind: Drizzle builds the query for the schema, the migrations and ordinary CRUD (find, list, insert, change
// one record); a raw statement prepared once per connection (`statement`) serves the hot paths — lookups per
// request, the decider index's and the audit's reads, bulk writes of imports and audit runs — and what Drizzle
// cannot say well (recursive CTEs, json_each, pragmas). docs/architecture.md.
import { closeSync, constants, fchmodSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import Database, { type Statement } from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import * as schema from '../../db/schema.js'
import { migrationsFolder } from '../config.js'

/**
 * A connection: Drizzle over better-sqlite3, with what it has prepared — raw statements by their SQL, Drizzle queries
 * by what they look up — kept as long as the connection is, since preparing costs several times running.
 */
export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database, readonly prepared: Map<unknown, unknown> }

/** How long a statement waits for a lock another connection holds (the audit process's, storing a run) before it fails. */
export const BUSY_TIMEOUT_MS = 5000

/** Opens the database and brings its schema up to date: what the server does, the owner of the schema. */
export function openDatabase (path: string): Db {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true })
    createPrivately(path)
  }
  const db = connect(path)
  migrate(db, { migrationsFolder: migrationsFolder() })
  return db
}

/**
 * Creates the database file, empty (which SQLite takes for a new database), readable and writable by its owner only
 * whatever the umask; a file already there is left as it is. SQLite gives the -wal, -shm and -journal files it
 * creates the mode of the database file, so they are the owner's alone too.
 */
function createPrivately (path: string): void {
  let fd: number
  try {
    fd = openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, 0o600)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return
    throw err
  }
  try { fchmodSync(fd, 0o600) } finally { closeSync(fd) }
}

/** A connection with the registry's pragmas (the audit process's: to the file the server made, and keeps the schema of). */
export function connect (path: string, options: { fileMustExist?: boolean } = {}): Db {
  const sqlite = new Database(path, options)
  // WAL lets readers run beside the writer; FULL makes an acknowledged commit survive power loss.
  const journalMode = sqlite.pragma('journal_mode = WAL', { simple: true })
  if (path !== ':memory:' && journalMode !== 'wal') {
    sqlite.close()
    throw new Error(`${path}: SQLite refused WAL mode (journal_mode is ${String(journalMode)}); put the database on a local disk`)
  }
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
  // 16 MiB of page cache instead of 2: record reads and writes touch pages all over a large file. Who-decides
  // lookups are answered from memory (src/registry/decider-index.ts), so a larger cache mostly grows the process.
  sqlite.pragma('cache_size = -16384')
  // Temporary files (a statement journal for a write whose triggers keep the search index in step, sorts) in memory: a
  // write must not need a new file descriptor, which a server at its descriptor limit cannot open.
  sqlite.pragma('temp_store = MEMORY')
  return Object.assign(drizzle({ client: sqlite, schema }), { prepared: new Map<unknown, unknown>() }) as Db
}

/** The database's file; undefined for an in-memory database, which no other process or thread can open. */
export const databaseFile = (db: Db): string | undefined => db.$client.memory ? undefined : db.$client.name

/** Closes the connection (SQLite then checkpoints what is left of the log). */
export function closeDatabase (db: Db): void {
  db.$client.close()
}

/** True when the database answers a trivial query. */
export function isReachable (db: Db): boolean {
  try {
    return statement(db, 'SELECT 1 AS ok').get() !== undefined
  } catch {
    return false
  }
}

/** A raw prepared statement, prepared once per connection: for hot paths and bulk writes. */
export function statement (db: Db, source: string): Statement {
  let prepared = db.prepared.get(source) as Statement | undefined
  if (prepared === undefined) db.prepared.set(source, prepared = db.$client.prepare(source))
  return prepared
}

/** What the connection has prepared under `key` (made by `prepare` the first time): a Drizzle query, say. */
export function preparedOnce<T> (db: Db, key: object, prepare: () => T): T {
  let prepared = db.prepared.get(key) as T | undefined
  if (prepared === undefined) db.prepared.set(key, prepared = prepare())
  return prepared
}
