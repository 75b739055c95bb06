// Runs audits off the request thread: in a worker thread per database file, each job on its own read connection.
import { Worker } from 'node:worker_threads'
import type { Db } from '../database.js'
import { packRows, type PackedRows } from './finding-row.js'
import { auditRows, needsFullRead, type AuditJob } from './job.js'
import type { WorkerReply, WorkerRequest } from './worker.js'

/**
 * The worker's entry: a one-line module that first lowers the thread's priority — before the audit code is even
 * loaded, so lookups come first while an audit starts and runs (on Linux a nice value is per thread) — and then
 * imports the worker: the compiled worker.js from dist/, or worker.ts from sources, which a worker thread of Node 20
 * does not load through the parent's tsx hooks, so tsx is registered in the thread first.
 */
function workerEntry (): URL {
  const here = new URL(import.meta.url)
  const lowPriority = "try { (await import('node:os')).setPriority(19) } catch { /* not permitted: normal priority */ }"
  const load = here.pathname.endsWith('.js')
    ? `await import(${JSON.stringify(new URL('./worker.js', here).href)})`
    : `(await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})).register(); await import(${JSON.stringify(new URL('./worker.ts', here).href)})`
  return new URL(`data:text/javascript,${encodeURIComponent(`${lowPriority}\n${load}`)}`)
}

/** The audit error a worker reported, rebuilt on this side. */
function rebuild (error: { name: string, message: string, code?: string }): Error {
  return Object.assign(new Error(error.message), { name: error.name }, error.code === undefined ? {} : { code: error.code })
}

/**
 * A worker thread for one database file, started when an audit comes and kept, with the registry it last read
 * (worker.ts), which each job brings up to date: it runs one job at a time, in order, and holds the process open
 * only while a job is in flight. Once so much of the registry has changed that it is read again whole, the next job
 * goes to a fresh thread — stopping the old one hands its memory back at once, where V8 would keep the old
 * registry's heap until the new one needed the room, holding two registries at once.
 */
type Pending = Map<number, { resolve: (rows: PackedRows) => void, reject: (error: Error) => void }>

export class AuditWorker {
  /** The thread, and the jobs it has not answered yet (a crashed thread fails its own jobs, never a successor's). */
  #current: { worker: Worker, pending: Pending } | undefined
  #nextId = 1
  /** The change-log revision of the registry the thread last read, as it reported. */
  #revision: number | undefined

  /** `fullRead(revision)`: whether the registry changed so much after that revision that it is read again whole (job.ts). */
  constructor (readonly dbPath: string, private readonly fullRead: (revision: number) => boolean = () => false) {}

  async run (job: AuditJob): Promise<PackedRows> {
    if (this.#current !== undefined && this.#current.pending.size === 0 && this.#revision !== undefined && this.fullRead(this.#revision)) {
      void this.#current.worker.terminate()
      this.#current = undefined
    }
    const { worker, pending } = this.#current ??= this.#start()
    const request: WorkerRequest = { id: this.#nextId++, job }
    return await new Promise((resolve, reject) => {
      pending.set(request.id, { resolve, reject })
      worker.ref()
      worker.postMessage(request)
    })
  }

  /** Starts the thread ahead of the first job, so that job does not wait for the thread and its modules to load. */
  prestart (): void {
    this.#current ??= this.#start()
  }

  /** Stops the thread; jobs in flight fail. */
  async close (): Promise<void> {
    const current = this.#current
    this.#current = undefined
    if (current !== undefined) await current.worker.terminate()
  }

  #start (): { worker: Worker, pending: Pending } {
    const worker = new Worker(workerEntry(), { workerData: { dbPath: this.dbPath } })
    const pending: Pending = new Map()
    const current = { worker, pending }
    worker.unref()
    worker.on('message', (reply: WorkerReply) => {
      const job = pending.get(reply.id)
      pending.delete(reply.id)
      if (pending.size === 0) worker.unref()
      if ('error' in reply) job?.reject(rebuild(reply.error))
      else {
        if (this.#current === current) this.#revision = reply.revision
        job?.resolve(reply.rows)
      }
    })
    // A crash or a stop fails every job in flight; the next job starts a fresh thread.
    const fail = (error: Error): void => {
      if (this.#current === current) this.#current = undefined
      for (const { reject } of pending.values()) reject(error)
      pending.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`the audit worker stopped (exit code ${code})`)))
    return current
  }
}

const workers = new WeakMap<Db, AuditWorker>()

/** The database's audit worker, made on first use; undefined for an in-memory database, which has no file to share. */
function auditWorker (db: Db): AuditWorker | undefined {
  if (db.$client.memory) return undefined
  let worker = workers.get(db)
  if (worker === undefined) workers.set(db, worker = new AuditWorker(db.$client.name, (revision) => needsFullRead(db, revision)))
  return worker
}

/** The findings of the job as the rows a run stores, computed in the database's worker thread; in-process for an in-memory database. */
export async function findingsOffThread (db: Db, job: AuditJob): Promise<PackedRows> {
  const worker = auditWorker(db)
  return worker === undefined ? packRows(auditRows(db, job)) : await worker.run(job)
}

/** Starts the database's audit thread now, ahead of the first audit (it reads the registry only when one comes). */
export function prestartAuditWorker (db: Db): void {
  auditWorker(db)?.prestart()
}

/** Stops the database's audit worker, if it has one; jobs still in flight fail. */
export async function stopAuditWorker (db: Db): Promise<void> {
  await workers.get(db)?.close()
  workers.delete(db)
}
