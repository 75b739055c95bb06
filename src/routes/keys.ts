// Routes of /v1/keys (admin only): issue a key and show its token once, list keys without secrets, revoke one.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { actorOf } from '../plugins/auth.js'
import { access, KeyParams, problems } from '../schemas/common.js'
import { IssuedKeySchema, KeyCreateSchema, KeyListSchema } from '../schemas/keys.js'
import { createKey, listKeys, revokeKey } from '../services/keys.js'
import { commitWrite, deleted } from './replies.js'

const tags = ['keys']

const keysRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/keys', {
    config: { allow: access.admin },
    schema: { operationId: 'listKeys', tags, summary: 'List every key, live and revoked, without secrets', response: { 200: KeyListSchema, ...problems() } }
  }, async () => ({ items: listKeys(app.runtime.db) }))

  app.post('/keys', {
    config: { allow: access.admin },
    schema: {
      operationId: 'createKey', tags, summary: 'Issue a key; its token is in this answer only',
      body: KeyCreateSchema, response: { 201: IssuedKeySchema, ...problems(413, 415) }
    }
  }, async (request, reply) => {
    const { key, revision } = await commitWrite(request, () => createKey(app.runtime.db, actorOf(request.key), request.body))
    // The token is in this body only: no cache may keep a copy.
    reply.code(201).header('location', `/v1/keys/${key.id}`).header('x-revision', String(revision)).header('cache-control', 'no-store')
    return key
  })

  app.delete('/keys/:id', {
    config: { allow: access.admin },
    schema: {
      operationId: 'revokeKey', tags, summary: 'Revoke a key at once (the last live admin key cannot be revoked)',
      params: KeyParams, response: { 204: Type.Null({ description: 'Revoked' }), ...problems(404, 409, 413, 415) }
    }
  }, async (request, reply) => deleted(reply, await commitWrite(request, () => revokeKey(app.runtime.db, app.runtime.keys, actorOf(request.key), request.params.id))))
}

export default keysRoutes
