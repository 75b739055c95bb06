// Checkpoints of the write-ahead log, off the request thread but for the last few frames. SQLite checkpoints in the
// connection whose commit takes the log past 1000 pages, inside that commit: on the server's connection, a checkpoint
// copied 4 MB into the database file and synced it twice while every request waited (measured during the storing of
// a large audit run: three checkpoints, 3–13 ms of fsync each, most of a second of reads and writes in all; and
// under load, stalls long enough for lookups to fall behind). Here the server's connection never checkpoints on its
// own (wal_autocheckpoint = 0): a worker thread with a connection of its own copies the log's frames into the
// database file as they come, in PASSIVE mode — it never waits for, nor holds up, a reader or the writer — every
// CHECKPOINT_EVERY_MS while the log is quiet, again at once while it grows.
//
// Only a checkpoint that completes lets the log start again from its beginning, and under writes that never pause
// the thread's, racing the writer, never quite do (the log grew without end: 1.9 GB in 30 s of PATCHes). So once the
// log passes LOG_LIMIT_FRAMES the thread stops and asks the request thread to finish: between two of its transactions,
// just after the thread synced the database file, its checkpoint has only the frames written meanwhile to copy.
// A commit is as durable as before: it is synced in the log when it returns; the copy only keeps the log short.
//
// The thread runs at normal priority, unlike the audit thread: what it does is short, and at the lowest priority any
// other busy process on the machine starved it and the log grew without end (20–38 MB within a second of writes in
// test/checkpointer.test.ts with two busy loops beside it, against 1.8 MB at normal priority).
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { Db } from './database.js'

/** How often the thread checkpoints while the log does not grow. */
export const CHECKPOINT_EVERY_MS = 200
/** How soon it checkpoints again while it does. */
const AGAIN_MS = 10
/** The log's length, in frames (pages), past which the request thread is asked to finish a checkpoint: 16 MiB. */
export const LOG_LIMIT_FRAMES = 4096
/** SQLite's own threshold: what the server's connection falls back to if the thread stops on its own. */
const SQLITE_AUTOCHECKPOINT = 1000

/**
 * The thread's code, plain CommonJS (it needs no TypeScript, and runs the same from the sources and from dist/):
 * the driver is required by the absolute path the server resolved. A checkpoint that fails (the disk full, say) is
 * tried again at the next tick; the log meanwhile keeps every commit.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.dbPath, { fileMustExist: true })
db.pragma('synchronous = FULL')
db.pragma('wal_autocheckpoint = 0')
let asked = false
const checkpoint = () => {
  if (asked) return true // the request thread's turn: its checkpoint would find this one's lock taken
  try {
    const [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)')
    if (log >= workerData.limitFrames) {
      asked = true
      parentPort.postMessage('finish')
    }
    return checkpointed < log
  } catch { return false }
}
let timer
const tick = () => { timer = setTimeout(tick, checkpoint() ? workerData.againMs : workerData.everyMs) }
timer = setTimeout(tick, workerData.everyMs)
parentPort.on('message', (message) => {
  if (message === 'finished') { asked = false; return }
  // Stopping: one last checkpoint, even while the request thread was asked to finish one.
  clearTimeout(timer)
  try { db.pragma('wal_checkpoint(PASSIVE)') } catch {}
  try { db.close() } catch {}
  parentPort.close()
})
parentPort.postMessage('ready')
`

/**
 * The request thread's part: copies what is left and has the next write start the log again (RESTART), without
 * waiting for anyone (busy_timeout 0) — a reader still on old frames (an audit reading the registry) makes it give up,
 * to be asked again later. A failure (the disk full, say) is left to that later time too.
 */
function finishCheckpoint (db: Db): void {
  const sqlite = db.$client
  const timeout = sqlite.pragma('busy_timeout', { simple: true }) as number
  sqlite.pragma('busy_timeout = 0')
  try {
    sqlite.pragma('wal_checkpoint(RESTART)')
  } catch { /* asked again later */ } finally {
    sqlite.pragma(`busy_timeout = ${timeout}`)
  }
}

/** Runs a step of the request thread's part on the thread's events, where a throw would end the process: a failure waits for the next time. */
function survive (step: () => void): void {
  try { step() } catch { /* the log keeps every commit meanwhile; the next ask, or SQLite's own checkpoint, copies it */ }
}

export class Checkpointer {
  private constructor (private readonly worker: Worker) {}

  #stopping = false

  /** Starts the database's checkpoint thread; resolves once the thread has its connection. */
  static async start (db: Db, everyMs = CHECKPOINT_EVERY_MS, limitFrames = LOG_LIMIT_FRAMES): Promise<Checkpointer> {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    const worker = new Worker(THREAD, { eval: true, workerData: { dbPath: db.$client.name, driver, everyMs, againMs: AGAIN_MS, limitFrames } })
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => { resolve() })
      worker.once('error', reject)
    })
    worker.unref()
    db.$client.pragma('wal_autocheckpoint = 0')
    const checkpointer = new Checkpointer(worker)
    // Asked to finish: between two transactions (one left open until a later turn finishes it first), the rest of
    // the log is copied here; it is asked again if a write slipped in before.
    worker.on('message', () => {
      survive(() => { if (db.$client.open && !db.$client.inTransaction) finishCheckpoint(db) })
      survive(() => { worker.postMessage('finished') })
    })
    // A thread that stopped on its own (it crashed): the server's connection checkpoints itself again, as SQLite does.
    worker.on('error', () => { /* followed by 'exit' */ })
    worker.once('exit', () => {
      survive(() => { if (!checkpointer.#stopping && db.$client.open) db.$client.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT}`) })
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
