// The audit process's work (loaded by audit-process-entry.ts): runs each job's rules over the registry it keeps, and
// stores the run itself (run-store.ts) on its own connection to the database file, so that the server only hands the
// job over and gets the stored run back. Contract: one job at a time, in the order they came, each answered with
// the stored run or the job's own error; the process exits when the server's channel closes. Invariant: never two
// registries held at once. Why: docs/audit-process.md.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { Actor, Written } from '../store/change-log.js'
import { connect, type Db } from '../store/connection.js'
import type { AuditRun } from '../schemas/audits.js'
import { auditRows, loadRegistry, refreshRegistry, type AuditJob, type LoadedRegistry } from './job.js'
import { AUDIT_PROCESS_PACE, RunStore, type RunStart, type StorePace } from './run-store.js'

/** One audit: its rules' job, the run to store (made on the server, which answered the request), who asked for it. */
export interface AuditRequest { job: AuditJob, run: RunStart, actor: Actor }
/** `pace`: how the run is stored, if not at AUDIT_PROCESS_PACE (the runner's option, audit-runner.ts). */
export interface AuditProcessRequest extends AuditRequest { id: number, pace?: StorePace }
/** `revision`: the change-log revision the process's registry reflects, so the server knows when it is stale. */
export type AuditProcessReply = { id: number, written: Written<AuditRun>, revision: number } | { id: number, error: { name: string, message: string, code?: string } }

const dbPath = process.argv[2]!

/**
 * A full garbage collection after each job: an audit of a large registry leaves hundreds of MB of garbage, which V8
 * would otherwise keep until it needed the room. (The flag exposes gc to contexts made after it is set.)
 */
setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

/** The connection and its run store, kept between jobs: the store remembers the runs it stored. */
let connection: { db: Db, runs: RunStore } | undefined
/** The registry this process read for its last audit: the next audit brings it up to date with the change log. */
let loaded: LoadedRegistry | undefined

async function run ({ job, run, actor, pace }: Omit<AuditProcessRequest, 'id'>): Promise<{ written: Written<AuditRun>, revision: number }> {
  if (connection === undefined) {
    const db = connect(dbPath, { fileMustExist: true })
    connection = { db, runs: new RunStore(db) }
  }
  const { db, runs } = connection
  // One too far behind is let go before the registry is read again whole, so the two are never both held.
  loaded = loaded === undefined ? undefined : refreshRegistry(db, loaded)
  loaded ??= loadRegistry(db)
  return { written: await runs.store(actor, run, auditRows(db, job, loaded), pace ?? AUDIT_PROCESS_PACE), revision: loaded.revision }
}

async function answer ({ id, ...request }: AuditProcessRequest): Promise<void> {
  let reply: AuditProcessReply
  try {
    reply = { id, ...await run(request) }
  } catch (err) {
    const e = err as Error & { code?: string }
    reply = { id, error: { name: e.name, message: e.message, ...(typeof e.code === 'string' ? { code: e.code } : {}) } }
  }
  process.send?.(reply)
  collectGarbage()
}

// One job at a time, in the order they came: each run compares with the run stored before it.
let queue = Promise.resolve()
process.on('message', (request: AuditProcessRequest) => {
  queue = queue.then(async () => { await answer(request) })
})

// The server is gone (stopped, or killed without a word): nothing is left to audit for.
process.on('disconnect', () => process.exit(0))
