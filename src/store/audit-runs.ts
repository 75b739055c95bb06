// Audit runs and their findings as stored, and the waivers as an audit reads them: the statements the run store
// (audit/run-store.ts) writes with and the audits' reads (services/audits.ts) list with.
import { open } from 'node:fs/promises'
import { auditRuns, type Severity } from '../../db/schema.js'
import { transact } from './change-log.js'
import { databaseFile, statement, type Db } from './connection.js'

export type RunRow = typeof auditRuns.$inferSelect
export type FindingState = 'new' | 'persisting' | 'resolved'

/**
 * Runs `fn` in a transaction that commits without waiting for the disk (synchronous NORMAL, or OFF if so
 * configured); syncLog then makes what such transactions wrote durable with one sync of the write-ahead log.
 */
export function transactUnsynced<T> (db: Db, fn: () => T): T {
  const synchronous = db.$client.pragma('synchronous', { simple: true }) as number
  statement(db, `PRAGMA synchronous = ${Math.min(synchronous, 1)}`).run()
  try {
    return transact(db, fn)
  } finally {
    statement(db, `PRAGMA synchronous = ${synchronous}`).run()
  }
}

/** Syncs the write-ahead log on the thread pool: through another descriptor of the file, its pages are the same. */
export async function syncLog (db: Db): Promise<void> {
  const file = databaseFile(db)
  if (file === undefined) return
  const log = await open(`${file}-wal`, 'r+')
  try {
    await log.datasync()
  } finally {
    await log.close()
  }
}

/** The runs not marked done: being stored, or left by a store that never finished. */
export const unfinishedRuns = (db: Db): string[] => statement(db, "SELECT id FROM audit_runs WHERE status <> 'done'").pluck().all() as string[]

/** Removes up to `count` of the run's findings; how many it removed. */
export const removeFindings = (db: Db, runId: string, count: number): number =>
  statement(db, 'DELETE FROM findings WHERE id IN (SELECT id FROM findings WHERE run_id = ? LIMIT ?)').run(runId, count).changes

export const removeRun = (db: Db, runId: string): void => { statement(db, 'DELETE FROM audit_runs WHERE id = ?').run(runId) }

/** The last run of the scope marked done, in the order stored. */
export const lastDoneRun = (db: Db, scopeKey: string): string | undefined =>
  statement(db, "SELECT id FROM audit_runs WHERE scope_key = ? AND status = 'done' ORDER BY rowid DESC LIMIT 1").pluck().get(scopeKey) as string | undefined

/** The first and last ids of the run's findings (null: it has none). */
export const findingIds = (db: Db, runId: string): { first: number | null, last: number | null } =>
  statement(db, 'SELECT min(id) AS first, max(id) AS last FROM findings WHERE run_id = ?').get(runId) as { first: number | null, last: number | null }

export interface HeldRow { id: number, fingerprint: string, state: FindingState }

// NOT INDEXED: a walk along the ids from the last one read, stopping at the run's last, instead of all the run's rows sorted again per page.
const HELD_PAGE = 'SELECT id, fingerprint, state FROM findings NOT INDEXED WHERE id > ? AND id <= ? AND run_id = ? ORDER BY id LIMIT ?'

/** Up to `count` of the run's findings with ids in (after, last], in id order. */
export const findingPage = (db: Db, runId: string, after: number, last: number, count: number): HeldRow[] =>
  statement(db, HELD_PAGE).all(after, last, runId, count) as HeldRow[]

export const insertRun = (db: Db, run: RunRow): void => { db.insert(auditRuns).values(run).run() }

/*
 * One slice of rows (audit/finding-row.ts) inserted by one statement, SQLite reading the slice's JSON itself: @states
 * has a letter per row for its state (n: new, p: persisting); @waived is null when no row of the slice is waived,
 * else per row null or [waiver id, reason]. AUTOINCREMENT ids, given in the order the rows come: consecutive.
 */
