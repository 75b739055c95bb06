// Routes of /v1/waivers: findings accepted by fingerprint, for a reason, until a date.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { actorOf } from '../plugins/auth.js'
import { access, IfMatchHeaders, Page, problems, WaiverParams } from '../schemas/common.js'
import { WaiverCreateSchema, WaiverSchema, WaiversQuery } from '../schemas/waivers.js'
import { createWaiver, deleteWaiver, getWaiver, listWaivers } from '../services/waivers.js'
import { commitWrite, created, deleted, withEtag } from './replies.js'

const tags = ['waivers']

const waiverRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/waivers', {
    config: { allow: access.read },
    schema: {
      operationId: 'listWaivers', tags, summary: 'List waivers, filtered by fingerprint and by whether they are still live',
      querystring: WaiversQuery, response: { 200: Page(WaiverSchema), ...problems() }
    }
  }, async (request) => listWaivers(app.runtime.db, request.query))

  app.get('/waivers/:id', {
    config: { allow: access.read },
    schema: { operationId: 'getWaiver', tags, summary: 'Get a waiver', params: WaiverParams, response: { 200: WaiverSchema, ...problems(404) } }
  }, async (request, reply) => withEtag(reply, getWaiver(app.runtime.db, request.params.id)))

  app.post('/waivers', {
    config: { allow: access.audit },
    schema: {
      operationId: 'createWaiver', tags, summary: 'Accept a finding (by fingerprint) until a future date: audits then mark it waived and leave it out of their totals',
      body: WaiverCreateSchema, response: { 201: WaiverSchema, ...problems(413, 415, 422) }
    }
  }, async (request, reply) => created(reply, 'waivers', await commitWrite(request, () => createWaiver(app.runtime.db, actorOf(request.key), request.body))))

  app.delete('/waivers/:id', {
    config: { allow: access.audit },
    schema: {
      operationId: 'deleteWaiver', tags, summary: 'Withdraw a waiver: later audits count the finding again',
      params: WaiverParams, headers: IfMatchHeaders, response: { 204: Type.Null({ description: 'Deleted' }), ...problems(404, 412, 413, 415) }
    }
  }, async (request, reply) => deleted(reply, await commitWrite(request, () => deleteWaiver(app.runtime.db, actorOf(request.key), request.params.id, request.headers['if-match']))))
}

export default waiverRoutes
