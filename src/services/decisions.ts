// Use cases for decision records: record one (a call on a live initiative decides it; a deferral does not), list and
// get them. History: never deleted.
import { decisions, initiatives, LIVE_INITIATIVE_STATUSES } from '../../db/schema.js'
import { now, toInstant } from '../clock.js'
import type { Db } from '../store/connection.js'
import { invalidRecord, notFound } from '../errors.js'
import type { Decision, DecisionCreate, DecisionsQuery } from '../schemas/decisions.js'
import { transact, type Actor } from '../store/change-log.js'
import { decisionVersion, decisionView, findDecision, findDecisionAnywhere, pageDecisions, type DecisionRow } from '../store/decisions.js'
import { findVersionAt, versionAt } from '../store/history.js'
import { findInitiative, initiativeView, type InitiativeRow } from '../store/initiatives.js'
import { newId } from './ids.js'
import { assertNewId, assertReference, insertRecord, replaceRecord, type Page, type Written } from '../store/records.js'

/** An initiative's decisions, newest decidedAt first (ties: id descending), optionally only one person's; with `at`, as they stood then. */
export function listDecisions (db: Db, initiativeId: string, q: DecisionsQuery): Page<Decision> {
  if (q.at === undefined) findInitiative(db, initiativeId)
  else findVersionAt(db, 'initiatives', initiativeId, q.at)
  return pageDecisions(db, initiativeId, q)
}

/** One decision, found only under its own initiative; with `at`, as it stood then. */
export function getDecision (db: Db, initiativeId: string, decisionId: string, at?: string): Decision {
  if (at !== undefined) {
    findVersionAt(db, 'initiatives', initiativeId, at)
    const version = versionAt<Decision>(db, 'decisions', decisionId, at)
    if (version === undefined || version.initiativeId !== initiativeId) throw notFound('decisions', decisionId)
    return decisionVersion(version)
  }
  findInitiative(db, initiativeId)
  const decision = findDecision(db, initiativeId, decisionId)
  if (decision === undefined) throw notFound('decisions', decisionId)
  return decision
}

/** Moves a live initiative to decided: its own change, version + 1. */
function markDecided (db: Db, actor: Actor, at: string, current: InitiativeRow): number {
  const row: InitiativeRow = { ...current, status: 'decided', version: current.version + 1, updatedAt: at }
  return replaceRecord(db, actor, at, 'initiatives', initiatives, current, row, initiativeView).revision
}

/** The decision a new one supersedes must be another, earlier or at the same time, on the same initiative. */
function assertSupersedable (db: Db, initiativeId: string, id: string, decidedAt: string, supersedes: string | null | undefined): void {
  if (supersedes === null || supersedes === undefined) return
  if (supersedes === id) throw invalidRecord('/supersedes', 'a decision cannot supersede itself')
  assertReference(db, '/supersedes', 'decisions', supersedes)
  const earlier = findDecisionAnywhere(db, supersedes)!
  if (earlier.initiativeId !== initiativeId) throw invalidRecord('/supersedes', `decision "${supersedes}" is on another initiative ("${earlier.initiativeId}")`)
  if (earlier.decidedAt > decidedAt) throw invalidRecord('/supersedes', `decision "${supersedes}" was made after this one (${earlier.decidedAt})`)
}

/**
 * Records a call on an initiative; a live one (proposed, active, on_hold) becomes decided in the same transaction,
 * unless the record is a deferral, which hands the call over and leaves the initiative open.
 * The revision returned is the last change written: the initiative's when it moved, else the decision's.
 */
export function recordDecision (db: Db, actor: Actor, initiativeId: string, input: DecisionCreate): Written<Decision> {
  return transact(db, () => {
    const initiative = findInitiative(db, initiativeId)
    const at = now()
    const id = input.id ?? newId()
    const decidedAt = toInstant(input.decidedAt)
    const kind = input.kind ?? 'decision'
    if (input.id !== undefined) assertNewId(db, 'decisions', id)
    assertReference(db, '/decidedBy', 'people', input.decidedBy)
    assertSupersedable(db, initiativeId, id, decidedAt, input.supersedes)
    const row: DecisionRow = {
      id, initiativeId, decidedBy: input.decidedBy, decidedAt, outcome: input.outcome,
      rationale: input.rationale ?? null, kind, supersedes: input.supersedes ?? null, version: 1, createdAt: at, updatedAt: at
    }
    const written = insertRecord(db, actor, at, 'decisions', decisions, row, decisionView)
    const decides = kind !== 'deferral' && LIVE_INITIATIVE_STATUSES.has(initiative.status)
    return decides ? { ...written, revision: markDecided(db, actor, at, initiative) } : written
  })
}