const INSERT_SLICE = `INSERT INTO findings (run_id, fingerprint, rule_id, severity, state, subject_kind, subject_id, related,
  message, data, remediation, waiver_id, waiver_reason)
  SELECT @runId, r.value ->> 0, r.value ->> 1, r.value ->> 2, CASE substr(@states, r.key + 1, 1) WHEN 'n' THEN 'new' ELSE 'persisting' END,
    r.value ->> 3, r.value ->> 4, r.value ->> 5, r.value ->> 6, r.value ->> 7, r.value ->> 8,
    json_extract(@waived, '$[' || r.key || '][0]'), json_extract(@waived, '$[' || r.key || '][1]')
  FROM json_each(@rows) r ORDER BY r.key`

export interface FindingSlice { runId: string, rows: string, states: string, waived: string | null }

/** Inserts the slice's findings; their ids are consecutive, the last one `lastId`. */
export function insertFindings (db: Db, slice: FindingSlice): { count: number, lastId: number } {
  const { changes, lastInsertRowid } = statement(db, INSERT_SLICE).run(slice)
  return { count: changes, lastId: Number(lastInsertRowid) }
}

const COPY_RESOLVED = `INSERT INTO findings (run_id, fingerprint, rule_id, severity, state, subject_kind, subject_id, related, message, data, remediation)
    SELECT ?, fingerprint, rule_id, severity, 'resolved', subject_kind, subject_id, related, message, data, remediation FROM findings WHERE id = ?`

/** Copies a finding of an earlier run into the run, as it was, marked resolved (not waived). */
export const copyResolved = (db: Db, runId: string, findingId: number): void => { statement(db, COPY_RESOLVED).run(runId, findingId) }

const MARK_DONE = `UPDATE audit_runs SET status = 'done', finished_at = ?, counts = ?, new_count = ?, persisting_count = ?,
      resolved_count = ?, waived_count = ? WHERE id = ? AND status = 'running'`

/** Marks the running run done with its totals; false when it is not running (removed meanwhile). */
export const markDone = (db: Db, done: RunRow): boolean =>
  statement(db, MARK_DONE).run(done.finishedAt, JSON.stringify(done.counts), done.newCount, done.persistingCount, done.resolvedCount,
    done.waivedCount, done.id).changes === 1

/** The waivers live at `at`, in expiry order, then id. */
export const liveWaiverRows = (db: Db, at: string): { id: string, fingerprint: string, reason: string, expiresAt: string }[] =>
  statement(db, 'SELECT id, fingerprint, reason, expires_at AS expiresAt FROM waivers WHERE expires_at > ? ORDER BY expires_at, id')
    .all(at) as { id: string, fingerprint: string, reason: string, expiresAt: string }[]

const RUN_COLUMNS = `id, scope_key AS scopeKey, scope, at, started_at AS startedAt, finished_at AS finishedAt, status, counts,
  new_count AS newCount, persisting_count AS persistingCount, resolved_count AS resolvedCount, waived_count AS waivedCount, error`

const parseRun = (r: Record<string, unknown>): RunRow =>
  ({ ...r, scope: r.scope === null ? null : JSON.parse(r.scope as string), counts: JSON.parse(r.counts as string) }) as RunRow

/** Up to `limit` done runs, newest first (in the order they were stored), after the run `after` if given. */
export function doneRuns (db: Db, after: string | undefined, limit: number): RunRow[] {
  const rows = (after === undefined
    ? statement(db, `SELECT ${RUN_COLUMNS} FROM audit_runs WHERE status = 'done' ORDER BY rowid DESC LIMIT ?`).all(limit)
    : statement(db, `SELECT ${RUN_COLUMNS} FROM audit_runs WHERE status = 'done' AND rowid < (SELECT rowid FROM audit_runs WHERE id = ?) ORDER BY rowid DESC LIMIT ?`)
      .all(after, limit)) as Record<string, unknown>[]
  return rows.map(parseRun)
}

/** The run, if it is done; a run still being stored is not one yet. */
export function doneRun (db: Db, id: string): RunRow | undefined {
  const row = statement(db, `SELECT ${RUN_COLUMNS} FROM audit_runs WHERE id = ? AND status = 'done'`).get(id) as Record<string, unknown> | undefined
  return row === undefined ? undefined : parseRun(row)
}

