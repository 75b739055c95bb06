// Where a command reads and writes: the local database file, or a running service through its public API. Both
// answer the same questions in the API's shapes, so every command prints the same for either.
import type { Command } from 'commander'
import { defaultConfig } from '../config.js'
import type { AuditCreate, AuditRun, Finding, FindingGroups } from '../schemas/audits.js'
import type { PersonStatus } from '../../db/schema.js'
import type { InitiativeDecider } from '../schemas/deciders.js'
import type { ImportOptions, ImportReport } from '../services/import.js'
import type { SpreadsheetImportReport } from '../services/spreadsheets/spreadsheet-import.js'
import type { Actor } from '../store/change-log.js'
import { UsageError } from './errors.js'

/** Who the change log names for a write made on the local database from the command line. */
export const CLI_ACTOR: Actor = { keyId: null, label: 'command line' }

/** The global options, as given on the command line or by the environment. */
export interface Globals {
  /** The database file: --db, else WHODECIDES_DB, else the server's default. */
  db: string
  url: string | undefined
  key: string | undefined
  /** Whether --url was typed on the command line (not only set in WHODECIDES_URL). */
  urlTyped: boolean
  quiet: boolean
}

export function globalsOf (command: Command): Globals {
  const opts = command.optsWithGlobals<{ db?: string, url?: string, key?: string, quiet?: boolean }>()
  let root: Command = command
  while (root.parent !== null) root = root.parent
  const nonEmpty = (value: string | undefined): string | undefined => value === undefined || value === '' ? undefined : value
  return {
    // As the server reads WHODECIDES_DB: empty means unset.
    db: nonEmpty(opts.db) ?? defaultConfig.dbPath,
    url: nonEmpty(opts.url),
    key: nonEmpty(opts.key),
    urlTyped: root.getOptionValueSource('url') === 'cli',
    quiet: opts.quiet === true
  }
}

/** Findings read a page at a time: the most the API gives in one. */
export const FINDINGS_PAGE = 500

/** The findings a group lists: the most the API gives (perGroup); a group's count says how many it has. */
export const GROUP_MEMBERS = 500

export type FindingGroup = FindingGroups['groups'][number]
export type GroupBy = FindingGroups['groupBy']

export type ImportRequest = Pick<ImportOptions, 'mode' | 'dryRun'>

/** A spreadsheet to import: its format, what it holds, and (people) the file's own headers mapped to fields. */
export interface SheetRequest {
  format: 'csv' | 'xlsx'
  kind: 'raci' | 'people'
  map?: Record<string, string>
  dryRun: boolean
}

/** Where a RACI matrix export is taken: the registry at a time, of a domain's subtree. */
export interface RaciRequest { format: 'csv' | 'xlsx', at?: string, domainId?: string }

/** What the commands ask of a registry, local or remote. A lookup by id answers undefined for no such record. */
export interface Target {
  /** The database file or the service's address, for messages. */
  readonly where: string
  decider: (initiativeId: string, at: string | undefined) => Promise<InitiativeDecider>
  initiative: (id: string, at: string | undefined) => Promise<{ title: string, domainId: string | null } | undefined>
  domain: (id: string, at: string | undefined) => Promise<{ name: string } | undefined>
  person: (id: string, at: string | undefined) => Promise<{ name: string, status: PersonStatus } | undefined>
  runAudit: (input: AuditCreate) => Promise<AuditRun>
  /** A run's findings, every page; `read` is told how many each page held. */
  findings: (runId: string, read: (count: number) => void) => Promise<Finding[]>
  /**
   * A run's findings that hold and are not waived (as the report shows them), grouped by root cause, every group, as
   * GET /v1/audits/{id}/findings?groupBy=&holds=true&waived=false ranks them (worst severity, then size); each lists
   * its first GROUP_MEMBERS findings, and counts all.
   */
  findingGroups: (runId: string, by: GroupBy) => Promise<FindingGroup[]>
  exportBundle: () => Promise<unknown>
  /** Imports a bundle given as its JSON bytes; a bundle with invalid rows fails naming each. */
  importBundle: (json: Buffer, request: ImportRequest) => Promise<ImportReport>
  /**
   * Imports a spreadsheet as POST /v1/import does: every problem by row and column with nothing written, or the whole
   * file in one transaction. `step` is told as each stage ends (read, checked), for a progress bar.
   */
  importSheet: (bytes: Buffer, request: SheetRequest, step: () => void) => Promise<SpreadsheetImportReport>
  /** The RACI matrix as a file, as GET /v1/raci gives it. */
  raciFile: (request: RaciRequest) => Promise<Buffer>
  /** A stored audit run as the report for people, as GET /v1/audits/{id}/report gives it. */
  auditHtml: (runId: string) => Promise<string>
  close: () => Promise<void>
}

/** The remote target when a URL is set, else the local database; `mustExist`: a database file that is missing is an error, not a new one. */
export async function openTarget (globals: Globals, options: { mustExist: boolean }): Promise<Target> {
  if (globals.url !== undefined) {
    const { RemoteTarget } = await import('./remote-target.js')
    if (globals.key === undefined) throw new UsageError('--url needs an API key: give --key or set WHODECIDES_KEY')
    return new RemoteTarget(globals.url, globals.key)
  }
  const { LocalTarget } = await import('./local-target.js')
  return LocalTarget.open(globals.db, options)
}

/** Opens the target, runs `use` on it and closes it, whether `use` succeeds or fails. */
export async function withTarget<T> (globals: Globals, options: { mustExist: boolean }, use: (target: Target) => Promise<T>): Promise<T> {
  const target = await openTarget(globals, options)
  try {
    return await use(target)
  } finally {
    await target.close()
  }
}

/** The database file of a command that works on the local database only; a --url typed for it is a mistake. */
export function localDatabase (globals: Globals, command: string): string {
  if (globals.urlTyped) throw new UsageError(`${command} works on the local database only (--db or WHODECIDES_DB): drop --url`)
  return globals.db
}

/** Every item of a paged list, page by page from the first; `read` is told how many each page brought. */
export async function allPages<T> (page: (cursor: string | undefined) => Promise<{ items: T[], nextCursor: string | null }>, read: (count: number) => void): Promise<T[]> {
  const all: T[] = []
  let cursor: string | undefined
  do {
    const { items, nextCursor } = await page(cursor)
    all.push(...items)
    read(items.length)
    cursor = nextCursor ?? undefined
  } while (cursor !== undefined)
  return all
}
