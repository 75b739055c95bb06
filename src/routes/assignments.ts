// Routes of /v1/assignments: the effective-dated routes over the assignments service; DELETE ends, never erases.
import { access } from '../schemas/common.js'
import { AssignmentCreateSchema, AssignmentParams, AssignmentPatchSchema, AssignmentSchema, AssignmentsQuery } from '../schemas/assignments.js'
import { createAssignment, endAssignment, getAssignment, listAssignments, updateAssignment } from '../services/assignments.js'
import { touchedBy } from '../services/write-effects.js'
import { kindRoutes } from './effective-dated.js'

export default kindRoutes({
  collection: 'assignments',
  singular: 'Assignment',
  plural: 'Assignments',
  write: access.edit,
  schemas: { record: AssignmentSchema, create: AssignmentCreateSchema, patch: AssignmentPatchSchema, query: AssignmentsQuery, params: AssignmentParams },
  summaries: {
    list: 'List assignments, filtered by person, target, role and the time they hold',
    get: 'Get an assignment',
    create: 'Give a person a RACI role on an initiative or a domain',
    update: 'Change an assignment (every rule is checked again on the changed record)',
    remove: 'End an assignment now (sets validTo; the record and its history stay)'
  },
  updateConflicts: true,
  touches: touchedBy.assignment,
  service: { list: listAssignments, get: getAssignment, create: createAssignment, update: updateAssignment, end: endAssignment }
})
