// Checkpoints of the write-ahead log, off the request thread but for the last few frames. Contract: for a database
// file, the server's connection never checkpoints on its own (wal_autocheckpoint = 0) while the thread lives; the
// thread (checkpointer-thread.ts) copies the log PASSIVE, every CHECKPOINT_EVERY_MS while the log is quiet and again at
// once while it grows; past LOG_LIMIT_FRAMES it asks the server to finish, which does so between two of its transactions
// without waiting for anyone. On stop, one last checkpoint; a thread that dies hands checkpoints back to SQLite's own.
// A commit is as durable as before: it is synced in the log when it returns. Why, and what was tried: docs/checkpointer.md.
import { Worker } from 'node:worker_threads'
import type { CheckpointerThreadData, ServerMessage, ThreadMessage } from './checkpointer-thread.js'
import type { Db } from './connection.js'

/** How often the thread checkpoints while the log does not grow. */
export const CHECKPOINT_EVERY_MS = 200
/** How soon it checkpoints again while it does. */
const AGAIN_MS = 10
/** The log's length, in frames (pages), past which the request thread is asked to finish a checkpoint: 16 MiB. */
export const LOG_LIMIT_FRAMES = 4096
/** SQLite's own threshold: what the server's connection falls back to if the thread stops on its own. */
const SQLITE_AUTOCHECKPOINT = 1000

/** An option naming tsx: `--import tsx`, or its loader by path as the tsx command gives it. */
const TSX = /(^|[\\/=])tsx([\\/]|$)/

/** V8's heap sizes among Node's options: a worker thread refuses them in its own options. */
const V8_HEAP = /^--max-(semi|old)-space-size(=|$)/

/**
 * The thread's module: compiled beside this one in dist/; from the sources, the TypeScript module, loaded through the
 * TypeScript loader the server runs under, whose Node options a worker thread inherits. tsx (npm run dev, scripts)
 * registers its hooks in the main thread only on Node 20: under it, the thread registers them itself first.
 */
function threadModule (): { url: URL, execArgv?: string[] } {
  const here = new URL(import.meta.url)
  if (here.pathname.endsWith('.js')) return { url: new URL('./checkpointer-thread.js', here) }
  const url = new URL('./checkpointer-thread.ts', here)
  if (!process.execArgv.some((option) => TSX.test(option))) return { url }
  const register = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register()`
  // Given explicitly, a worker's options may not hold V8's (a young generation's size, say): those stay the process's.
  const inherited = process.execArgv.filter((option) => !V8_HEAP.test(option))
  return { url, execArgv: [...inherited, '--import', `data:text/javascript,${encodeURIComponent(register)}`] }
}

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

const send = (worker: Worker, message: ServerMessage): void => { worker.postMessage(message) }

export class Checkpointer {
  private constructor (private readonly worker: Worker) {}

  #stopping = false

  /** Starts the database's checkpoint thread; resolves once the thread has its connection. */
  static async start (db: Db, everyMs = CHECKPOINT_EVERY_MS, limitFrames = LOG_LIMIT_FRAMES): Promise<Checkpointer> {
    const { url, execArgv } = threadModule()
    const workerData: CheckpointerThreadData = { dbPath: db.$client.name, everyMs, againMs: AGAIN_MS, limitFrames }
    const worker = new Worker(url, { workerData, ...(execArgv === undefined ? {} : { execArgv }) })
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => { resolve() })
      worker.once('error', reject)
    })
    worker.unref()
    db.$client.pragma('wal_autocheckpoint = 0')
    const checkpointer = new Checkpointer(worker)
    // Asked to finish: between two transactions (one left open until a later turn finishes it first), the rest of
    // the log is copied here; it is asked again if a write slipped in before.
    worker.on('message', (message: ThreadMessage) => {
      if (message !== 'finish') return
      survive(() => { if (db.$client.open && !db.$client.inTransaction) finishCheckpoint(db) })
      survive(() => { send(worker, 'finished') })
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
    send(this.worker, 'stop')
    await exited
  }

  /** Stops the thread at once, without a last checkpoint, as a crash of it would. */
  async terminate (): Promise<void> {
    await this.worker.terminate()
  }
}
