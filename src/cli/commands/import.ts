// `whodecides import FILE`: a bundle (.json), a people CSV or a RACI matrix (.csv, .xlsx) applied to the registry in one
// transaction, as POST /v1/import does, saying what it created, changed, ended and left as it was; --dry-run reports
// and writes nothing. A refused file is one line naming it, then its problems by row and column; nothing is written.
import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { InvalidArgumentError, Option, type Command } from 'commander'
import { ProblemError } from '../../errors.js'
import { PERSON_FIELDS } from '../../formats/people-columns.js'
import type { ImportReport } from '../../services/import.js'
import type { ImportProblem, SpreadsheetImportReport } from '../../services/spreadsheets/spreadsheet-import.js'
import { CliError, UsageError } from '../errors.js'
import { Output } from '../output.js'
import { ProblemAnswer } from '../remote-target.js'
import { globalsOf, withTarget, type ImportRequest } from '../target.js'

export const IMPORT_KINDS = ['bundle', 'people', 'raci'] as const
export type ImportKind = typeof IMPORT_KINDS[number]

/** A file as the import reads it: its kind, and its format for a spreadsheet. */
export interface FileKind { kind: ImportKind, format: 'json' | 'csv' | 'xlsx' }

/**
 * The kind given with --kind, else the extension's: .json a bundle, .xlsx a RACI matrix, .csv people when its header
 * names an email column (as an HR export does), else a RACI matrix (whose people are its column headers).
 */
export function kindOf (file: string, given: ImportKind | undefined, looksLikePeople: () => boolean): FileKind {
  const extension = extname(file).toLowerCase()
  const format = extension === '.xlsx' ? 'xlsx' : extension === '.csv' ? 'csv' : extension === '.json' ? 'json' : undefined
  if (given === 'bundle') return { kind: 'bundle', format: 'json' }
  if (given !== undefined) {
    if (given === 'people' && format === 'xlsx') throw new UsageError(`${file}: a workbook is read as a RACI matrix: give people as a CSV file`)
    return { kind: given, format: format === 'xlsx' ? 'xlsx' : 'csv' }
  }
  if (format === undefined) {
    throw new UsageError(`${file}: cannot tell its kind from the extension "${extension}": name it with --kind (${IMPORT_KINDS.join(', ')})`)
  }
  if (format === 'json') return { kind: 'bundle', format }
  if (format === 'xlsx') return { kind: 'raci', format }
  return { kind: looksLikePeople() ? 'people' : 'raci', format }
}

/** --map column=field, repeatable: the file's header → a person field (or "ignore"). */
export function parseMapping (value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.lastIndexOf('=')
  const column = value.slice(0, at).trim()
  const field = value.slice(at + 1).trim()
  const fields: readonly string[] = [...PERSON_FIELDS, 'ignore']
  if (at <= 0 || column === '' || !fields.includes(field)) {
    throw new InvalidArgumentError(`write column=field, the field one of ${fields.join(', ')} (e.g. --map "Work email=email")`)
  }
  return { ...previous, [column]: field }
}

/** Whether the error is the JSON parser's (the one the API answers 400 for): the file is not JSON at all. */
const notJson = (err: unknown): err is Error =>
  err instanceof Error && (err.name === 'SyntaxError' || String((err as NodeJS.ErrnoException).code).startsWith('FST_ERR_CTP_'))

/** The report a refusal carries: the bundle's invalid rows, or the spreadsheet's problems. */
function refusedReport (err: ProblemError | ProblemAnswer): Partial<ImportReport & SpreadsheetImportReport> | undefined {
  return (err instanceof ProblemError ? err.extras.report : err.problem?.report) as Partial<ImportReport & SpreadsheetImportReport> | undefined
}

/** Where a problem is, as a person finds it in the file: "C4", "line 12", or the whole file. */
const placeOf = (p: ImportProblem): string => p.cell ?? (p.line === undefined ? 'file' : `line ${p.line}`)

/** The problem's text without the cell its message starts with (the table has a column for it). */
const problemText = (p: ImportProblem): string => p.cell !== undefined && p.message.startsWith(`${p.cell}: `) ? p.message.slice(p.cell.length + 2) : p.message

/**
 * A refused file as one line naming it: a problem with the whole file (unreadable, too large) said on that line; else
 * its rows (bundle) or cells (spreadsheet) follow, as a table. `done` is what did not happen: imported, audited.
 */
export function refusal (file: string, err: unknown, out: Output, done = 'imported'): unknown {
  if (notJson(err)) return new CliError(`${file}: not a JSON bundle: ${err.message}`)
  if (!(err instanceof ProblemError || err instanceof ProblemAnswer)) return err
  const report = refusedReport(err)
  const problems = report?.problems ?? []
  const [only] = problems
  if (problems.length === 1 && only !== undefined && only.row === undefined) {
    return new CliError(`${file}${only.line === undefined ? '' : `, line ${only.line}`}: ${problemText(only)}; nothing was ${done}`)
  }
  if (problems.length > 0) {
    const table = out.table(['row', 'column', 'cell', 'problem'], problems.map((p) =>
      [p.row === undefined ? '' : String(p.row), p.column === undefined ? '' : String(p.column), placeOf(p), problemText(p)]))
    return new CliError(`${file}: ${problems.length} problem(s); nothing was ${done}`, table.split('\n'))
  }
  const rows = report?.invalid ?? []
  const details = rows.map((r) => `${r.collection}[${r.index}] ${r.field}: ${r.reason}`)
  const more = (report?.invalidCount ?? rows.length) - rows.length
  if (more > 0) details.push(`and ${more} more`)
  return new CliError(`${file}: ${err.message}`, details)
}

