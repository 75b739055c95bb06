// Use cases for assignments: list (with activeAt), get, create, change, and end — an assignment is never erased.
import { assignments } from '../../db/schema.js'
import type { Db } from '../store/connection.js'
import type { Assignment, AssignmentCreate, AssignmentPatch, AssignmentsQuery } from '../schemas/assignments.js'
import type { Actor } from '../store/change-log.js'
import type { Page, Written } from '../store/records.js'
import { createRecord, endRecord, getRecord, listRecords, updateRecord, type Kind } from './effective-dated.js'

type Row = typeof assignments.$inferSelect

export const assignmentView = (r: Row): Assignment => ({
  id: r.id, personId: r.personId, role: r.role, initiativeId: r.initiativeId, domainId: r.domainId,
  validFrom: r.validFrom, validTo: r.validTo, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt
})

const ASSIGNMENTS: Kind<typeof assignments, Assignment> = {
  entity: 'assignments',
  table: assignments,
  view: assignmentView,
  filters: ['personId', 'initiativeId', 'domainId', 'role'],
  targets: ['initiativeId', 'domainId'],
  references: [['personId', 'people'], ['initiativeId', 'initiatives'], ['domainId', 'domains']],
  instants: ['validFrom', 'validTo'],
  defaults: (at) => ({ initiativeId: null, domainId: null, validFrom: at, validTo: null }),
  period: true,
  // The same person cannot hold the same role on the same target twice at once: periods must not overlap.
  overlap: {
    key: ['personId', 'role'],
    message: (row, existing) => `overlaps assignment "${existing.id}": ${row.personId} already holds ${row.role} there ` +
      `from ${existing.validFrom}${existing.validTo === null ? '' : ` to ${existing.validTo}`}`
  }
}

export const listAssignments = (db: Db, q: AssignmentsQuery): Page<Assignment> => listRecords(db, ASSIGNMENTS, q)

/** The assignment now, or as it stood in the registry at `at`. */
export const getAssignment = (db: Db, id: string, at?: string): Assignment => getRecord(db, ASSIGNMENTS, id, at)

export const createAssignment = (db: Db, actor: Actor, input: AssignmentCreate): Written<Assignment> => createRecord(db, ASSIGNMENTS, actor, input)

export const updateAssignment = (db: Db, actor: Actor, id: string, patch: AssignmentPatch, ifMatch?: string): Written<Assignment> =>
  updateRecord(db, ASSIGNMENTS, actor, id, patch, ifMatch)

/** Ends the assignment now, keeping it on record (see endRecord). */
export const endAssignment = (db: Db, actor: Actor, id: string, ifMatch?: string): Written<Assignment> => endRecord(db, ASSIGNMENTS, actor, id, ifMatch)
