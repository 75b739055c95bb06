// The forms an audit can be printed in, by name (`audit --format NAME`): a table for people at a terminal, the run and
// its findings as JSON, the report page (src/report/html.ts) and a SARIF 2.1.0 log (src/report/sarif.ts).
import { auditSarif, type Locator } from '../report/sarif.js'
import type { Ref } from '../report/names.js'
import type { AuditRun, Finding } from '../schemas/audits.js'
import type { Output } from './output.js'
import { count } from '../report/html-text.js'

/** An audit run as the command line holds it: the API's shapes, with names looked up for the records it mentions. */
export interface AuditReport {
  run: AuditRun
  findings: Finding[]
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

function table (report: AuditReport, out: Output): string {
  const { colors } = out
  const paint: Record<string, (s: string) => string> = { error: colors.red, warning: colors.yellow, info: colors.dim }
  const subject = (f: Finding): string => f.subject.kind === 'initiative' ? report.label(f.subject) : `${f.subject.kind} ${report.label(f.subject)}`
  const rows = report.findings.map((f) => {
    const muted = f.waived !== null || f.state === 'resolved'
    const severity = muted ? colors.dim(f.severity) : (paint[f.severity] ?? String)(f.severity)
    return [f.ruleId, severity, subject(f), f.message, muted ? colors.dim(stateOf(f)) : stateOf(f)]
  })
  const { run } = report
  const summary = `audit ${run.id} of ${report.where} at ${run.at}: ${count(run.counts.error, 'error')}, ${count(run.counts.warning, 'warning')}, ` +
    `${run.counts.info} info hold; ${run.waived} waived; ${run.new} new, ${run.resolved} resolved since the last run`
  return (rows.length === 0 ? 'no findings\n' : out.table(['rule', 'severity', 'initiative', 'summary', 'state'], rows) + '\n') + summary + '\n'
}

const json = (report: AuditReport): string => JSON.stringify({ run: report.run, findings: report.findings }, null, 2) + '\n'

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

/** Every format by name; the first is the default. */
export const auditFormats: Record<string, AuditFormatter> = { table, json, html, sarif }

/** The record kinds each format names: the table names initiatives, the SARIF log people and domains too. */
export const NAMED_KINDS: Record<string, readonly string[]> = { table: ['initiative'], sarif: ['initiative', 'person', 'domain'] }
