// Decision records in SQL: the row as the API shows it, an initiative's decisions newest first (now and at a past
// instant, with their cursors), and one decision under its initiative.
import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm'
import { decisions } from '../../db/schema.js'
import { invalidField } from '../errors.js'
import type { Decision, DecisionsQuery } from '../schemas/decisions.js'
import { ID_PATTERN } from '../schemas/common.js'
import type { Db } from './connection.js'
import { versionField, versionsAt } from './history.js'
import { DEFAULT_PAGE_SIZE, type Page } from './records.js'

export type DecisionRow = typeof decisions.$inferSelect

export const decisionView = (r: DecisionRow): Decision => ({
  id: r.id, initiativeId: r.initiativeId, decidedBy: r.decidedBy, decidedAt: r.decidedAt, outcome: r.outcome, rationale: r.rationale,
  kind: r.kind, supersedes: r.supersedes, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt
})

// Pages run newest call first, so the cursor is the (decidedAt, id) of the last item; decidedAt is stored canonical.
const CURSOR = new RegExp(`^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z)/(${ID_PATTERN.slice(1, -1)})$`)
const encodeCursor = (d: Decision): string => Buffer.from(`at:${d.decidedAt}/${d.id}`).toString('base64url')

function decodeCursor (cursor: string): { at: string, id: string } {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8')
  const match = decoded.startsWith('at:') ? CURSOR.exec(decoded.slice(3)) : null
  if (match === null) throw invalidField('/cursor', 'not a cursor this service returned', 'query')
  return { at: match[1]!, id: match[2]! }
}

type After = { at: string, id: string } | undefined

/** An initiative's decisions, newest decidedAt first (ties: id descending), optionally only one person's; with `at`, as they stood then. */
export function pageDecisions (db: Db, initiativeId: string, q: DecisionsQuery): Page<Decision> {
  const limit = q.limit ?? DEFAULT_PAGE_SIZE
  const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor)
  const rows = q.at === undefined
    ? currentDecisions(db, initiativeId, q, after, limit + 1)
    : decisionsAt(db, initiativeId, q.at, q, after, limit + 1)
  const items = rows.slice(0, limit)
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!) : null }
}

type Filter = Pick<DecisionsQuery, 'decidedBy' | 'kind'>

function currentDecisions (db: Db, initiativeId: string, { decidedBy, kind }: Filter, after: After, limit: number): Decision[] {
  const filters: SQL[] = [eq(decisions.initiativeId, initiativeId)]
  if (decidedBy !== undefined) filters.push(eq(decisions.decidedBy, decidedBy))
  if (kind !== undefined) filters.push(eq(decisions.kind, kind))
  if (after !== undefined) filters.push(or(lt(decisions.decidedAt, after.at), and(eq(decisions.decidedAt, after.at), lt(decisions.id, after.id)))!)
  return db.select().from(decisions).where(and(...filters)).orderBy(desc(decisions.decidedAt), desc(decisions.id)).limit(limit).all().map(decisionView)
}

const DECIDED_AT = versionField('decidedAt')

/** A version recorded before decisions had a kind was a plain decision, superseding none. */
export const decisionVersion = (version: Decision): Decision => ({ ...version, kind: version.kind ?? 'decision', supersedes: version.supersedes ?? null })

/** The decisions on record at `at`, in the same order and with the same cursors as the current ones. */
function decisionsAt (db: Db, initiativeId: string, at: string, { decidedBy, kind }: Filter, after: After, limit: number): Decision[] {
  const ofKind = kind === undefined ? undefined : { sql: `coalesce(${versionField('kind')}, 'decision') = @kind`, params: { kind } }
  return versionsAt<Decision>(db, 'decisions', at, { equal: { initiativeId, decidedBy }, where: [ofKind], asOf: (_db, version) => decisionVersion(version) }, limit, undefined, {
    by: `${DECIDED_AT} DESC, c.entity_id DESC`,
    after: after === undefined
      ? undefined
      : { sql: `(${DECIDED_AT} < @afterAt OR (${DECIDED_AT} = @afterAt AND c.entity_id < @afterId))`, params: { afterAt: after.at, afterId: after.id } }
  })
}

/** The decision with this id under this initiative, or undefined. */
export function findDecision (db: Db, initiativeId: string, decisionId: string): Decision | undefined {
  const row = db.select().from(decisions).where(and(eq(decisions.id, decisionId), eq(decisions.initiativeId, initiativeId))).get()
  return row === undefined ? undefined : decisionView(row)
}

/** The decision with this id, whatever its initiative, or undefined. */
export function findDecisionAnywhere (db: Db, decisionId: string): Decision | undefined {
  const row = db.select().from(decisions).where(eq(decisions.id, decisionId)).get()
  return row === undefined ? undefined : decisionView(row)
}
