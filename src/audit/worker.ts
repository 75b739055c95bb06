// Worker-thread entry of audits: each job opens its own read-only connection to the database file and posts the
// findings back, as the rows a run stores (finding-row.ts).
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import * as schema from '../../db/schema.js'
import type { Db } from '../database.js'
import { packRows, type PackedRows } from './finding-row.js'
import { auditRows, loadRegistry, refreshRegistry, type AuditJob, type LoadedRegistry } from './job.js'

export interface WorkerRequest { id: number, job: AuditJob }
/** `revision`: the change-log revision the thread's registry reflects, so the main thread knows when it is stale. */
export type WorkerReply = { id: number, rows: PackedRows, revision: number } | { id: number, error: { name: string, message: string, code?: string } }

const { dbPath } = workerData as { dbPath: string }

/**
 * A full garbage collection at the end of each job: an audit of a large registry leaves hundreds of MB of garbage,
 * which V8 would otherwise keep until it needed the room — growing the process by that much with each audit while
 * the registry is kept between them. Run before the answer, so it is over before the request thread stores the
 * findings. (The flag exposes gc to contexts made after it is set.)
 */
setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

/**
 * The registry this thread read for its last audit: the next audit brings it up to date with the change log, reading
 * again only the records changed since (loading 1M assignments takes seconds; one changed record, milliseconds).
 */
let loaded: LoadedRegistry | undefined

/** Read-only, without migrations (the main thread owns the schema); WAL lets it read beside the main thread's writes. */
function run (job: AuditJob): { rows: PackedRows, revision: number } {
  const sqlite = new Database(dbPath, { readonly: true, fileMustExist: true })
  try {
    sqlite.pragma('busy_timeout = 5000')
    const db = drizzle({ client: sqlite, schema }) as Db
    // One too far behind is let go before the registry is read again whole, so the two are never both held.
    loaded = loaded === undefined ? undefined : refreshRegistry(db, loaded)
    loaded ??= loadRegistry(db)
    return { rows: packRows(auditRows(db, job, loaded)), revision: loaded.revision }
  } finally {
    sqlite.close()
  }
}

// One job at a time: the handler is synchronous, so messages queue up behind it. The rows' buffer is transferred, not copied.
parentPort?.on('message', ({ id, job }: WorkerRequest) => {
  let reply: WorkerReply
  try {
    reply = { id, ...run(job) }
    collectGarbage()
  } catch (err) {
    const e = err as Error & { code?: string }
    reply = { id, error: { name: e.name, message: e.message, ...(typeof e.code === 'string' ? { code: e.code } : {}) } }
  }
  parentPort?.postMessage(reply, 'rows' in reply ? [reply.rows.bytes.buffer] : [])
})
