// The service's runtime: one database connection and everything that lives as long as it does. Built by the db
// plugin (src/plugins/db.ts) and decorated on the app as `app.runtime`; started on the app's onReady and stopped on
// its onClose. Nothing of it lives in module state: two apps on two databases share nothing. docs/architecture.md.
import { openAuditRunner, type AuditRunner, type AuditRunnerOptions } from './audit/audit-runner.js'
import { DeciderIndex } from './registry/decider-index.js'
import { CaveatCache } from './services/caveat-cache.js'
import { CaveatWarmer } from './services/caveat-warmer.js'
import { LiveKeys } from './services/keys.js'
import { startImportRunner, type ImportRunner } from './services/import-runner.js'
import { commitsElsewhere, isOpen, lastRevision } from './store/change-feed.js'
import { Checkpointer } from './store/checkpointer.js'
import { closeDatabase, databaseFile, openDatabase, type Db } from './store/connection.js'
import { GroupCommit } from './store/group-commit.js'

export interface RuntimeOptions {
  /** How audit runs are stored, if not as usual: tests slow the store down (audit/audit-runner.ts). */
  audits?: AuditRunnerOptions
  /** Whether a write that may change a boundary is judged before and after (services/write-effects.ts); default true. */
  writeEffects?: boolean
  /** Whether the caveats of every target are judged between requests once started (services/caveat-warmer.ts); default false. */
  caveatsWarm?: boolean
}

/**
 * How often a database file is asked whether another process committed to it (the command line beside a running
 * server): the longest such a commit goes unseen by the decider index and the key cache.
 */
export const COMMITS_ELSEWHERE_POLL_MS = 200

/** How a request's write is committed: see Runtime.commit. */
export interface WriteRequest { idempotencyKey: string | string[] | undefined }

export class Runtime {
  /** The connection, with the statements it has prepared (src/store/). */
  readonly db: Db
  /** The writes of one turn, committed in one transaction. */
  readonly writes: GroupCommit
  /** Who decides, answered from memory and kept in step with the change log. */
  readonly deciders: DeciderIndex
  /** The caveats of "who decides?" answers, judged once per target until something is written (services/caveat-cache.ts). */
  readonly caveats: CaveatCache
  /** Fills the caveat cache between requests, once started; undefined when not asked for. */
  readonly caveatWarmer: CaveatWarmer | undefined
  /** The live API keys by token hash. */
  readonly keys: LiveKeys
  /** Where audits run and their runs are stored: the audit process of a database file. */
  readonly audits: AuditRunner
  /** Where imports run: the import process of a database file. */
  readonly imports: ImportRunner
  /** Whether writes that may change a boundary answer with their effects (routes/replies.ts commitJudged). */
  readonly writeEffects: boolean
  /** Copies the write-ahead log into the database off the request thread; a database file only, once started. */
  #checkpointer: Checkpointer | undefined
  /** Asks the database file, every COMMITS_ELSEWHERE_POLL_MS, whether another process committed; once started. */
  #watch: NodeJS.Timeout | undefined

  constructor (db: Db, options: RuntimeOptions = {}) {
    this.db = db
    this.writes = new GroupCommit(db)
    this.deciders = new DeciderIndex(db)
    this.caveats = new CaveatCache(db, () => this.deciders.heldRevision)
    this.caveatWarmer = options.caveatsWarm === true ? new CaveatWarmer(this) : undefined
    this.keys = new LiveKeys(db)
    this.audits = openAuditRunner(db, options.audits)
    this.imports = startImportRunner(db, this.deciders, this.writes)
    this.writeEffects = options.writeEffects ?? true
  }

  /** Opens the database at `path` (':memory:' for one that ends with the process), its schema brought up to date. */
  static open (path: string, options: RuntimeOptions = {}): Runtime {
    return new Runtime(openDatabase(path), options)
  }

  /**
   * Readies what the first requests would otherwise wait for: the decider index read whole (about a second per
   * million assignments), the import and audit processes loading, and the checkpointer's thread.
   */
  async start (): Promise<void> {
    this.deciders.refresh()
    this.imports.prestart()
    this.audits.prestart()
    if (databaseFile(this.db) !== undefined && this.#checkpointer === undefined) this.#checkpointer = await Checkpointer.start(this.db)
    if (databaseFile(this.db) !== undefined && this.#watch === undefined) this.#watchCommitsElsewhere()
    this.caveatWarmer?.start()
  }

  /**
   * A commit by another process on the file reaches what this one keeps in memory within COMMITS_ELSEWHERE_POLL_MS:
   * the decider index follows the change log up to it, and the key cache is emptied (a key revoked elsewhere stops
   * working here; one issued elsewhere is found by its first request anyway). The import process's commits are
   * followed at once by the import runner as well; following twice is harmless.
   */
  #watchCommitsElsewhere (): void {
    let seen = commitsElsewhere(this.db)
    this.#watch = setInterval(() => {
      if (!isOpen(this.db)) return
      const now = commitsElsewhere(this.db)
      if (now === seen) return
      seen = now
      this.keys.forget()
      // Rejected only when the database closes meanwhile: nothing is left to bring up to date.
      this.deciders.follow(lastRevision(this.db)).catch(() => {})
    }, COMMITS_ELSEWHERE_POLL_MS).unref()
  }

  /** Fails the audits and imports in flight, checkpoints a last time and closes the connection. */
  async stop (): Promise<void> {
    clearInterval(this.#watch)
    this.caveatWarmer?.stop()
    await this.audits.close()
    await this.imports.close()
    await this.#checkpointer?.stop()
    closeDatabase(this.db)
  }

  /**
   * Commits a request's write: the one place that decides how. Settles once the write is durable, or with its error.
   * - As usual, in the next group commit (store/group-commit.ts): it never waits in SQLite's busy handler, but in
   *   later turns, while another connection (the audit process storing a run, the import process) holds the lock.
   * - With an Idempotency-Key, at once, in a transaction of its own on this connection: its key is claimed just before
   *   and its answer stored just after in the same turn (plugins/idempotency.ts), so a concurrent retry finds the
   *   answer, not a claim in progress. It waits in SQLite's busy handler, up to BUSY_TIMEOUT_MS, while another
   *   connection holds the lock — one of the two writes that do; the other is an import, whose transaction runs in
   *   the import process (services/import-runner.ts) and waits there.
   */
  async commit<T> (request: WriteRequest, write: () => T): Promise<T> {
    return request.idempotencyKey === undefined ? await this.writes.queue(write) : write()
  }
}
