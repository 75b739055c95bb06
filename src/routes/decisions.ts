// Routes of /v1/initiatives/{id}/decisions: the calls actually made; recorded and read, never changed or deleted.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { access, AtOnlyQuery, InitiativeParams, Page, problems } from '../schemas/common.js'
import { DecisionCreateSchema, DecisionParams, DecisionSchema, DecisionsQuery } from '../schemas/decisions.js'
import { getDecision, listDecisions, recordDecision } from '../services/decisions.js'
import { actorOf } from '../plugins/auth.js'
import { asRead, commitWrite, created } from './replies.js'

const tags = ['decisions']

const decisionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/initiatives/:id/decisions', {
    config: { allow: access.read },
    schema: {
      operationId: 'listDecisions', tags, summary: 'List the calls made on an initiative, newest decidedAt first, optionally one person\'s',
      params: InitiativeParams, querystring: DecisionsQuery, response: { 200: Page(DecisionSchema), ...problems(404) }
    }
  }, async (request) => listDecisions(app.runtime.db, request.params.id, request.query))

  app.get('/initiatives/:id/decisions/:decisionId', {
    config: { allow: access.read },
    schema: { operationId: 'getDecision', tags, summary: 'Get a decision record', params: DecisionParams, querystring: AtOnlyQuery, response: { 200: DecisionSchema, ...problems(404) } }
  }, async (request, reply) => asRead(reply, getDecision(app.runtime.db, request.params.id, request.params.decisionId, request.query.at), request.query.at))

  app.post('/initiatives/:id/decisions', {
    config: { allow: access.edit },
    schema: {
      operationId: 'recordDecision', tags,
      summary: 'Record who made a call on an initiative; a proposed, active or on-hold initiative becomes decided (X-Revision: the last of the two changes)',
      params: InitiativeParams, body: DecisionCreateSchema, response: { 201: DecisionSchema, ...problems(404, 409, 413, 415, 422) }
    }
  }, async (request, reply) => created(reply, `initiatives/${request.params.id}/decisions`, await commitWrite(request, () => recordDecision(app.runtime.db, actorOf(request.key), request.params.id, request.body))))
}

export default decisionRoutes