function printBundleReport (out: Output, file: string, report: ImportReport): void {
  out.line(report.dryRun
    ? `dry run of ${file} (${report.mode}): nothing written`
    : report.revision === null ? `${file} imported (${report.mode}): nothing changed` : `${file} imported (${report.mode}) at revision ${report.revision}`)
  out.line(out.table(['collection', 'created', 'changed', 'removed', 'unchanged'],
    Object.entries(report.collections).map(([name, c]) => [name, String(c.created), String(c.updated), String(c.removed), String(c.unchanged)])))
}

function printSheetReport (out: Output, file: string, report: SpreadsheetImportReport): void {
  const what = report.kind === 'raci' ? 'RACI matrix' : 'people'
  out.line(report.dryRun
    ? `dry run of ${file} (${what}): nothing written`
    : report.revision === null ? `${file} imported (${what}): nothing changed` : `${file} imported (${what}) at revision ${report.revision}`)
  const rows = report.kind === 'raci'
    ? [['roles created', report.created], ['initiatives changed', report.changed], ['roles ended', report.ended], ['roles unchanged', report.unchanged]]
    : [['people created', report.created], ['people changed', report.changed], ['people unchanged', report.unchanged]]
  out.line(out.table(['', 'count'], rows.map(([label, n]) => [String(label), String(n)])))
}

/** The file's bytes; a file that cannot be read is one line naming it. */
export function readFile (file: string): Buffer {
  try {
    return readFileSync(file)
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
}

interface ImportCommandOptions { kind?: ImportKind, dryRun: boolean, mode: ImportRequest['mode'], map?: Record<string, string> }

/** Files of at least this many lines show a progress bar on a terminal. */
const LONG_FILE_LINES = 10_000

/** Whether the text holds at least `count` line breaks; stops counting there. */
function atLeastLines (bytes: Buffer, count: number): boolean {
  let seen = 0
  for (let at = bytes.indexOf(10); at !== -1 && seen < count; at = bytes.indexOf(10, at + 1)) seen++
  return seen >= count
}

export function registerImport (program: Command): void {
  program.command('import')
    .description('import a bundle, a people CSV or a RACI matrix (CSV or XLSX) in one transaction, or check it with --dry-run')
    .argument('<file>', 'a bundle (.json, as export writes it), people (.csv with an email column) or a RACI matrix (.csv or .xlsx)')
    .addOption(new Option('--kind <kind>', 'what the file holds, when its extension does not say').choices(IMPORT_KINDS))
    .option('--dry-run', 'check the file and report what would change; write nothing', false)
    .addOption(new Option('--mode <mode>', 'a bundle: upsert adds and changes records; replace also removes those the file lacks').choices(['upsert', 'replace']).default('upsert'))
    .option('--map <column=field>', 'people: read the file\'s column as this field (repeatable), e.g. --map "Work email=email"; field "ignore" skips it', parseMapping)
    .addHelpText('after', '\nPeople fields: ' + PERSON_FIELDS.join(', ') + '\nA RACI matrix: the initiative (id or title) first, optional Domain and Decision rule columns,\nthen one column per person (email, id or name); cells R, A, C, I or combinations such as A/R.')
    .action(async (file: string, options: ImportCommandOptions, command: Command) => {
      const globals = globalsOf(command)
      const out = new Output(globals)
      const { looksLikePeople } = await import('../../services/spreadsheets/import-file.js')
      // The kind first, from the extension (a usage error), then the file; --map names a people file's columns.
      let read: Buffer | undefined
      const contents = (): Buffer => (read ??= readFile(file))
      const { kind, format } = kindOf(file, options.kind, () => options.map !== undefined || looksLikePeople(contents()))
      const bytes = contents()
      if (options.map !== undefined && kind !== 'people') throw new UsageError(`--map applies to a people file; ${file} is read as a ${kind === 'raci' ? 'RACI matrix' : 'bundle'}`)
      if (options.mode === 'replace' && kind !== 'bundle') throw new UsageError('--mode replace applies to bundles: a spreadsheet is imported as upserts, and ends only the roles it clears')
      // The file's size in lines, or a workbook's in bytes (about 20 bytes a cell): what makes it long work.
      const long = format === 'xlsx' ? bytes.length > LONG_FILE_LINES * 200 : atLeastLines(bytes, LONG_FILE_LINES)
      // In stages, as the work is done in this process in long steps: the file read, its rows read, the plan checked
      // against the registry, the transaction written.
      const progress = long ? out.progress(`importing ${file}`, 4) : out.progress('', 0)
      progress.increment()
      try {
        await withTarget(globals, { mustExist: options.dryRun }, async (target) => {
          if (kind === 'bundle') {
            const report = await target.importBundle(bytes, { mode: options.mode, dryRun: options.dryRun })
            progress.stop()
            printBundleReport(out, file, report)
          } else {
            const report = await target.importSheet(bytes, { format: format === 'xlsx' ? 'xlsx' : 'csv', kind, map: options.map, dryRun: options.dryRun }, () => { progress.increment() })
            progress.stop()
            printSheetReport(out, file, report)
          }
        })
      } catch (err) {
        progress.stop()
        throw refusal(file, err, out)
      }
    })
}
