// `whodecides audit`: runs an audit (stored as a run, as POST /v1/audits does), prints its findings (grouped by root
// cause as the API's ?groupBy= groups them, --group-by), and exits 1
// when findings at or above --fail-on remain, waived ones aside: a scheduled job or a pipeline can gate on it.
// `audit --from FILE` audits a bundle or a RACI spreadsheet alone, in an in-memory registry (src/cli/audit-from.ts).
import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { Option, type Command } from 'commander'
import { SEVERITIES, type Severity } from '../../../db/schema.js'
import type { Ref } from '../../report/names.js'
import type { Locator } from '../../report/sarif.js'
import type { Finding } from '../../schemas/audits.js'
import type { AuditReport } from '../audit-formats.js'
import { CliError, ExitCode, UsageError } from '../errors.js'
import { Output } from '../output.js'
import { parseTime } from '../options.js'
import { globalsOf, openTarget, type Target } from '../target.js'

/** The forms of `audit --format`, the default first (src/cli/audit-formats.ts, loaded when one is printed). */
const AUDIT_FORMATS = ['table', 'json', 'html', 'sarif'] as const

/** Lookups at once, against a service as much as a file. */
const LOOKUPS_AT_ONCE = 8

/** The names of the records of `kinds` the findings mention, looked up once each; a record no longer there keeps its id. */
async function labels (target: Target, findings: Finding[], kinds: readonly string[], at: string): Promise<(ref: Ref) => string> {
  const found = new Map<string, string>()
  const key = (ref: Ref): string => `${ref.kind}\u0000${ref.id}`
  const queue = new Map<string, Ref>()
  for (const f of findings) for (const ref of [f.subject, ...f.related]) if (kinds.includes(ref.kind)) queue.set(key(ref), ref)
  const refs = [...queue.values()]
  const lookUp = async (ref: Ref): Promise<string | undefined> => ref.kind === 'initiative'
    ? (await target.initiative(ref.id, at))?.title
    : ref.kind === 'person' ? (await target.person(ref.id, at))?.name : (await target.domain(ref.id, at))?.name
  const worker = async (): Promise<void> => {
    for (let ref = refs.pop(); ref !== undefined; ref = refs.pop()) {
      const name = await lookUp(ref)
      if (name !== undefined) found.set(key(ref), name)
    }
  }
  await Promise.all(Array.from({ length: LOOKUPS_AT_ONCE }, worker))
  return (ref) => found.get(key(ref)) ?? ref.id
}

/** Findings that hold, are not waived, and are at least as severe as `level`. */
export function failing (findings: Finding[], level: Severity): Finding[] {
  const rank = (s: Severity): number => SEVERITIES.length - SEVERITIES.indexOf(s)
  return findings.filter((f) => f.state !== 'resolved' && f.waived === null && rank(f.severity) >= rank(level))
}

/** `--group-by`: the API's groupings (src/services/finding-groups.ts), or none for one finding a row. */
const GROUPINGS = ['subject', 'rule', 'person', 'none'] as const

interface AuditOptions { domain?: string, at?: string, format: string, groupBy: typeof GROUPINGS[number], out?: string, failOn?: Severity, from?: string }

/** Findings of at least this many show a progress bar while they are read, on a terminal. */
const LONG_AUDIT = 10_000

/** The target to audit: the registry (local or remote), or the file of --from held in memory. */
async function auditTarget (options: AuditOptions, command: Command): Promise<{ target: Target, locate?: Locator }> {
  const globals = globalsOf(command)
  if (options.from === undefined) return { target: await openTarget(globals, { mustExist: true }) }
  if (globals.urlTyped) throw new UsageError('--from audits the file alone, with no service: drop --url')
  const file = options.from
  const extension = extname(file).toLowerCase()
  const format = ({ '.json': 'json', '.csv': 'csv', '.xlsx': 'xlsx' } as const)[extension]
  if (format === undefined) throw new UsageError(`--from ${file}: a bundle (.json) or a RACI matrix (.csv or .xlsx), not "${extension}"`)
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  const [{ openFileRegistry }, { refusal }] = await Promise.all([import('../audit-from.js'), import('./import.js')])
  try {
    return await openFileRegistry(file, bytes, format)
  } catch (err) {
    throw refusal(file, err, new Output(globals), 'audited')
  }
}

export function registerAudit (program: Command): void {
  program.command('audit')
    .description('run an audit of the registry, a domain, or a file (--from) and print its findings; --fail-on makes it a gate')
    .option('--domain <id>', 'audit this domain, its sub-domains and their initiatives only')
    .option('--at <time>', 'the time the registry is judged at (ISO-8601 or a date); default now', parseTime)
    .addOption(new Option('--format <format>', 'how to print the findings').choices(AUDIT_FORMATS).default('table'))
    .addOption(new Option('--group-by <grouping>', 'show findings grouped by root cause, worst group first (table and json): by the record ' +
      'each is about (subject), by rule, by each person named, or none for one finding a row').choices(GROUPINGS).default('subject'))
    .option('--out <file>', 'write the findings to this file instead of printing them')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when findings of this severity or worse remain (waived ones do not count)').choices(['error', 'warning']))
    .option('--from <file>', 'audit this bundle (.json) or RACI matrix (.csv, .xlsx) alone, with no database or service; ' +
      'in a matrix the column headers are the people, all active')
    .action(async (options: AuditOptions, command: Command) => {
      const globals = globalsOf(command)
      const out = new Output(globals)
      // Loaded here: the report's modules are for this command only.
      const { auditFormats, GROUPED_FORMATS, NAMED_KINDS } = await import('../audit-formats.js')
      const format = auditFormats[options.format]
      if (format === undefined) throw new UsageError(`--format: one of ${AUDIT_FORMATS.join(', ')}`)
      const grouped = GROUPED_FORMATS.includes(options.format)
      if (!grouped && command.getOptionValueSource('groupBy') === 'cli') {
        throw new UsageError(`--group-by: for --format ${GROUPED_FORMATS.join(' or ')}; the ${options.format} output is not grouped`)
      }
      const groupBy = grouped && options.groupBy !== 'none' ? options.groupBy : undefined
      const { target, locate } = await auditTarget(options, command)
      let report: AuditReport
      let printed: string | Buffer
      try {
        const run = await target.runAudit({ scope: options.domain === undefined ? null : { domainId: options.domain }, at: options.at })
        const total = run.new + run.persisting + run.resolved
        const progress = out.progress('reading findings', total >= LONG_AUDIT ? total : 0)
        const findings = await target.findings(run.id, (count) => { progress.increment(count) }).finally(() => { progress.stop() })
        const label = await labels(target, findings, NAMED_KINDS[options.format] ?? [], run.at)
        report = { run, findings, label, where: options.from ?? target.where, html: async () => await target.auditHtml(run.id), ...(locate === undefined ? {} : { locate }) }
        if (groupBy !== undefined) report.grouped = { by: groupBy, groups: await target.findingGroups(run.id, groupBy) }
        printed = await format(report, out)
      } finally {
        await target.close()
      }
      out.deliver(printed, options.out, `audit ${report.run.id}`)
      if (options.failOn === undefined) return
      const remaining = failing(report.findings, options.failOn).length
      if (remaining > 0) {
        out.note(`${remaining} finding(s) at or above ${options.failOn} remain`)
        throw new ExitCode(1)
      }
    })
}
