// Checkpoints of the write-ahead log, mostly off the request thread. SQLite checkpoints in the connection whose
// commit takes the log past 1000 pages, inside that commit: on the server's connection alone, a checkpoint copied
// 4 MB into the database file and synced it twice while every request waited (measured during the storing of a
// large audit run: three checkpoints, 3–13 ms of fsync each, most of a second of reads and writes in all). Here a
// worker thread with a connection of its own copies the log's new frames into the database file as they come, in
// PASSIVE mode — it never waits for, nor holds up, a reader or the writer — every CHECKPOINT_EVERY_MS while the log
// is quiet, again at once while it grows. The server's connection keeps SQLite's own checkpoint: only a checkpoint
// that completes lets the log start again from its beginning, and under writes that never pause the thread's,
// racing the writer, never quite do (without it the log grew without end: 1.9 GB in 30 s of PATCHes). By the time
// the server's connection checkpoints, the thread has copied nearly everything: the request thread's share is the
// last few frames (PATCH p99 6.5 ms at 6.5k/s, against 53 ms when it waited for 64 MiB of log and 23 ms for 16).
// A commit is as durable as before: it is synced in the log when it returns; the copy only keeps the log short.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { Db } from './database.js'

/** How often the thread checkpoints while the log does not grow. */
export const CHECKPOINT_EVERY_MS = 200
/** How soon it checkpoints again while it does. */
const AGAIN_MS = 10

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

export class Checkpointer {
  private constructor (private readonly worker: Worker) {}

  /** Starts the database's checkpoint thread; resolves once the thread has its connection. */
  static async start (db: Db, everyMs = CHECKPOINT_EVERY_MS): Promise<Checkpointer> {
    const worker = new Worker(THREAD, { eval: true, workerData: { dbPath: db.$client.name, driver: createRequire(import.meta.url).resolve('better-sqlite3'), everyMs, againMs: AGAIN_MS } })
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => { resolve() })
      worker.once('error', reject)
    })
    worker.unref()
    // A thread that stopped on its own (it crashed) leaves the checkpoints to the server's connection, as without it.
    worker.on('error', () => { /* followed by 'exit' */ })
    return new Checkpointer(worker)
  }

  /** Checkpoints once more and stops the thread; the server's connection, closed after, then checkpoints what is left. */
  async stop (): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve))
    this.worker.ref() // the process waits for the last checkpoint
    this.worker.postMessage('stop')
    await exited
  }
}
