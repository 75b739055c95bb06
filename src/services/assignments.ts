// Use cases for assignments: list (with activeAt), get, create, change, and end — an assignment is never erased.
import { and, asc, desc, eq, gt, isNull, lt, ne, or } from 'drizzle-orm'
import { assignments, changes } from '../../db/schema.js'
import { now, toInstant } from '../clock.js'
import type { Db } from '../store/connection.js'
import { ProblemError } from '../errors.js'
import type { Assignment, AssignmentCreate, AssignmentPatch, AssignmentsQuery } from '../schemas/assignments.js'
import { transact, type Actor } from '../store/change-log.js'
import { activeVersionAt, findVersionAt, pageAt } from '../store/history.js'
import { newId } from './ids.js'
import { assertNewId, assertReference, checkIfMatch, equals, findRecord, insertRecord, replaceRecord, selectPage, type Page, type Written } from '../store/records.js'
import { activeAt, assertOneTarget, assertPeriod, periodOf } from './targets.js'

type Row = typeof assignments.$inferSelect

const TARGETS = ['initiativeId', 'domainId'] as const

export const assignmentView = (r: Row): Assignment => ({
  id: r.id, personId: r.personId, role: r.role, initiativeId: r.initiativeId, domainId: r.domainId,
  validFrom: r.validFrom, validTo: r.validTo, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt
})

export const listAssignments = (db: Db, q: AssignmentsQuery): Page<Assignment> => q.at === undefined
  ? selectPage(db, assignments, q, [
    equals(assignments.personId, q.personId), equals(assignments.initiativeId, q.initiativeId), equals(assignments.domainId, q.domainId),
    equals(assignments.role, q.role),
    q.activeAt === undefined ? undefined : activeAt(assignments.validFrom, assignments.validTo, toInstant(q.activeAt))
  ], assignmentView)
  : pageAt(db, 'assignments', q.at, q, {
    equal: { personId: q.personId, initiativeId: q.initiativeId, domainId: q.domainId, role: q.role },
    where: [activeVersionAt(q.activeAt)]
  })

const findAssignment = (db: Db, id: string): Row => findRecord(db, assignments, 'assignments', id)

/** The assignment now, or as it stood in the registry at `at`. */
export const getAssignment = (db: Db, id: string, at?: string): Assignment =>
  at === undefined ? assignmentView(findAssignment(db, id)) : findVersionAt(db, 'assignments', id, at)

/** Every rule a stored assignment keeps, checked on the whole (created or merged) record. */
function assertValid (db: Db, row: Row): void {
  assertOneTarget(row, TARGETS)
  assertReference(db, '/personId', 'people', row.personId)
  assertReference(db, '/initiativeId', 'initiatives', row.initiativeId)
  assertReference(db, '/domainId', 'domains', row.domainId)
  assertPeriod(row.validFrom, row.validTo)
  assertNoOverlap(db, row)
}

/** The same person cannot hold the same role on the same target twice at once: periods must not overlap. */
function assertNoOverlap (db: Db, row: Row): void {
  const target = row.initiativeId !== null ? eq(assignments.initiativeId, row.initiativeId) : eq(assignments.domainId, row.domainId!)
  const existing = db.select().from(assignments).where(and(
    ne(assignments.id, row.id), eq(assignments.personId, row.personId), eq(assignments.role, row.role), target,
    or(isNull(assignments.validTo), gt(assignments.validTo, row.validFrom)),
    row.validTo === null ? undefined : lt(assignments.validFrom, row.validTo),
    // A cancelled assignment (ended before it began) holds at no time, so it overlaps nothing.
    or(isNull(assignments.validTo), gt(assignments.validTo, assignments.validFrom))
  )).orderBy(asc(assignments.validFrom)).get()
  if (existing === undefined) return
  const period = `from ${existing.validFrom}${existing.validTo === null ? '' : ` to ${existing.validTo}`}`
  const message = `overlaps assignment "${existing.id}": ${row.personId} already holds ${row.role} there ${period}`
  // blockedBy names the existing assignment for machines, as in-use problems name their blockers.
  throw new ProblemError('WHODECIDES_ERR_CONFLICT', `validFrom: ${message}`, {
    errors: [{ in: 'body', path: '/validFrom', message }],
    blockedBy: [{ entity: 'assignments', id: existing.id }]
  })
}

export function createAssignment (db: Db, actor: Actor, input: AssignmentCreate): Written<Assignment> {
  return transact(db, () => {
    const at = now()
    const id = input.id ?? newId()
    const row: Row = {
      id, personId: input.personId, role: input.role, initiativeId: input.initiativeId ?? null, domainId: input.domainId ?? null,
      ...periodOf(input, { validFrom: at, validTo: null }),
      version: 1, createdAt: at, updatedAt: at
    }
    if (input.id !== undefined) assertNewId(db, 'assignments', id)
    assertValid(db, row)
    return insertRecord(db, actor, at, 'assignments', assignments, row, assignmentView)
  })
}

export function updateAssignment (db: Db, actor: Actor, id: string, patch: AssignmentPatch, ifMatch?: string): Written<Assignment> {
  return transact(db, () => {
    const current = findAssignment(db, id)
    checkIfMatch(current.version, ifMatch)
    const at = now()
    const row: Row = {
      ...current,
      ...patch,
      ...periodOf(patch, current),
      version: current.version + 1,
      updatedAt: at
    }
    assertValid(db, row)
    return replaceRecord(db, actor, at, 'assignments', assignments, current, row, assignmentView)
  })
}

/**
 * Ends the assignment now, keeping it on record. One that has not begun yet ends at its own start (an empty
 * period: it never held). One already ended is answered as it is, with the revision that last wrote it.
 */
export function endAssignment (db: Db, actor: Actor, id: string, ifMatch?: string): Written<Assignment> {
  return transact(db, () => {
    const current = findAssignment(db, id)
    checkIfMatch(current.version, ifMatch)
    const at = now()
    const end = current.validFrom > at ? current.validFrom : at
    if (current.validTo !== null && current.validTo <= end) {
      const last = db.select({ revision: changes.revision }).from(changes)
        .where(and(eq(changes.entity, 'assignments'), eq(changes.entityId, id))).orderBy(desc(changes.revision)).limit(1).get()
      return { record: assignmentView(current), revision: last?.revision ?? 0 }
    }
    const row: Row = { ...current, validTo: end, version: current.version + 1, updatedAt: at }
    return replaceRecord(db, actor, at, 'assignments', assignments, current, row, assignmentView, 'end')
  })
}
