// Routes of /v1/domains: handlers of a few lines over the domains service.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { access, AtOnlyQuery, DomainParams, IfMatchHeaders, Page, problems } from '../schemas/common.js'
import { DomainCreateSchema, DomainPatchSchema, DomainSchema, DomainsQuery } from '../schemas/domains.js'
import { createDomain, deleteDomain, getDomain, listDomains, updateDomain } from '../services/domains.js'
import { actorOf } from '../plugins/auth.js'
import { withEffects } from '../schemas/effects.js'
import { touchedBy } from '../services/write-effects.js'
import { asRead, commitJudged, commitWrite, created, deleted, written } from './replies.js'

const tags = ['domains']

const domainRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/domains', {
    config: { allow: access.read },
    schema: { operationId: 'listDomains', tags, summary: 'List decision areas, filtered by parent', querystring: DomainsQuery, response: { 200: Page(DomainSchema), ...problems() } }
  }, async (request) => listDomains(app.runtime.db, request.query))

  app.get('/domains/:id', {
    config: { allow: access.read },
    schema: { operationId: 'getDomain', tags, summary: 'Get a decision area', params: DomainParams, querystring: AtOnlyQuery, response: { 200: DomainSchema, ...problems(404) } }
  }, async (request, reply) => asRead(reply, getDomain(app.runtime.db, request.params.id, request.query.at), request.query.at))

  app.post('/domains', {
    config: { allow: access.edit },
    schema: {
      operationId: 'createDomain', tags, summary: 'Create a decision area, optionally under a parent',
      body: DomainCreateSchema, response: { 201: DomainSchema, ...problems(409, 413, 415, 422) }
    }
  }, async (request, reply) => created(reply, 'domains', await commitWrite(request, () => createDomain(app.runtime.db, actorOf(request.key), request.body))))

  app.patch('/domains/:id', {
    config: { allow: access.edit },
    schema: {
      operationId: 'updateDomain', tags, summary: 'Change a decision area (a new parent may not lie under it)',
      params: DomainParams, headers: IfMatchHeaders, body: DomainPatchSchema, response: { 200: withEffects(DomainSchema), ...problems(404, 412, 413, 415, 422) }
    }
  }, async (request, reply) => written(reply, await commitJudged(request, touchedBy.domain(request.params.id, request.body), () => updateDomain(app.runtime.db, actorOf(request.key), request.params.id, request.body, request.headers['if-match']))))

  app.delete('/domains/:id', {
    config: { allow: access.edit },
    schema: {
      operationId: 'deleteDomain', tags, summary: 'Delete a decision area that no sub-domain, initiative, assignment, delegation or influence points to',
      params: DomainParams, headers: IfMatchHeaders, response: { 204: Type.Null({ description: 'Deleted' }), ...problems(404, 409, 412, 413, 415) }
    }
  }, async (request, reply) => deleted(reply, await commitWrite(request, () => deleteDomain(app.runtime.db, actorOf(request.key), request.params.id, request.headers['if-match']))))
}

export default domainRoutes