/** A finding as stored, the columns named as the API names them (related and data: JSON text). */
export interface StoredFinding {
  id: number
  fingerprint: string
  ruleId: string
  severity: Severity
  state: FindingState
  subjectKind: string
  subjectId: string
  related: string
  message: string
  /** Null on findings stored before remediations were kept. */
  remediation: string | null
  data: string | null
  waiverId: string | null
  waiverReason: string | null
}

/**
 * What a list of findings keeps: null keeps all. `holds` true keeps only the findings that hold in the run (new or
 * persisting, not resolved): the report's groups of what needs attention; absent or null keeps every state.
 */
export interface FindingFilter { severity: string | null, ruleId: string | null, state: string | null, waived: boolean | null, holds?: boolean | null }

const FINDINGS = `SELECT id, fingerprint, rule_id AS ruleId, severity, state, subject_kind AS subjectKind, subject_id AS subjectId,
  related, message, remediation, data, waiver_id AS waiverId, waiver_reason AS waiverReason FROM findings WHERE run_id = ?
    AND (? IS NULL OR severity = ?) AND (? IS NULL OR rule_id = ?) AND (? IS NULL OR state = ?)
    AND (? IS NULL OR (waiver_id IS NOT NULL) = ?) AND (? IS NULL OR (state <> 'resolved') = ?) AND id > ? ORDER BY id LIMIT ?`

/** A filter's flag as SQLite compares it: null (keep all), 1 or 0. */
const flag = (value: boolean | null | undefined): 1 | 0 | null => value === null || value === undefined ? null : value ? 1 : 0

/** Up to `limit` of the run's findings passing the filter with ids after `after`, in the order stored. */
export function findings (db: Db, runId: string, filter: FindingFilter, after: number, limit: number): StoredFinding[] {
  const waived = flag(filter.waived)
  const holds = flag(filter.holds)
  return statement(db, FINDINGS).all(runId, filter.severity, filter.severity, filter.ruleId, filter.ruleId, filter.state, filter.state,
    waived, waived, holds, holds, after, limit) as StoredFinding[]
}

/** Whether the domain is in the registry (an audit's scope names it). */
export const domainExists = (db: Db, id: string): boolean => statement(db, 'SELECT 1 FROM domains WHERE id = ?').get(id) !== undefined

