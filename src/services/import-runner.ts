// Runs the imports of one database off the request thread — in a process of its own for a database file, on this
// thread for an in-memory database (no file to share) — one at a time, each answered once the decider index holds it.
import { databaseFile, type Db } from '../store/connection.js'
import type { DeciderIndex } from '../registry/decider-index.js'
import type { Actor } from '../store/change-log.js'
import type { GroupCommit } from '../store/group-commit.js'
import { importBundle, type ImportOptions, type ImportReport } from './import.js'
import { ImportBody, parseImportBody } from './import-body.js'
import { ImportProcess, type ParsedTicket } from './import-process.js'
import { importFile, type ImportFileOptions } from './spreadsheets/import-file.js'
import type { SpreadsheetImportReport } from './spreadsheets/spreadsheet-import.js'

/*
 * Why a process, not a worker thread: a worker thread's garbage collections run on V8's helper threads, which the
 * whole server shares at normal priority, and an import's are large (a 24 MiB bundle parses into ~200 MB of objects);
 * the audit measured that as lookups' p99 (docs/audit-process.md). In a process, every thread of the import runs at
 * the lowest priority once its code is loaded (import-worker.ts), and the bundle's bytes cross the channel once, as
 * bytes. It is started with the app and kept between imports: loading it takes ~0.5 s, which the first import would
 * otherwise wait for.
 *
 * While an import runs there: lookups are answered from the decider index, which holds the registry as it was, and
 * the import's transaction holds the write lock; the server's writes wait for it in the group commit (in later turns,
 * never in SQLite's busy handler) for as long as it runs. Once it commits, the index reads what it wrote in steps
 * between requests, lookups reading SQL meanwhile (decider-index.ts), and the import answers when the index has it.
 */

/** Where the imports run: the parsed body stays there, under a ticket, until it is imported or dropped. */
interface Place<T> {
  parse: (raw: Buffer, digest: boolean) => Promise<{ ticket: T, sha256: string | undefined }>
  run: (ticket: T | null, actor: Actor, options: ImportOptions) => Promise<ImportReport>
  runFile: (raw: Uint8Array, actor: Actor, options: ImportFileOptions) => Promise<SpreadsheetImportReport>
  drop: (ticket: T) => void
  prestart: () => void
  close: () => Promise<void>
}

/** On the request thread, for an in-memory database: the same steps, run at once. */
function thisThread (db: Db): Place<{ bundle: unknown }> {
  return {
    parse: async (raw, digest) => {
      const { bundle, sha256 } = parseImportBody(raw, digest)
      return { ticket: { bundle }, sha256 }
    },
    run: async (ticket, actor, options) => importBundle(db, actor, ticket?.bundle, options),
    runFile: async (raw, actor, options) => await importFile(db, actor, raw, options),
    drop: () => {},
    prestart: () => {},
    close: async () => {}
  }
}

function processFor (dbPath: string): Place<ParsedTicket> {
  const imports = new ImportProcess(dbPath)
  return {
    parse: async (raw, digest) => await imports.parse(raw, digest),
    run: async (ticket, actor, options) => await imports.run(ticket, actor, options),
    runFile: async (raw, actor, options) => await imports.runFile(raw, actor, options),
    drop: (ticket) => { imports.drop(ticket) },
    prestart: () => { imports.prestart() },
    close: async () => { await imports.close() }
  }
}

export class ImportRunner {
  /** Settles a turn after the last import queued has answered: the next one starts then. */
  #tail: Promise<void> = Promise.resolve()
  #applying = false
  /** Bodies imported or dropped already. */
  readonly #settled = new WeakSet<ImportBody>()

  constructor (private readonly deciders: DeciderIndex, private readonly place: Place<unknown>) {}

  /** Whether an import (not a dry run) is being validated or applied: it holds, or will take, the write lock. */
  get applying (): boolean {
    return this.#applying
  }

  /** The body's bytes parsed where the imports run; a digest of its JSON for an Idempotency-Key (import-body.ts). */
  async parse (raw: Buffer, digest: boolean): Promise<ImportBody> {
    const { ticket, sha256 } = await this.place.parse(raw, digest)
    return new ImportBody(ticket, sha256)
  }

  /**
   * Imports the body — as `parse` gave it; anything else is no body, which the import refuses as not a bundle — after
   * the imports queued before it; settles with the report once the decider index holds what it wrote, or fails with
   * the import's error (a 422 with its report, say).
   */
  async run (request: unknown, actor: Actor, options: ImportOptions): Promise<ImportReport> {
    const body = request instanceof ImportBody ? request : undefined
    if (body !== undefined) this.#settled.add(body)
    return await this.#inTurn(options.dryRun, async () => await this.place.run(body === undefined ? null : body.held(), actor, options))
  }

  /**
   * Imports a spreadsheet (a RACI matrix or people: importFile) where the imports run — read, planned and written
   * there, off the request thread — after the imports queued before it; settles as `run` does.
   */
  async runFile (raw: Uint8Array, actor: Actor, options: ImportFileOptions): Promise<SpreadsheetImportReport> {
    return await this.#inTurn(options.dryRun ?? false, async () => await this.place.runFile(raw, actor, options))
  }

  /** Runs one import after those queued before it; settles once the decider index holds what it wrote. */
  async #inTurn<R extends { revision: number | null }> (dryRun: boolean, work: () => Promise<R>): Promise<R> {
    const previous = this.#tail
    let done = (): void => {}
    this.#tail = new Promise((resolve) => { done = resolve })
    try {
      await previous
      let report: R
      this.#applying = !dryRun
      try {
        report = await work()
      } finally {
        this.#applying = false
      }
      if (report.revision !== null) await this.deciders.follow(report.revision)
      return report
    } finally {
      // A turn later: this import's answer, and the Idempotency-Key record the request thread writes with it, go
      // first, so that they never wait for the next import's lock.
      setImmediate(done)
    }
  }

  /** Lets go of a parsed body whose request ends without importing it (refused after parsing, replayed, aborted). */
  release (body: unknown): void {
    if (!(body instanceof ImportBody) || this.#settled.has(body)) return
    this.#settled.add(body)
    this.place.drop(body.held())
  }

  /** Settles once the imports queued so far have answered. */
  async idle (): Promise<void> {
    await this.#tail
  }

  /** Starts the import process now (for a database file), ahead of the first import. */
  prestart (): void {
    this.place.prestart()
  }

  async close (): Promise<void> {
    await this.place.close()
  }
}

/** The database's import runner: in a process started on first use for a file, on this thread for ':memory:'. */
export function startImportRunner (db: Db, deciders: DeciderIndex, writes: GroupCommit): ImportRunner {
  const file = databaseFile(db)
  const place = file === undefined ? thisThread(db) : processFor(file)
  const runner = new ImportRunner(deciders, place as Place<unknown>)
  writes.waitForWriterWhile(() => runner.applying)
  return runner
}
