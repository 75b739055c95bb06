// Routes of /v1/influences: the change agent's observations; everyone reads them, only auditors and admins write.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { access, AtOnlyQuery, IdParams, IfMatchHeaders, Page, problems } from '../schemas/common.js'
import { InfluenceCreateSchema, InfluencePatchSchema, InfluenceSchema, InfluencesQuery } from '../schemas/influences.js'
import { createInfluence, deleteInfluence, getInfluence, listInfluences, updateInfluence } from '../services/influences.js'
import { actorOf } from '../plugins/auth.js'
import { asRead, commitWrite, created, deleted, written } from './replies.js'

const tags = ['influences']

const influencesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/influences', {
    config: { allow: access.read },
    schema: {
      operationId: 'listInfluences', tags, summary: 'List observed influences, filtered by person, target and strength',
      querystring: InfluencesQuery, response: { 200: Page(InfluenceSchema), ...problems() }
    }
  }, async (request) => listInfluences(app.runtime.db, request.query))

  app.get('/influences/:id', {
    config: { allow: access.read },
    schema: { operationId: 'getInfluence', tags, summary: 'Get an observed influence', params: IdParams, querystring: AtOnlyQuery, response: { 200: InfluenceSchema, ...problems(404) } }
  }, async (request, reply) => asRead(reply, getInfluence(app.runtime.db, request.params.id, request.query.at), request.query.at))

  app.post('/influences', {
    config: { allow: access.audit },
    schema: {
      operationId: 'createInfluence', tags, summary: 'Record informal authority observed over an initiative, a domain or a person',
      body: InfluenceCreateSchema, response: { 201: InfluenceSchema, ...problems(409, 413, 415, 422) }
    }
  }, async (request, reply) => created(reply, 'influences', await commitWrite(request, () => createInfluence(app.runtime.db, actorOf(request.key), request.body))))

  app.patch('/influences/:id', {
    config: { allow: access.audit },
    schema: {
      operationId: 'updateInfluence', tags, summary: 'Change an observed influence (every rule is checked again on the changed record)',
      params: IdParams, headers: IfMatchHeaders, body: InfluencePatchSchema, response: { 200: InfluenceSchema, ...problems(404, 412, 413, 415, 422) }
    }
  }, async (request, reply) => written(reply, await commitWrite(request, () => updateInfluence(app.runtime.db, actorOf(request.key), request.params.id, request.body, request.headers['if-match']))))

  app.delete('/influences/:id', {
    config: { allow: access.audit },
    schema: {
      operationId: 'deleteInfluence', tags, summary: 'Delete an observed influence',
      params: IdParams, headers: IfMatchHeaders, response: { 204: Type.Null({ description: 'Deleted' }), ...problems(404, 412, 413, 415) }
    }
  }, async (request, reply) => deleted(reply, await commitWrite(request, () => deleteInfluence(app.runtime.db, actorOf(request.key), request.params.id, request.headers['if-match']))))
}

export default influencesRoutes
