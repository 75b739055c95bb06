// Group commit: the writes of one turn of the event loop run in one transaction, each in a savepoint of its own,
// and are answered once that transaction is durable — one fsync for all of them instead of one each.
import { BUSY_TIMEOUT_MS, statement, type Db } from './connection.js'

/*
 * With synchronous = FULL every commit waits for an fsync on the one thread that serves every request; writes that
 * arrive together pay for one here. Why, and the figures: docs/group-commit.md.
 *
 * What a caller can rely on: the promise resolves only once the transaction holding the write has committed (so
 * a reply sent then acknowledges a durable write, as with one transaction per write), and rejects with the
 * write's own error — its savepoint rolled back, the other writes of the batch unaffected — or, should the COMMIT
 * itself fail, with that error for every write of the batch, none of which was then written. A queued write runs
 * after the requests being read in this turn (at setImmediate), and nothing outside the batch reads while it is
 * open: readers never see a write before it is durable.
 */

/** Writes per transaction at most: a long backlog commits in several, so that no one turn runs without end. */
const MAX_BATCH = 256
/** How soon a batch tries again for the write lock another connection holds. */
const LOCK_RETRY_MS = 1

/** `queuedAt`: since when the write has waited for the lock (the end of an import, if one held it), for how long it may. */
interface Job { write: () => unknown, resolve: (value: unknown) => void, reject: (error: unknown) => void, queuedAt: number }

/**
 * The group commit of one connection. Contract: `queue(write)` settles once the transaction holding the write has
 * committed (or with its own error, or the COMMIT's); writes of one turn share a transaction, at most MAX_BATCH each.
 */
export class GroupCommit {
  private queued: Job[] | undefined
  /** Whether a writer of this server's own that takes the write lock for seconds (an import) runs now. */
  private longWriter: () => boolean = () => false

  constructor (private readonly db: Db) {}

  /**
   * While `writing()` holds, queued writes wait without asking for the lock, however long, and their busy timeout counts
   * from its end. The import process (import-runner.ts) takes the lock for the whole of a large import, which is known
   * to end: a write that came meanwhile should not fail for it; and SQLite's busy handler keeps no queue — batches
   * committed back to back here would keep the import from ever taking the lock.
   */
  waitForWriterWhile (writing: () => boolean): void {
    this.longWriter = writing
  }

  /** Runs the write in the next group commit; settles once it is committed, or failed. */
  async queue<T> (write: () => T): Promise<T> {
    return await new Promise<T>((resolve, reject) => {
      this.enqueue({ write, resolve: resolve as (value: unknown) => void, reject, queuedAt: performance.now() })
    })
  }

  private enqueue (job: Job, delayMs?: number): void {
    if (this.queued === undefined) {
      this.queued = []
      if (delayMs === undefined) setImmediate(() => { this.commitQueued() })
      else setTimeout(() => { this.commitQueued() }, delayMs)
    }
    this.queued.push(job)
  }

  private commitQueued (): void {
    const { db } = this
    const queue = this.queued
    if (queue === undefined) return
    this.queued = undefined
    // A transaction someone else left open (none should be, between turns) would swallow the batch: wait for its end.
    if (db.$client.inTransaction) {
      for (const job of queue) this.enqueue(job)
      return
    }
    if (this.longWriter()) {
      const now = performance.now()
      for (const job of queue) {
        job.queuedAt = now
        this.enqueue(job, LOCK_RETRY_MS)
      }
      return
    }
    let locked: Error | undefined
    try {
      locked = beginWithoutWaiting(db)
    } catch (error) {
      for (const job of queue) job.reject(error)
      return
    }
    if (locked !== undefined) {
      // Once the oldest write has waited as long as SQLite itself would, the queue fails (503), as it would have there.
      const waited = performance.now() - queue[0]!.queuedAt
      for (const job of queue) {
        if (waited >= BUSY_TIMEOUT_MS) job.reject(locked)
        else this.enqueue(job, LOCK_RETRY_MS)
      }
      return
    }
    const batch = queue.slice(0, MAX_BATCH)
    for (const job of queue.slice(MAX_BATCH)) this.enqueue(job)
    const outcomes: Array<{ value: unknown } | { error: unknown }> = []
    try {
      for (const job of batch) outcomes.push(runInSavepoint(db, job.write))
      statement(db, 'COMMIT').run()
    } catch (error) {
      if (db.$client.inTransaction) statement(db, 'ROLLBACK').run()
      for (const job of batch) job.reject(error)
      return
    }
    batch.forEach((job, i) => {
      const outcome = outcomes[i]!
      if ('error' in outcome) job.reject(outcome.error)
      else job.resolve(outcome.value)
    })
  }
}

/**
 * BEGIN IMMEDIATE without waiting for the write lock: SQLite's SQLITE_BUSY error while another connection holds it —
 * the audit process, storing a run a short transaction at a time. SQLite's own wait (busy_timeout) would sleep on
 * this thread, every request waiting with it; the batch tries again in a later turn instead (commitQueued).
 */
function beginWithoutWaiting (db: Db): Error | undefined {
  statement(db, 'PRAGMA busy_timeout = 0').run()
  try {
    statement(db, 'BEGIN IMMEDIATE').run()
    return undefined
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') return error as Error
    throw error
  } finally {
    statement(db, `PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`).run()
  }
}

/** One write, all of it or none of it: a failure rolls back what it wrote, and leaves the batch open. */
function runInSavepoint (db: Db, write: () => unknown): { value: unknown } | { error: unknown } {
  statement(db, 'SAVEPOINT queued_write').run()
  try {
    const value = write()
    // As better-sqlite3's transactions: a promise would do its writes after the commit, outside the transaction.
    if (typeof (value as { then?: unknown } | null)?.then === 'function') throw new TypeError('a queued write must not return a promise')
    statement(db, 'RELEASE queued_write').run()
    return { value }
  } catch (error) {
    statement(db, 'ROLLBACK TO queued_write').run()
    statement(db, 'RELEASE queued_write').run()
    return { error }
  }
}
