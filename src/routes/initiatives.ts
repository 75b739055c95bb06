// Routes of /v1/initiatives and their RACI view: handlers of a few lines over the services.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { access, AtOnlyQuery, IfMatchHeaders, InitiativeParams, Page, problems } from '../schemas/common.js'
import { InitiativeCreateSchema, InitiativePatchSchema, InitiativeSchema, InitiativesQuery, RaciQuery, RaciSchema } from '../schemas/initiatives.js'
import { createInitiative, deleteInitiative, getInitiative, listInitiatives, updateInitiative } from '../services/initiatives.js'
import { getInitiativeRaci } from '../services/raci.js'
import { actorOf } from '../plugins/auth.js'
import { withEffects } from '../schemas/effects.js'
import { touchedBy } from '../services/write-effects.js'
import { asRead, commitJudged, created, deleted, written } from './replies.js'

const tags = ['initiatives']
const InitiativeWrittenSchema = withEffects(InitiativeSchema)

const initiativeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/initiatives', {
    config: { allow: access.read },
    schema: {
      operationId: 'listInitiatives', tags, summary: 'List initiatives, filtered by status, domain and decision rule',
      querystring: InitiativesQuery, response: { 200: Page(InitiativeSchema), ...problems() }
    }
  }, async (request) => listInitiatives(app.runtime.db, request.query))

  app.get('/initiatives/:id', {
    config: { allow: access.read },
    schema: { operationId: 'getInitiative', tags, summary: 'Get an initiative', params: InitiativeParams, querystring: AtOnlyQuery, response: { 200: InitiativeSchema, ...problems(404) } }
  }, async (request, reply) => asRead(reply, getInitiative(app.runtime.db, request.params.id, request.query.at), request.query.at))

  app.get('/initiatives/:id/raci', {
    config: { allow: access.read },
    schema: {
      operationId: 'getInitiativeRaci', tags, summary: 'Who holds which RACI role on the initiative at a time: its own, and those inherited from its domains',
      params: InitiativeParams, querystring: RaciQuery, response: { 200: RaciSchema, ...problems(404) }
    }
  }, async (request) => getInitiativeRaci(app.runtime.db, app.runtime.deciders, request.params.id, request.query.at))

  app.post('/initiatives', {
    config: { allow: access.edit },
    schema: {
      operationId: 'createInitiative', tags, summary: 'Create an initiative (status proposed and decision rule single unless given)',
      body: InitiativeCreateSchema, response: { 201: InitiativeWrittenSchema, ...problems(409, 413, 415, 422) }
    }
  }, async (request, reply) => created(reply, 'initiatives', await commitJudged(request, touchedBy.initiative(request.body.id), () => createInitiative(app.runtime.db, actorOf(request.key), request.body))))

  app.patch('/initiatives/:id', {
    config: { allow: access.edit },
    schema: {
      operationId: 'updateInitiative', tags, summary: 'Change an initiative',
      params: InitiativeParams, headers: IfMatchHeaders, body: InitiativePatchSchema, response: { 200: InitiativeWrittenSchema, ...problems(404, 412, 413, 415, 422) }
    }
  }, async (request, reply) => written(reply, await commitJudged(request, touchedBy.initiative(request.params.id, request.body), () => updateInitiative(app.runtime.db, actorOf(request.key), request.params.id, request.body, request.headers['if-match']))))

  app.delete('/initiatives/:id', {
    config: { allow: access.edit },
    schema: {
      operationId: 'deleteInitiative', tags, summary: 'Delete an initiative that no assignment, delegation, influence or decision points to',
      params: InitiativeParams, headers: IfMatchHeaders, response: { 204: Type.Null({ description: 'Deleted' }), ...problems(404, 409, 412, 413, 415) }
    }
  }, async (request, reply) => deleted(reply, await commitJudged(request, touchedBy.initiative(request.params.id), () => deleteInitiative(app.runtime.db, actorOf(request.key), request.params.id, request.headers['if-match']))))
}

export default initiativeRoutes
