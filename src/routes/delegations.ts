// Routes of /v1/delegations: handlers of a few lines over the delegations service.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { access, AtOnlyQuery, IdParams, IfMatchHeaders, Page, problems } from '../schemas/common.js'
import { DelegationCreateSchema, DelegationPatchSchema, DelegationSchema, DelegationsQuery } from '../schemas/delegations.js'
import { createDelegation, deleteDelegation, getDelegation, listDelegations, updateDelegation } from '../services/delegations.js'
import { actorOf } from '../plugins/auth.js'
import { asRead, commitWrite, created, deleted, written } from './replies.js'

const tags = ['delegations']

const delegationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/delegations', {
    config: { allow: access.read },
    schema: {
      operationId: 'listDelegations', tags, summary: 'List delegations, filtered by delegator, deputy, scope and the time they hold',
      querystring: DelegationsQuery, response: { 200: Page(DelegationSchema), ...problems() }
    }
  }, async (request) => listDelegations(app.runtime.db, request.query))

  app.get('/delegations/:id', {
    config: { allow: access.read },
    schema: { operationId: 'getDelegation', tags, summary: 'Get a delegation', params: IdParams, querystring: AtOnlyQuery, response: { 200: DelegationSchema, ...problems(404) } }
  }, async (request, reply) => asRead(reply, getDelegation(app.runtime.db, request.params.id, request.query.at), request.query.at))

  app.post('/delegations', {
    config: { allow: access.edit },
    schema: {
      operationId: 'createDelegation', tags, summary: 'Hand a person\'s authority to a deputy for a period',
      body: DelegationCreateSchema, response: { 201: DelegationSchema, ...problems(409, 413, 415, 422) }
    }
  }, async (request, reply) => created(reply, 'delegations', await commitWrite(request, () => createDelegation(app.runtime.db, actorOf(request.key), request.body))))

  app.patch('/delegations/:id', {
    config: { allow: access.edit },
    schema: {
      operationId: 'updateDelegation', tags, summary: 'Change a delegation (every rule is checked again on the changed record)',
      params: IdParams, headers: IfMatchHeaders, body: DelegationPatchSchema, response: { 200: DelegationSchema, ...problems(404, 412, 413, 415, 422) }
    }
  }, async (request, reply) => written(reply, await commitWrite(request, () => updateDelegation(app.runtime.db, actorOf(request.key), request.params.id, request.body, request.headers['if-match']))))

  app.delete('/delegations/:id', {
    config: { allow: access.edit },
    schema: {
      operationId: 'deleteDelegation', tags, summary: 'Delete a delegation',
      params: IdParams, headers: IfMatchHeaders, response: { 204: Type.Null({ description: 'Deleted' }), ...problems(404, 412, 413, 415) }
    }
  }, async (request, reply) => deleted(reply, await commitWrite(request, () => deleteDelegation(app.runtime.db, actorOf(request.key), request.params.id, request.headers['if-match']))))
}

export default delegationsRoutes
