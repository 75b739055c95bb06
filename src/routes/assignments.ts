// Routes of /v1/assignments: handlers of a few lines over the assignments service.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { access, AtOnlyQuery, IdParams, IfMatchHeaders, Page, problems } from '../schemas/common.js'
import { AssignmentCreateSchema, AssignmentPatchSchema, AssignmentSchema, AssignmentsQuery } from '../schemas/assignments.js'
import { createAssignment, endAssignment, getAssignment, listAssignments, updateAssignment } from '../services/assignments.js'
import { actorOf } from '../plugins/auth.js'
import { asRead, commitWrite, created, written } from './replies.js'

const tags = ['assignments']

const assignmentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/assignments', {
    config: { allow: access.read },
    schema: {
      operationId: 'listAssignments', tags, summary: 'List assignments, filtered by person, target, role and the time they hold',
      querystring: AssignmentsQuery, response: { 200: Page(AssignmentSchema), ...problems() }
    }
  }, async (request) => listAssignments(app.runtime.db, request.query))

  app.get('/assignments/:id', {
    config: { allow: access.read },
    schema: { operationId: 'getAssignment', tags, summary: 'Get an assignment', params: IdParams, querystring: AtOnlyQuery, response: { 200: AssignmentSchema, ...problems(404) } }
  }, async (request, reply) => asRead(reply, getAssignment(app.runtime.db, request.params.id, request.query.at), request.query.at))

  app.post('/assignments', {
    config: { allow: access.edit },
    schema: {
      operationId: 'createAssignment', tags, summary: 'Give a person a RACI role on an initiative or a domain',
      body: AssignmentCreateSchema, response: { 201: AssignmentSchema, ...problems(409, 413, 415, 422) }
    }
  }, async (request, reply) => created(reply, 'assignments', await commitWrite(request, () => createAssignment(app.runtime.db, actorOf(request.key), request.body))))

  app.patch('/assignments/:id', {
    config: { allow: access.edit },
    schema: {
      operationId: 'updateAssignment', tags, summary: 'Change an assignment (every rule is checked again on the changed record)',
      params: IdParams, headers: IfMatchHeaders, body: AssignmentPatchSchema, response: { 200: AssignmentSchema, ...problems(404, 409, 412, 413, 415, 422) }
    }
  }, async (request, reply) => written(reply, await commitWrite(request, () => updateAssignment(app.runtime.db, actorOf(request.key), request.params.id, request.body, request.headers['if-match']))))

  app.delete('/assignments/:id', {
    config: { allow: access.edit },
    schema: {
      operationId: 'endAssignment', tags, summary: 'End an assignment now (sets validTo; the record and its history stay)',
      params: IdParams, headers: IfMatchHeaders, response: { 200: AssignmentSchema, ...problems(404, 412, 413, 415) }
    }
  }, async (request, reply) => written(reply, await commitWrite(request, () => endAssignment(app.runtime.db, actorOf(request.key), request.params.id, request.headers['if-match']))))
}

export default assignmentsRoutes