/** Those of the initiatives that are in the registry. */
export const knownInitiatives = (db: Db, ids: readonly string[]): Set<string> =>
  new Set((statement(db, 'SELECT id FROM initiatives WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: string }[]).map((r) => r.id))

/** How a run's findings are grouped: by the record they are about, by rule, or by each person they name. */
export type GroupBy = 'subject' | 'rule' | 'person'

/** A group as counted: its key (kind 'rule' and the rule id, or a record's kind and id), worst severity rank and size. */
export interface GroupRow { kind: string, id: string, rank: number, count: number }

const FILTERED = `SELECT id, severity, rule_id, subject_kind, subject_id, related FROM findings WHERE run_id = @runId
    AND (@severity IS NULL OR severity = @severity) AND (@ruleId IS NULL OR rule_id = @ruleId) AND (@state IS NULL OR state = @state)
    AND (@waived IS NULL OR (waiver_id IS NOT NULL) = @waived) AND (@holds IS NULL OR (state <> 'resolved') = @holds)`

/** Each filtered finding with the key of every group it belongs to: a finding names a person once however often it does. */
const KEYED: Record<GroupBy, string> = {
  subject: 'SELECT id, severity, subject_kind AS kind, subject_id AS key FROM f',
  rule: "SELECT id, severity, 'rule' AS kind, rule_id AS key FROM f",
  person: `SELECT id, severity, 'person' AS kind, subject_id AS key FROM f WHERE subject_kind = 'person'
    UNION SELECT f.id, f.severity, 'person', j.value ->> 'id' FROM f, json_each(f.related) j WHERE j.value ->> 'kind' = 'person'`
}

const groupsSql = (by: GroupBy): string => `WITH f AS (${FILTERED}), k AS (${KEYED[by]})
  SELECT kind, key AS id, min(CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END) AS rank, count(*) AS count
  FROM k GROUP BY kind, key ORDER BY rank, count DESC, kind, key LIMIT @limit OFFSET @offset`

const groupTotalsSql = (by: GroupBy): string => `WITH f AS (${FILTERED}), k AS (${KEYED[by]})
  SELECT (SELECT count(*) FROM (SELECT 1 FROM k GROUP BY kind, key)) AS groups, (SELECT count(*) FROM f) AS findings`

const membersSql = (by: GroupBy): string => `WITH f AS (${FILTERED}), k AS (${KEYED[by]}),
  page AS (SELECT value ->> 0 AS kind, value ->> 1 AS key FROM json_each(@keys)),
  m AS (SELECT k.kind, k.key, k.id, row_number() OVER (PARTITION BY k.kind, k.key ORDER BY k.id) AS n FROM k JOIN page USING (kind, key))
  SELECT m.kind AS groupKind, m.key AS groupId, x.id, x.fingerprint, x.rule_id AS ruleId, x.severity, x.state, x.subject_kind AS subjectKind,
    x.subject_id AS subjectId, x.related, x.message, x.remediation, x.data, x.waiver_id AS waiverId, x.waiver_reason AS waiverReason
  FROM m JOIN findings x ON x.id = m.id WHERE m.n <= @perGroup ORDER BY m.kind, m.key, x.id`

const filterParams = (runId: string, filter: FindingFilter): Record<string, unknown> => ({
  runId, severity: filter.severity, ruleId: filter.ruleId, state: filter.state, waived: flag(filter.waived), holds: flag(filter.holds)
})

/**
 * Groups of the run's filtered findings, worst severity first (error, warning, info), then the largest, then by key:
 * `limit` of them after the first `offset`. A finding can fall in several person groups; rank is the worst severity's.
 */
export const findingGroups = (db: Db, runId: string, by: GroupBy, filter: FindingFilter, offset: number, limit: number): GroupRow[] =>
  statement(db, groupsSql(by)).all({ ...filterParams(runId, filter), offset, limit }) as GroupRow[]

/** How many groups, and how many findings, the filter keeps. */
export const groupTotals = (db: Db, runId: string, by: GroupBy, filter: FindingFilter): { groups: number, findings: number } =>
  statement(db, groupTotalsSql(by)).get(filterParams(runId, filter)) as { groups: number, findings: number }

/** The first `perGroup` findings (in the order stored) of each of the groups, with the group they belong to. */
export const groupMembers = (db: Db, runId: string, by: GroupBy, filter: FindingFilter, keys: readonly { kind: string, id: string }[], perGroup: number):
  (StoredFinding & { groupKind: string, groupId: string })[] =>
  statement(db, membersSql(by)).all({ ...filterParams(runId, filter), keys: JSON.stringify(keys.map((k) => [k.kind, k.id])), perGroup }) as
    (StoredFinding & { groupKind: string, groupId: string })[]

const LABELS: Record<string, string> = {
  person: 'SELECT id, name AS label FROM people WHERE id IN (SELECT value FROM json_each(?))',
  initiative: 'SELECT id, title AS label FROM initiatives WHERE id IN (SELECT value FROM json_each(?))',
  domain: 'SELECT id, name AS label FROM domains WHERE id IN (SELECT value FROM json_each(?))'
}

/** The names of people, titles of initiatives and names of domains among the ids, by "kind:id"; others are not named here. */
export function recordLabels (db: Db, refs: readonly { kind: string, id: string }[]): Map<string, string> {
  const labels = new Map<string, string>()
  for (const [kind, sql] of Object.entries(LABELS)) {
    const ids = refs.filter((r) => r.kind === kind).map((r) => r.id)
    if (ids.length === 0) continue
    for (const row of statement(db, sql).all(JSON.stringify(ids)) as { id: string, label: string }[]) labels.set(`${kind}:${row.id}`, row.label)
  }
  return labels
}
