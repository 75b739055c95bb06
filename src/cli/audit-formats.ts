// The forms an audit can be printed in, by name (`audit --format NAME`): a table for people at a terminal, the run and
// its findings as JSON, the report page (src/report/html.ts) and a SARIF 2.1.0 log (src/report/sarif.ts).
import { auditSarif, type Locator } from '../report/sarif.js'
import type { Ref } from '../report/names.js'
import type { AuditRun, Finding } from '../schemas/audits.js'
import type { Output, TableRow } from './output.js'
import type { FindingGroup, GroupBy } from './target.js'
import { count } from '../report/html-text.js'

/** An audit run as the command line holds it: the API's shapes, with names looked up for the records it mentions. */
export interface AuditReport {
  run: AuditRun
  findings: Finding[]
  /** The findings grouped by root cause as the API groups them (`--group-by`), or absent for a flat list. */
  grouped?: { by: GroupBy, groups: FindingGroup[] }
  /** A record's name (a person's, an initiative's title, a domain's), or its id when the registry no longer has it. */
  label: (ref: Ref) => string
  /** The database file, the service or the audited file. */
  where: string
  /** The report page of the run, from where it is stored. */
  html: () => Promise<string>
  /** For an audit of a file (--from): the row and column of each finding in it. */
  locate?: Locator
}

export type AuditFormatter = (report: AuditReport, out: Output) => string | Buffer | Promise<string | Buffer>

/** "waived (reason)" for a waived finding, else its state: new, persisting or resolved. */
export const stateOf = (f: Finding): string => f.waived === null ? f.state : `waived (${f.waived.reason})`

const HEAD = ['rule', 'severity', 'initiative', 'summary', 'what to do', 'state']

/** One finding's row: rule, severity, what it is about, what it says, what to do, and its state; muted when it needs nothing. */
function findingRow (report: AuditReport, out: Output, f: Finding): string[] {
  const { colors } = out
  const paint: Record<string, (s: string) => string> = { error: colors.red, warning: colors.yellow, info: colors.dim }
  const subject = f.subject.kind === 'initiative' ? report.label(f.subject) : `${f.subject.kind} ${report.label(f.subject)}`
  const muted = f.waived !== null || f.state === 'resolved'
  const severity = muted ? colors.dim(f.severity) : (paint[f.severity] ?? String)(f.severity)
  return [f.ruleId, severity, subject, f.message, f.remediation, muted ? colors.dim(stateOf(f)) : stateOf(f)]
}

/** A heading row, across the table. */
const headingRow = (out: Output, text: string): TableRow => [{ content: out.colors.bold(text), colSpan: HEAD.length }]

/** A group's heading row: "Frank Founder (person): 5 findings, worst warning". */
function groupRow (out: Output, g: FindingGroup): TableRow {
  const more = g.findings.length < g.count ? `; the first ${g.findings.length} listed (--format json or the API lists the rest)` : ''
  return headingRow(out, `${g.label} (${g.key.kind}): ${count(g.count, 'finding')}, worst ${g.severity}${more}`)
}

/**
 * Grouped: the groups of the findings that hold and are not waived, then — as the report page lists them — those
 * accepted by a waiver and those resolved since the last run, each under its heading.
 */
function groupedRows (report: AuditReport, out: Output, groups: FindingGroup[]): TableRow[] {
  const rows = groups.flatMap((g) => [groupRow(out, g), ...g.findings.map((f) => findingRow(report, out, f))])
  const section = (title: string, findings: Finding[]): TableRow[] =>
    findings.length === 0 ? [] : [headingRow(out, `${title}: ${count(findings.length, 'finding')}`), ...findings.map((f) => findingRow(report, out, f))]
  return [
    ...rows,
    ...section('Accepted by a waiver', report.findings.filter((f) => f.waived !== null && f.state !== 'resolved')),
    ...section('Resolved since the last run', report.findings.filter((f) => f.state === 'resolved'))
  ]
}

function table (report: AuditReport, out: Output): string {
  const { run, grouped } = report
  const rows: TableRow[] = grouped === undefined
    ? report.findings.map((f) => findingRow(report, out, f))
    : groupedRows(report, out, grouped.groups)
  const groups = grouped === undefined ? '' : `; ${count(grouped.groups.length, 'group')} by ${grouped.by}`
  const summary = `audit ${run.id} of ${report.where} at ${run.at}: ${count(run.counts.error, 'error')}, ${count(run.counts.warning, 'warning')}, ` +
    `${run.counts.info} info hold; ${run.waived} waived; ${run.new} new, ${run.resolved} resolved since the last run${groups}`
  return (rows.length === 0 ? 'no findings\n' : out.table(HEAD, rows) + '\n') + summary + '\n'
}

/** The run and its findings as the API gives them; grouped, also the API's groups (`groupBy`, `groups`). */
const json = (report: AuditReport): string => JSON.stringify({
  run: report.run,
  findings: report.findings,
  ...(report.grouped === undefined ? {} : { groupBy: report.grouped.by, groups: report.grouped.groups })
}, null, 2) + '\n'

const html = async (report: AuditReport): Promise<string> => await report.html()

/** The findings that hold as a SARIF log; for an audit of a file, each result at its row and column there. */
function sarif (report: AuditReport): string {
  const log = auditSarif(report.findings, {
    label: report.label,
    runId: report.run.id,
    at: report.run.at,
    ...(report.locate === undefined ? {} : { locate: report.locate })
  })
  return JSON.stringify(log, null, 2) + '\n'
}

/** The formats that show findings grouped (`--group-by`); the report page always groups by subject, SARIF lists results. */
export const GROUPED_FORMATS: readonly string[] = ['table', 'json']

/** Every format by name; the first is the default. */
export const auditFormats: Record<string, AuditFormatter> = { table, json, html, sarif }

/** The record kinds each format names: the table names initiatives, the SARIF log people and domains too. */
export const NAMED_KINDS: Record<string, readonly string[]> = { table: ['initiative'], sarif: ['initiative', 'person', 'domain'] }
