// `whodecides export --format json|people-csv|raci-csv|raci-xlsx [--out FILE]`: the registry as a bundle that import
// takes back (GET /v1/export), its people as the CSV an HR system reads, or the RACI matrix (GET /v1/raci).
import { Option, type Command } from 'commander'
import type { PersonStatus } from '../../../db/schema.js'
import { UsageError } from '../errors.js'
import { parseTime } from '../options.js'
import { Output } from '../output.js'
import { globalsOf, withTarget, type Target } from '../target.js'

interface ExportOptions { format: string, out?: string, at?: string, domain?: string }

type PersonRow = Record<string, unknown> & { id: string }

/**
 * The bundle's people as import reads them back: a manager by email (by id if the manager has none), tags
 * `;`-separated. Made from the bundle, so that a file and a service give the same bytes.
 */
export async function peopleCsvOf (bundle: unknown): Promise<Buffer> {
  const { writePeopleCsv } = await import('../../formats/people-csv.js')
  const people = ((bundle as { people?: PersonRow[] }).people ?? [])
  const emailOf = new Map(people.map((p) => [p.id, p.email as string]))
  return writePeopleCsv(people.map((p) => ({
    id: p.id,
    name: p.name as string,
    email: p.email as string,
    title: (p.title ?? null) as string | null,
    status: p.status as PersonStatus,
    manager: p.managerId == null ? null : emailOf.get(p.managerId as string) ?? (p.managerId as string),
    tags: (p.tags ?? []) as string[],
    stakePercent: (p.stakePercent ?? null) as number | null,
    externalId: (p.externalId ?? null) as string | null
  })))
}

/** Every export format by name: the bytes, from the target. */
const exportFormats: Record<string, { binary?: boolean, matrix?: boolean, write: (target: Target, options: ExportOptions) => Promise<string | Buffer> }> = {
  json: { write: async (target) => JSON.stringify(await target.exportBundle(), null, 2) + '\n' },
  'people-csv': { write: async (target) => await peopleCsvOf(await target.exportBundle()) },
  'raci-csv': { matrix: true, write: async (target, o) => await target.raciFile({ format: 'csv', at: o.at, domainId: o.domain }) },
  'raci-xlsx': { matrix: true, binary: true, write: async (target, o) => await target.raciFile({ format: 'xlsx', at: o.at, domainId: o.domain }) }
}

export function registerExport (program: Command): void {
  program.command('export')
    .description('export the registry: a bundle that import takes back, the people as CSV, or the RACI matrix as CSV or XLSX')
    .addOption(new Option('--format <format>', 'the form of the export').choices(Object.keys(exportFormats)).default('json'))
    .option('--out <file>', 'write the export to this file instead of printing it')
    .option('--at <time>', 'raci-csv, raci-xlsx: the matrix as it stood at this time (ISO-8601 or a date); default now', parseTime)
    .option('--domain <id>', 'raci-csv, raci-xlsx: only the initiatives of this domain and the domains below it')
    .addHelpText('after', '\nThe XLSX matrix marks problem cells (two A\'s, no A, a role held by someone retired or away) with a fill and a\ncomment naming the rule, and lists the findings on a second sheet.')
    .action(async (options: ExportOptions, command: Command) => {
      const globals = globalsOf(command)
      const format = exportFormats[options.format]
      if (format === undefined) throw new UsageError(`--format: one of ${Object.keys(exportFormats).join(', ')}`)
      if (format.matrix !== true && (options.at !== undefined || options.domain !== undefined)) {
        throw new UsageError(`--at and --domain apply to the RACI matrix (raci-csv, raci-xlsx), not to ${options.format}`)
      }
      if (format.binary === true && options.out === undefined && process.stdout.isTTY) {
        throw new UsageError(`${options.format} is a workbook, not text: name a file with --out, or redirect the output`)
      }
      const bytes = await withTarget(globals, { mustExist: true }, async (target) => await format.write(target, options))
      new Output(globals).deliver(bytes, options.out, 'export')
    })
}
