// What every spreadsheet import shares: its problems at their cells, its report, the 422 that refuses a file, and
// the one way a plan is written — as a bundle through the import (importBundle), in one transaction.
import { createHash } from 'node:crypto'
import { ProblemError, type FieldError } from '../../errors.js'
import { cellName, type SheetProblemKind } from '../../formats/sheet-problems.js'
import type { Role } from '../../schemas/common.js'
import type { Actor } from '../../store/change-log.js'
import type { Db } from '../../store/connection.js'
import type { BundleCollection, BundleRow } from '../../store/bundle.js'
import { importBundle, type ImportOptions, type ImportReport } from '../import.js'

/** A problem the registry finds in a file that reads well: a person, initiative, domain or manager it cannot name. */
export type RegistryProblemKind =
  | 'unknown-person' | 'ambiguous-person' | 'duplicate-person'
  | 'unknown-initiative' | 'ambiguous-initiative'
  | 'unknown-domain' | 'ambiguous-domain'
  | 'unknown-manager' | 'rejected-row'

/** One thing to fix in the file, at its row and column (1-based, as a spreadsheet shows them) when it has one. */
export interface ImportProblem {
  kind: SheetProblemKind | RegistryProblemKind
  row?: number
  column?: number
  cell?: string
  line?: number
  message: string
}

/** A problem at one cell, its message prefixed with the cell's name. */
export function problemAtCell (kind: ImportProblem['kind'], row: number, column: number, message: string): ImportProblem {
  const cell = cellName(row, column)
  return { kind, row, column, cell, message: `${cell}: ${message}` }
}

/** The problems in row and column order, those about the whole file first. */
export const inCellOrder = (problems: ImportProblem[]): ImportProblem[] =>
  problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || (a.column ?? 0) - (b.column ?? 0))

/** What an import of a spreadsheet did (or, on a dry run, would do); `problems` is empty once it is applied. */
export interface SpreadsheetImportReport {
  kind: 'raci' | 'people'
  dryRun: boolean
  /** The revision of the last change written; null when nothing was written. */
  revision: number | null
  created: number
  changed: number
  ended: number
  unchanged: number
  problems: ImportProblem[]
}

export interface SpreadsheetImportOptions {
  dryRun?: boolean
  /** The caller's role: the import makes only the changes the role may make one record at a time (default admin). */
  role?: Role
}

/** Writes a bundle with the import's options: importBundle on a connection, or the server's import runner. */
export type ApplyBundle = (bundle: Partial<Record<BundleCollection, BundleRow[]>>, options: ImportOptions) => Promise<ImportReport> | ImportReport

/** importBundle on this connection, as the given actor. */
export const applyOn = (db: Db, actor: Actor): ApplyBundle => (bundle, options) => importBundle(db, actor, bundle, options)

/** A plan made from a file: the bundle that carries it out, where each of its rows came from, and what it does. */
export interface SpreadsheetPlan {
  kind: SpreadsheetImportReport['kind']
  bundle: Partial<Record<BundleCollection, BundleRow[]>>
  /** The cell each bundle row came from, by collection and index: a row the import refuses is named there. */
  sources: Partial<Record<BundleCollection, Array<{ row: number, column: number }>>>
  counts: { created: number, changed: number, ended: number, unchanged: number }
  problems: ImportProblem[]
}

const LISTED_PROBLEMS = 1000

/** The 422 refusing a file: every problem in `errors[]` (each named by its cell) and in the report; nothing written. */
export function invalidSpreadsheet (plan: Pick<SpreadsheetPlan, 'kind' | 'problems'>, dryRun: boolean): ProblemError {
  const problems = plan.problems.slice(0, LISTED_PROBLEMS)
  const errors: FieldError[] = problems.map((p) => ({ in: 'body', path: p.cell === undefined ? '' : `/${p.cell}`, message: p.message }))
  const report: SpreadsheetImportReport = { kind: plan.kind, dryRun, revision: null, created: 0, changed: 0, ended: 0, unchanged: 0, problems }
  const first = plan.problems[0]?.message ?? ''
  return new ProblemError('WHODECIDES_ERR_INVALID_SPREADSHEET',
    `${plan.problems.length} problem(s) in the file; nothing was imported. ${first}${plan.problems.length > 1 ? ' …' : ''}`, { errors, report })
}

/**
 * Carries out a plan: refused whole (a 422 naming every cell) when it has problems, or when the import refuses one of
 * its rows (named at the cell it came from); else written by `apply` in one transaction, or only checked on a dry run.
 */
export async function applyPlan (plan: SpreadsheetPlan, options: SpreadsheetImportOptions, apply: ApplyBundle): Promise<SpreadsheetImportReport> {
  const dryRun = options.dryRun ?? false
  if (plan.problems.length > 0) throw invalidSpreadsheet({ kind: plan.kind, problems: inCellOrder(plan.problems) }, dryRun)
  // Nothing to change (the same file again): no import to run, nothing written.
  if (Object.values(plan.bundle).every((rows) => rows.length === 0)) return { kind: plan.kind, dryRun, revision: null, ...plan.counts, problems: [] }
  let written: ImportReport
  try {
    written = await apply(plan.bundle, { mode: 'upsert', dryRun, role: options.role ?? 'admin' })
  } catch (error) {
    const refused = refusedRows(plan, error)
    if (refused === undefined) throw error
    throw invalidSpreadsheet({ kind: plan.kind, problems: refused }, dryRun)
  }
  return { kind: plan.kind, dryRun, revision: written.revision, ...plan.counts, problems: [] }
}

/** The rows of the bundle the import refused (an overlap, say), as problems at their cells; undefined for other errors. */
function refusedRows (plan: SpreadsheetPlan, error: unknown): ImportProblem[] | undefined {
  if (!(error instanceof ProblemError) || error.code !== 'WHODECIDES_ERR_INVALID_BUNDLE') return undefined
  const { invalid } = error.extras.report as ImportReport
  return invalid.map(({ collection, index, field, reason }) => {
    const source = plan.sources[collection]?.[index]
    const message = `${collection.replace(/s$/, '')} ${field.slice(1)}: ${reason}`
    return source === undefined ? { kind: 'rejected-row' as const, message } : problemAtCell('rejected-row', source.row, source.column, message)
  })
}

/**
 * A spreadsheet as the body of POST /v1/import: its bytes and format, held until the import reads them. `sha256` (the
 * bytes' digest, made only for a request with an Idempotency-Key) is its one enumerable field: the request's
 * fingerprint is taken over it, not over 50 MB of bytes.
 */
export class SpreadsheetBody {
  readonly sha256: string | undefined
  readonly #bytes: Buffer
  readonly #format: 'csv' | 'xlsx'

  constructor (bytes: Buffer, format: 'csv' | 'xlsx', digest: boolean) {
    this.#bytes = bytes
    this.#format = format
    this.sha256 = digest ? createHash('sha256').update(bytes).digest('hex') : undefined
  }

  get bytes (): Buffer { return this.#bytes }
  get format (): 'csv' | 'xlsx' { return this.#format }
}
