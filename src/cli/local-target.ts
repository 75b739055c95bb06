// The local target: the database file opened as the server opens it (src/runtime.ts), beside a running server if
// there is one (WAL); reads and writes go through the same services as the API's, each write in its transaction.
import { existsSync } from 'node:fs'
import { ProblemError } from '../errors.js'
import { Runtime } from '../runtime.js'
import type { AuditCreate, AuditRun, Finding } from '../schemas/audits.js'
import { listFindings, runAudit } from '../services/audits.js'
import { listFindingGroups } from '../services/finding-groups.js'
import { resolveInitiativeDecider } from '../services/deciders.js'
import { getDomain } from '../services/domains.js'
import { exportBundle } from '../services/export.js'
import { importBundle, type ImportReport } from '../services/import.js'
import { parseImportBody } from '../services/import-body.js'
import type { SpreadsheetImportReport } from '../services/spreadsheets/spreadsheet-import.js'
import { getInitiative } from '../services/initiatives.js'
import { getPerson } from '../services/people.js'
import type { PersonStatus } from '../../db/schema.js'
import type { InitiativeDecider } from '../schemas/deciders.js'
import { CliError } from './errors.js'
import { allPages, CLI_ACTOR, FINDINGS_PAGE, GROUP_MEMBERS, type FindingGroup, type GroupBy, type ImportRequest, type RaciRequest, type SheetRequest, type Target } from './target.js'

/** The record, or undefined where the service answers 404. */
function unlessMissing<T> (read: () => T): T | undefined {
  try {
    return read()
  } catch (err) {
    if (err instanceof ProblemError && err.code === 'WHODECIDES_ERR_NOT_FOUND') return undefined
    throw err
  }
}

/**
 * Stops the runtime with the event loop held open until it has: Runtime.stop waits for the audit and import processes
 * to exit, and a child process at rest does not hold the loop (background-process.ts, holdOpen), so a command with
 * nothing else to do would end there with Node's "unsettled top-level await" (exit 13) instead of closing.
 */
export async function stopRuntime (runtime: Runtime): Promise<void> {
  const hold = setInterval(() => {}, 60_000)
  try {
    await runtime.stop()
  } finally {
    clearInterval(hold)
  }
}

/** SQLite's codes for a file that is not a usable database: not one at all, damaged, or not to be opened. */
const NOT_A_DATABASE = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CANTOPEN'])

/** The runtime on the file, or the file's fault in words (a file that is not a database is the user's to fix). */
function openRuntime (path: string): Runtime {
  try {
    return Runtime.open(path)
  } catch (err) {
    const code = (err as { code?: unknown }).code
    if (typeof code !== 'string' || !NOT_A_DATABASE.has(code)) throw err
    throw new CliError(`${path} cannot be opened as a whodecides database (SQLite: ${(err as Error).message}); name another file with --db or WHODECIDES_DB`)
  }
}

export class LocalTarget implements Target {
  /** `source`: the file an in-memory registry was made from (audit --from), which messages and the report name. */
  private constructor (readonly runtime: Runtime, readonly where: string, readonly source: string | undefined) {}

  /** Opens (creating unless `mustExist`) the database and brings its schema up to date, as the server does. */
  static open (path: string, options: { mustExist: boolean }, source?: string): LocalTarget {
    if (options.mustExist && path !== ':memory:' && !existsSync(path)) {
      throw new CliError(`no database at ${path}: name it with --db or WHODECIDES_DB, or create it with whodecides migrate`)
    }
    return new LocalTarget(openRuntime(path), source ?? path, source)
  }

  async decider (initiativeId: string, at: string | undefined): Promise<InitiativeDecider> {
    return resolveInitiativeDecider(this.runtime, initiativeId, at)
  }

  async initiative (id: string, at: string | undefined): Promise<{ title: string, domainId: string | null } | undefined> {
    return unlessMissing(() => getInitiative(this.runtime.db, id, at))
  }

  async domain (id: string, at: string | undefined): Promise<{ name: string } | undefined> {
    return unlessMissing(() => getDomain(this.runtime.db, id, at))
  }

  async person (id: string, at: string | undefined): Promise<{ name: string, status: PersonStatus } | undefined> {
    return unlessMissing(() => getPerson(this.runtime.db, id, at))
  }

  async runAudit (input: AuditCreate): Promise<AuditRun> {
    return (await runAudit(this.runtime.db, this.runtime.audits, CLI_ACTOR, input)).record
  }

  async findings (runId: string, read: (count: number) => void): Promise<Finding[]> {
    return await allPages(async (cursor) => listFindings(this.runtime.db, runId, { limit: FINDINGS_PAGE, ...(cursor === undefined ? {} : { cursor }) }), read)
  }

  async findingGroups (runId: string, by: GroupBy): Promise<FindingGroup[]> {
    const live = { severity: null, ruleId: null, state: null, waived: false, holds: true }
    return await allPages(async (cursor) => {
      const page = listFindingGroups(this.runtime.db, runId, by, live, { limit: FINDINGS_PAGE, perGroup: GROUP_MEMBERS, ...(cursor === undefined ? {} : { cursor }) })
      return { items: page.groups, nextCursor: page.nextCursor }
    }, () => {})
  }

  async exportBundle (): Promise<unknown> {
    return exportBundle(this.runtime.db)
  }

  // Imports run here, in this process, on this connection: the same import as the API's (parsed by the same parser,
  // in one transaction with its change-log entries) without starting the import process for one command.
  async importBundle (json: Buffer, request: ImportRequest): Promise<ImportReport> {
    const { bundle } = parseImportBody(json, false)
    return importBundle(this.runtime.db, CLI_ACTOR, bundle, { ...request, role: 'admin' })
  }

  // The spreadsheet and report modules are loaded by the commands that use them only.
  async importSheet (bytes: Buffer, request: SheetRequest, step: () => void): Promise<SpreadsheetImportReport> {
    const [{ parsePeopleCsv }, { planPeopleImport }, { planRaciImport, readRaciFile }, { applyOn, applyPlan }] = await Promise.all([
      import('../formats/people-csv.js'), import('../services/spreadsheets/people-import.js'),
      import('../services/spreadsheets/raci-import.js'), import('../services/spreadsheets/spreadsheet-import.js')
    ])
    const { db } = this.runtime
    let plan
    if (request.kind === 'people') {
      const read = parsePeopleCsv(bytes, request.map === undefined ? {} : { map: request.map })
      step()
      plan = planPeopleImport(db, read)
    } else {
      const read = await readRaciFile(bytes, request.format)
      step()
      plan = planRaciImport(db, read)
    }
    step()
    return await applyPlan(plan, { dryRun: request.dryRun, role: 'admin' }, applyOn(db, CLI_ACTOR))
  }

  async raciFile (request: RaciRequest): Promise<Buffer> {
    const { exportRaciMatrix } = await import('../services/spreadsheets/raci-export.js')
    return await exportRaciMatrix(this.runtime.db, request)
  }

  async auditHtml (runId: string): Promise<string> {
    const { getAuditReport } = await import('../services/audit-report.js')
    return await getAuditReport(this.runtime.db, runId, this.source === undefined ? {} : { source: this.source })
  }

  async close (): Promise<void> {
    await stopRuntime(this.runtime)
  }
}
