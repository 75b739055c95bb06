// Use cases behind the readable audit report and the SARIF log of a stored run: the run, all its findings, and the
// registry as it stood at the run's time, handed to src/report/.
import type { Log } from 'sarif'
import { loadRegistry } from '../audit/job.js'
import { createReadModel, type ReadModel } from '../registry/read-model.js'
import { createSnapshot } from '../registry/snapshot.js'
import { renderAuditHtml } from '../report/html.js'
import { RecordNames, type ReportGroup } from '../report/names.js'
import { auditSarif } from '../report/sarif.js'
import type { AuditRun, Finding } from '../schemas/audits.js'
import type { Db } from '../store/connection.js'
import { shapeAt } from '../store/history.js'
import { getAudit, listFindings } from './audits.js'
import { listFindingGroups } from './finding-groups.js'

const FINDINGS_PAGE = 500
const NO_FILTER = { severity: null, ruleId: null, state: null, waived: null }

/**
 * The report's groups: the run's findings that hold and are not waived, by subject (the report says why), as the API's
 * ?groupBy= ranks them, every group with every finding it has.
 */
function reportGroups (db: Db, run: AuditRun): ReportGroup[] {
  const groups: ReportGroup[] = []
  const perGroup = Math.max(1, run.new + run.persisting)
  let cursor: string | undefined
  do {
    const page = listFindingGroups(db, run.id, 'subject', { ...NO_FILTER, holds: true, waived: false },
      { limit: FINDINGS_PAGE, perGroup, ...(cursor === undefined ? {} : { cursor }) })
    groups.push(...page.groups)
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  return groups
}

/** The run (404 when there is none), every finding it stored, and the registry at its time. */
function auditContents (db: Db, runId: string): { run: AuditRun, findings: Finding[], model: ReadModel } {
  const run = getAudit(db, runId)
  const findings: Finding[] = []
  let cursor: string | undefined
  do {
    const page = listFindings(db, runId, { limit: FINDINGS_PAGE, ...(cursor === undefined ? {} : { cursor }) })
    findings.push(...page.items)
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  const loaded = loadRegistry(db)
  const model = createReadModel(createSnapshot(shapeAt(db, loaded.data, run.at)), run.at)
  return { run, findings, model }
}

/**
 * The run's report as one self-contained HTML page. `source` names what was audited when it was not the registry
 * (an audit of a file: its name), for the page's title.
 */
export async function getAuditReport (db: Db, runId: string, options: { source?: string } = {}): Promise<string> {
  const contents = auditContents(db, runId)
  return await renderAuditHtml({ ...contents, groups: reportGroups(db, contents.run), ...(options.source === undefined ? {} : { source: options.source }) })
}

/** The run's findings that hold, as a SARIF 2.1.0 log naming records by name. */
export function getAuditSarif (db: Db, runId: string, toolVersion?: string): Log {
  const { run, findings, model } = auditContents(db, runId)
  const names = new RecordNames(model)
  return auditSarif(findings, { label: (ref) => names.label(ref), runId: run.id, at: run.at, ...(toolVersion === undefined ? {} : { toolVersion }) })
}
