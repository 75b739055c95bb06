// Use cases for audit runs: run every enabled rule and store the run (in the audit process, audit/audit-runner.ts),
// read runs and their findings.
import type { AuditRunner } from '../audit/audit-runner.js'
import type { AuditScope } from '../audit/engine.js'
import { runView } from '../audit/run-store.js'
import { now, toInstant } from '../clock.js'
import { doneRun, doneRuns, domainExists, findings, knownInitiatives, type FindingFilter, type StoredFinding } from '../store/audit-runs.js'
import type { Db } from '../store/connection.js'
import { invalidField, notFound, ProblemError } from '../errors.js'
import type { AuditCreate, AuditRun, AuditsQuery, Finding, FindingGroups, FindingsQuery } from '../schemas/audits.js'
import { listFindingGroups } from './finding-groups.js'
import type { Actor } from '../store/change-log.js'
import { ruleById } from '../audit/rules/index.js'
import { newId } from './ids.js'
import { cursorAfter, DEFAULT_PAGE_SIZE, toPage, type Page, type Written } from '../store/records.js'
import { ruleConfigs } from './rule-settings.js'

/** The scope with its initiative ids sorted and unique, and the key that runs of the same scope share. */
export function canonicalScope (scope: AuditCreate['scope']): { scope: AuditScope, key: string } {
  if (scope == null) return { scope: null, key: 'all' }
  if ('domainId' in scope) return { scope: { domainId: scope.domainId }, key: `domain:${scope.domainId}` }
  const ids = [...new Set(scope.initiativeIds)].sort()
  return { scope: { initiativeIds: ids }, key: `initiatives:${ids.join(',')}` }
}

/** Throws 422 naming every scope id that is not in the registry. */
function assertScope (db: Db, scope: AuditCreate['scope']): void {
  if (scope == null) return
  const missing: { path: string, message: string }[] = []
  if ('domainId' in scope) {
    if (!domainExists(db, scope.domainId)) {
      missing.push({ path: '/scope/domainId', message: `no domains record with id "${scope.domainId}"` })
    }
  } else {
    const known = knownInitiatives(db, scope.initiativeIds)
    scope.initiativeIds.forEach((id, i) => {
      if (!known.has(id)) missing.push({ path: `/scope/initiativeIds/${i}`, message: `no initiatives record with id "${id}"` })
    })
  }
  if (missing.length > 0) {
    throw new ProblemError('WHODECIDES_ERR_UNKNOWN_REFERENCE', missing.map((m) => `${m.path.slice(1)}: ${m.message}`).join('; '),
      { errors: missing.map((m) => ({ in: 'body', ...m })) })
  }
}

/**
 * Runs every enabled rule over the registry at `at` (default now) within the scope, and stores the run: both with
 * the database's audit runner — for a file, in the audit process beside the server, which the request thread only
 * waits for.
 */
export async function runAudit (db: Db, audits: AuditRunner, actor: Actor, input: AuditCreate): Promise<Written<AuditRun>> {
  assertScope(db, input.scope)
  const { scope, key } = canonicalScope(input.scope)
  const startedAt = now()
  const at = input.at === undefined ? startedAt : toInstant(input.at)
  const run = { id: newId(), scopeKey: key, scope, at, startedAt }
  return await audits.run({ job: { configs: ruleConfigs(db), scope, at }, run, actor })
}

/** Runs, newest first (in the order they were stored); a run still being stored is not one yet. */
export function listAudits (db: Db, q: AuditsQuery): Page<AuditRun> {
  const limit = q.limit ?? DEFAULT_PAGE_SIZE
  return toPage(doneRuns(db, cursorAfter(q.cursor), limit + 1).map(runView), limit)
}

export function getAudit (db: Db, id: string): AuditRun {
  const run = doneRun(db, id)
  if (run === undefined) throw notFound('audits', id)
  return runView(run)
}

/** A stored finding as the API shows it. */
export const findingView = (r: StoredFinding): Finding => ({
  fingerprint: r.fingerprint,
  ruleId: r.ruleId,
  severity: r.severity,
  state: r.state,
  subject: { kind: r.subjectKind, id: r.subjectId },
  related: JSON.parse(r.related) as Finding['related'],
  message: r.message,
  remediation: r.remediation ?? ruleById(r.ruleId)?.remediation ?? 'Review the records this finding names: its rule is no longer in the catalogue',
  data: r.data === null ? null : JSON.parse(r.data) as Finding['data'],
  waived: r.waiverId === null ? null : { waiverId: r.waiverId, reason: r.waiverReason ?? '' }
})

/** The answer of GET /audits/{id}/findings: the findings, or with groupBy, the findings in groups (services/finding-groups.ts). */
export function listRunFindings (db: Db, runId: string, q: FindingsQuery): Page<Finding> | FindingGroups {
  if (q.groupBy === undefined) return listFindings(db, runId, q)
  getAudit(db, runId)
  return listFindingGroups(db, runId, q.groupBy, filterOf(q), q)
}

const filterOf = (q: FindingsQuery): FindingFilter =>
  ({ severity: q.severity ?? null, ruleId: q.ruleId ?? null, state: q.state ?? null, waived: q.waived ?? null, holds: q.holds ?? null })

/** A run's findings in the order they were stored (those that hold, then the resolved ones), filtered and paged. */
export function listFindings (db: Db, runId: string, q: FindingsQuery): Page<Finding> {
  getAudit(db, runId)
  if (q.perGroup !== undefined) throw invalidField('/perGroup', 'only with groupBy', 'query')
  const filter = filterOf(q)
  const limit = q.limit ?? DEFAULT_PAGE_SIZE
  const after = cursorAfter(q.cursor)
  if (after !== undefined && !/^\d{1,15}$/.test(after)) throw invalidField('/cursor', 'not a cursor this service returned', 'query')
  const rows = findings(db, runId, filter, Number(after ?? 0), limit + 1)
  const page = toPage(rows.map((r) => ({ id: String(r.id), finding: findingView(r) })), limit)
  return { items: page.items.map((i) => i.finding), nextCursor: page.nextCursor }
}
