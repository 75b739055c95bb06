// Use case behind GET /v1/audits/{id}/findings?groupBy=: a run's findings grouped by root cause, worst and largest first.
import { ruleById } from '../audit/rules/index.js'
import { invalidField } from '../errors.js'
import type { FindingGroups, FindingsQuery } from '../schemas/audits.js'
import { findingGroups, groupMembers, groupTotals, recordLabels, type FindingFilter, type GroupBy } from '../store/audit-runs.js'
import type { Db } from '../store/connection.js'
import { cursorAfter, DEFAULT_PAGE_SIZE, toPage } from '../store/records.js'
import { findingView } from './audits.js'

const SEVERITIES = ['error', 'warning', 'info'] as const
export const DEFAULT_PER_GROUP = 20

/** "multiple-final-deciders" → "Multiple final deciders". */
const ruleTitle = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1).replaceAll('-', ' ')

/**
 * The page of groups of the (done) run's filtered findings. The cursor counts the groups already given: a run's
 * findings never change once it is done, so the ranking, and each page of it, stays the same.
 */
export function listFindingGroups (db: Db, runId: string, by: GroupBy, filter: FindingFilter, q: FindingsQuery): FindingGroups {
  const limit = q.limit ?? DEFAULT_PAGE_SIZE
  const after = cursorAfter(q.cursor)
  if (after !== undefined && !/^g\d{1,15}$/.test(after)) throw invalidField('/cursor', 'not a cursor of this grouping', 'query')
  const offset = after === undefined ? 0 : Number(after.slice(1))
  const rows = findingGroups(db, runId, by, filter, offset, limit + 1)
  const page = toPage(rows.map((row, i) => ({ id: `g${offset + i + 1}`, row })), limit)
  const keys = page.items.map(({ row }) => ({ kind: row.kind, id: row.id }))
  const members = groupMembers(db, runId, by, filter, keys, q.perGroup ?? DEFAULT_PER_GROUP)
  const labels = recordLabels(db, keys)
  const totals = groupTotals(db, runId, by, filter)
  return {
    groupBy: by,
    groups: page.items.map(({ row }) => ({
      key: { kind: row.kind, id: row.id },
      label: row.kind === 'rule' ? (ruleById(row.id) === undefined ? row.id : ruleTitle(row.id)) : labels.get(`${row.kind}:${row.id}`) ?? row.id,
      severity: SEVERITIES[row.rank]!,
      count: row.count,
      findings: members.filter((m) => m.groupKind === row.kind && m.groupId === row.id).map(findingView)
    })),
    totalGroups: totals.groups,
    totalFindings: totals.findings,
    nextCursor: page.nextCursor
  }
}
