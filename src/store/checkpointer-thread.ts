// The checkpointer's thread (started by checkpointer.ts, never imported): copies the write-ahead log's frames into
// the database file on a connection of its own, PASSIVE — never waiting for, nor holding up, a reader or the writer.
// Past the log's limit it stops and asks the server to finish ('finish'), until told it did ('finished'); asked to
// stop, it checkpoints once more and closes. A checkpoint that fails (the disk full, say) is tried again at the next
// tick; the log meanwhile keeps every commit. Why: docs/checkpointer.md.
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

/** What the server hands the thread as it starts it. */
export interface CheckpointerThreadData {
  dbPath: string
  /** How often it checkpoints while the log does not grow. */
  everyMs: number
  /** How soon it checkpoints again while it does. */
  againMs: number
  /** The log's length, in frames, past which the server is asked to finish. */
  limitFrames: number
}

/** From the thread: it has its connection ('ready'); the log passed its limit ('finish'). */
export type ThreadMessage = 'ready' | 'finish'
/** To the thread: the server finished the checkpoint it asked for ('finished'); one last checkpoint, then close ('stop'). */
export type ServerMessage = 'finished' | 'stop'

if (parentPort === null) throw new Error('checkpointer-thread.ts runs as a worker thread of the checkpointer')
const port = parentPort
const data = workerData as CheckpointerThreadData
const post = (message: ThreadMessage): void => { port.postMessage(message) }

const db = new Database(data.dbPath, { fileMustExist: true })
db.pragma('synchronous = FULL')
db.pragma('wal_autocheckpoint = 0')

/** Whether the server was asked to finish and has not yet: its checkpoint would find this one's lock taken. */
let asked = false

/** One PASSIVE checkpoint; whether frames were left uncopied (the log grows: again soon). */
function checkpoint (): boolean {
  if (asked) return true
  try {
    const [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)') as [{ log: number, checkpointed: number }]
    if (log >= data.limitFrames) {
      asked = true
      post('finish')
    }
    return checkpointed < log
  } catch {
    return false
  }
}

let timer = setTimeout(function tick () {
  timer = setTimeout(tick, checkpoint() ? data.againMs : data.everyMs)
}, data.everyMs)

port.on('message', (message: ServerMessage) => {
  if (message === 'finished') {
    asked = false
    return
  }
  // Stopping: one last checkpoint, even while the server was asked to finish one.
  clearTimeout(timer)
  try { db.pragma('wal_checkpoint(PASSIVE)') } catch { /* the server's connection, closed after, checkpoints what is left */ }
  try { db.close() } catch { /* the thread ends all the same */ }
  port.close()
})

post('ready')
