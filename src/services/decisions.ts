// Use cases for decision records: record one (which decides a live initiative), list and get them. History: never deleted.
import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm'
import { decisions, initiatives, LIVE_INITIATIVE_STATUSES } from '../../db/schema.js'
import { now, toInstant } from '../clock.js'
import type { Db } from '../store/connection.js'
import { invalidField, notFound } from '../errors.js'
import type { Decision, DecisionCreate, DecisionsQuery } from '../schemas/decisions.js'
import { ID_PATTERN } from '../schemas/common.js'
import { transact, type Actor } from '../store/change-log.js'
import { findVersionAt, versionAt, versionField, versionsAt } from '../store/history.js'
import { newId } from './ids.js'
import { findInitiative, initiativeView } from './initiatives.js'
import { assertNewId, assertReference, DEFAULT_PAGE_SIZE, insertRecord, replaceRecord, type Page, type Written } from '../store/records.js'

type Row = typeof decisions.$inferSelect
type InitiativeRow = typeof initiatives.$inferSelect

export const decisionView = (r: Row): Decision => ({
  id: r.id, initiativeId: r.initiativeId, decidedBy: r.decidedBy, decidedAt: r.decidedAt, outcome: r.outcome, rationale: r.rationale,
  version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt
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

/** An initiative's decisions, newest decidedAt first (ties: id descending), optionally only one person's; with `at`, as they stood then. */
export function listDecisions (db: Db, initiativeId: string, q: DecisionsQuery): Page<Decision> {
  if (q.at === undefined) findInitiative(db, initiativeId)
  else findVersionAt(db, 'initiatives', initiativeId, q.at)
  const limit = q.limit ?? DEFAULT_PAGE_SIZE
  const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor)
  const rows = q.at === undefined
    ? currentDecisions(db, initiativeId, q.decidedBy, after, limit + 1)
    : decisionsAt(db, initiativeId, q.at, q.decidedBy, after, limit + 1)
  const items = rows.slice(0, limit)
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!) : null }
}

function currentDecisions (db: Db, initiativeId: string, decidedBy: string | undefined, after: { at: string, id: string } | undefined, limit: number): Decision[] {
  const filters: SQL[] = [eq(decisions.initiativeId, initiativeId)]
  if (decidedBy !== undefined) filters.push(eq(decisions.decidedBy, decidedBy))
  if (after !== undefined) filters.push(or(lt(decisions.decidedAt, after.at), and(eq(decisions.decidedAt, after.at), lt(decisions.id, after.id)))!)
  return db.select().from(decisions).where(and(...filters)).orderBy(desc(decisions.decidedAt), desc(decisions.id)).limit(limit).all().map(decisionView)
}

const DECIDED_AT = versionField('decidedAt')

/** The decisions on record at `at`, in the same order and with the same cursors as the current ones. */
function decisionsAt (db: Db, initiativeId: string, at: string, decidedBy: string | undefined, after: { at: string, id: string } | undefined, limit: number): Decision[] {
  return versionsAt<Decision>(db, 'decisions', at, { equal: { initiativeId, decidedBy } }, limit, undefined, {
    by: `${DECIDED_AT} DESC, c.entity_id DESC`,
    after: after === undefined
      ? undefined
      : { sql: `(${DECIDED_AT} < @afterAt OR (${DECIDED_AT} = @afterAt AND c.entity_id < @afterId))`, params: { afterAt: after.at, afterId: after.id } }
  })
}

/** One decision, found only under its own initiative; with `at`, as it stood then. */
export function getDecision (db: Db, initiativeId: string, decisionId: string, at?: string): Decision {
  if (at !== undefined) {
    findVersionAt(db, 'initiatives', initiativeId, at)
    const version = versionAt<Decision>(db, 'decisions', decisionId, at)
    if (version === undefined || version.initiativeId !== initiativeId) throw notFound('decisions', decisionId)
    return version
  }
  findInitiative(db, initiativeId)
  const row = db.select().from(decisions).where(and(eq(decisions.id, decisionId), eq(decisions.initiativeId, initiativeId))).get()
  if (row === undefined) throw notFound('decisions', decisionId)
  return decisionView(row)
}

/** Moves a live initiative to decided: its own change, version + 1. */
function markDecided (db: Db, actor: Actor, at: string, current: InitiativeRow): number {
  const row: InitiativeRow = { ...current, status: 'decided', version: current.version + 1, updatedAt: at }
  return replaceRecord(db, actor, at, 'initiatives', initiatives, current, row, initiativeView).revision
}

/**
 * Records a call on an initiative; a live one (proposed, active, on_hold) becomes decided in the same transaction.
 * The revision returned is the last change written: the initiative's when it moved, else the decision's.
 */
export function recordDecision (db: Db, actor: Actor, initiativeId: string, input: DecisionCreate): Written<Decision> {
  return transact(db, () => {
    const initiative = findInitiative(db, initiativeId)
    const at = now()
    const id = input.id ?? newId()
    if (input.id !== undefined) assertNewId(db, 'decisions', id)
    assertReference(db, '/decidedBy', 'people', input.decidedBy)
    const row: Row = {
      id, initiativeId, decidedBy: input.decidedBy, decidedAt: toInstant(input.decidedAt), outcome: input.outcome,
      rationale: input.rationale ?? null, version: 1, createdAt: at, updatedAt: at
    }
    const written = insertRecord(db, actor, at, 'decisions', decisions, row, decisionView)
    return LIVE_INITIATIVE_STATUSES.has(initiative.status) ? { ...written, revision: markDecided(db, actor, at, initiative) } : written
  })
}
