// Use cases for audit runs: run every enabled rule and store the run (in the audit process, audit/audit-runner.ts),
// read runs and their findings.
import type { AuditRunner } from '../audit/audit-runner.js'
import type { AuditScope } from '../audit/engine.js'
import { runView, type RunRow } from '../audit/run-store.js'
import { now, toInstant } from '../clock.js'
import { statement, type Db } from '../store/connection.js'
import { invalidField, notFound, ProblemError } from '../errors.js'
import type { AuditCreate, AuditRun, AuditsQuery, Finding, FindingsQuery } from '../schemas/audits.js'
import type { Actor } from '../store/change-log.js'
import { newId } from './ids.js'
import { cursorAfter, DEFAULT_PAGE_SIZE, toPage, type Page, type Written } from '../store/records.js'
import { ruleConfigs } from './rule-settings.js'

type State = Finding['state']

/** A finding as stored, the columns named as the API names them. */
interface StoredFinding {
  id: number
  fingerprint: string
  ruleId: string
  severity: Finding['severity']
  state: State
  subjectKind: string
  subjectId: string
  related: string
  message: string
  data: string | null
  waiverId: string | null
  waiverReason: string | null
}

const FINDING_COLUMNS = `id, fingerprint, rule_id AS ruleId, severity, state, subject_kind AS subjectKind, subject_id AS subjectId,
  related, message, data, waiver_id AS waiverId, waiver_reason AS waiverReason`

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
    if (statement(db, 'SELECT 1 FROM domains WHERE id = ?').get(scope.domainId) === undefined) {
      missing.push({ path: '/scope/domainId', message: `no domains record with id "${scope.domainId}"` })
    }
  } else {
    const known = new Set((statement(db, 'SELECT id FROM initiatives WHERE id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(scope.initiativeIds)) as { id: string }[]).map((r) => r.id))
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

const RUN_COLUMNS = `id, scope_key AS scopeKey, scope, at, started_at AS startedAt, finished_at AS finishedAt, status, counts,
  new_count AS newCount, persisting_count AS persistingCount, resolved_count AS resolvedCount, waived_count AS waivedCount, error`

const parseRun = (r: Record<string, unknown>): RunRow =>
  ({ ...r, scope: r.scope === null ? null : JSON.parse(r.scope as string), counts: JSON.parse(r.counts as string) }) as RunRow

/** Runs, newest first (in the order they were stored); a run still being stored is not one yet. */
export function listAudits (db: Db, q: AuditsQuery): Page<AuditRun> {
  const limit = q.limit ?? DEFAULT_PAGE_SIZE
  const after = cursorAfter(q.cursor)
  const rows = (after === undefined
    ? statement(db, `SELECT ${RUN_COLUMNS} FROM audit_runs WHERE status = 'done' ORDER BY rowid DESC LIMIT ?`).all(limit + 1)
    : statement(db, `SELECT ${RUN_COLUMNS} FROM audit_runs WHERE status = 'done' AND rowid < (SELECT rowid FROM audit_runs WHERE id = ?) ORDER BY rowid DESC LIMIT ?`)
      .all(after, limit + 1)) as Record<string, unknown>[]
  return toPage(rows.map((r) => runView(parseRun(r))), limit)
}

export function getAudit (db: Db, id: string): AuditRun {
  const row = statement(db, `SELECT ${RUN_COLUMNS} FROM audit_runs WHERE id = ? AND status = 'done'`).get(id) as Record<string, unknown> | undefined
  if (row === undefined) throw notFound('audits', id)
  return runView(parseRun(row))
}

const findingView = (r: StoredFinding): Finding => ({
  fingerprint: r.fingerprint,
  ruleId: r.ruleId,
  severity: r.severity,
  state: r.state,
  subject: { kind: r.subjectKind, id: r.subjectId },
  related: JSON.parse(r.related) as Finding['related'],
  message: r.message,
  data: r.data === null ? null : JSON.parse(r.data) as Finding['data'],
  waived: r.waiverId === null ? null : { waiverId: r.waiverId, reason: r.waiverReason ?? '' }
})

/** A run's findings in the order they were stored (those that hold, then the resolved ones), filtered and paged. */
export function listFindings (db: Db, runId: string, q: FindingsQuery): Page<Finding> {
  getAudit(db, runId)
  const limit = q.limit ?? DEFAULT_PAGE_SIZE
  const after = cursorAfter(q.cursor)
  if (after !== undefined && !/^\d{1,15}$/.test(after)) throw invalidField('/cursor', 'not a cursor this service returned', 'query')
  const waived = q.waived === undefined ? null : q.waived ? 1 : 0
  const rows = statement(db, `SELECT ${FINDING_COLUMNS} FROM findings WHERE run_id = ?
    AND (? IS NULL OR severity = ?) AND (? IS NULL OR rule_id = ?) AND (? IS NULL OR state = ?)
    AND (? IS NULL OR (waiver_id IS NOT NULL) = ?) AND id > ? ORDER BY id LIMIT ?`).all(runId,
    q.severity ?? null, q.severity ?? null, q.ruleId ?? null, q.ruleId ?? null, q.state ?? null, q.state ?? null,
    waived, waived, Number(after ?? 0), limit + 1) as StoredFinding[]
  const page = toPage(rows.map((r) => ({ id: String(r.id), finding: findingView(r) })), limit)
  return { items: page.items.map((i) => i.finding), nextCursor: page.nextCursor }
}
