// Checkpoints of the write-ahead log, off the request thread. SQLite checkpoints in the connection whose commit takes
// the log past 1000 pages, inside that commit: on the server's connection, a checkpoint copied 4 MB into the database
// file and synced it twice while every request waited (measured during the storing of a large audit run: three
// checkpoints, 3–13 ms of fsync each, most of a second of reads and writes in all). Here a worker thread with a
// connection of its own copies the log's new frames into the database file, in PASSIVE mode: it never waits for, nor
// holds up, a reader or the writer — every CHECKPOINT_EVERY_MS, and again at once while the log keeps growing.
// A commit is as durable as before: it is synced in the log when it returns; the copy only keeps the log short.
//
// The log starts again from its beginning only when a write begins after a checkpoint that copied all of it. Under
// writes that never pause the thread's checkpoints, racing the writer, never quite finish, and the log grew without
// end (1.9 GB in 30 s of PATCHes). So the server's connection keeps a checkpoint of its own, past LOG_LIMIT_PAGES
// (64 MiB): the thread has copied nearly all of it by then, and the little left takes the request thread a moment.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { Db } from './database.js'

/** How often the thread checkpoints while the log does not grow. */
export const CHECKPOINT_EVERY_MS = 200
/** How soon it checkpoints again while it does. */
const AGAIN_MS = 10
/** The log's size, in pages, past which the server's connection finishes a checkpoint itself. */
export const LOG_LIMIT_PAGES = 16_384

/**
 * The thread's code, plain CommonJS (it needs no TypeScript, and runs the same from the sources and from dist/):
 * the driver is required by the absolute path the server resolved. A checkpoint that fails (the disk full, say) is
 * tried again at the next tick; the log meanwhile keeps every commit.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads')
try { require('node:os').setPriority(19) } catch {}
const Database = require(workerData.driver)
const db = new Database(workerData.dbPath, { fileMustExist: true })
db.pragma('synchronous = FULL')
db.pragma('wal_autocheckpoint = 0')
const checkpoint = () => {
  try {
    const [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)')
    return checkpointed < log
  } catch { return false }
}
let timer
const tick = () => { timer = setTimeout(tick, checkpoint() ? workerData.againMs : workerData.everyMs) }
timer = setTimeout(tick, workerData.everyMs)
parentPort.on('message', () => { clearTimeout(timer); checkpoint(); try { db.close() } catch {} parentPort.close() })
parentPort.postMessage('ready')
`

/** SQLite's own threshold: what the server's connection falls back to if the thread stops on its own. */
const SQLITE_AUTOCHECKPOINT = 1000

export class Checkpointer {
  #stopping = false

  private constructor (private readonly worker: Worker) {}

  /** Hands the database's checkpoints to a new thread; resolves once the thread has its connection. */
  static async start (db: Db, everyMs = CHECKPOINT_EVERY_MS, logLimitPages = LOG_LIMIT_PAGES): Promise<Checkpointer> {
    const worker = new Worker(THREAD, { eval: true, workerData: { dbPath: db.$client.name, driver: createRequire(import.meta.url).resolve('better-sqlite3'), everyMs, againMs: AGAIN_MS } })
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => { resolve() })
      worker.once('error', reject)
    })
    worker.unref()
    db.$client.pragma(`wal_autocheckpoint = ${logLimitPages}`)
    const checkpointer = new Checkpointer(worker)
    // A thread that stopped on its own (it crashed): the server's connection checkpoints again, so the log stays short.
    worker.on('error', () => { /* followed by 'exit' */ })
    worker.once('exit', () => {
      if (!checkpointer.#stopping && db.$client.open) db.$client.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT}`)
    })
    return checkpointer
  }

  /** Checkpoints once more and stops the thread; the server's connection, closed after, then checkpoints what is left. */
  async stop (): Promise<void> {
    this.#stopping = true
    const exited = new Promise((resolve) => this.worker.once('exit', resolve))
    this.worker.ref() // the process waits for the last checkpoint
    this.worker.postMessage('stop')
    await exited
  }

  /** Stops the thread at once, without a last checkpoint, as a crash of it would. */
  async terminate (): Promise<void> {
    await this.worker.terminate()
  }
}
