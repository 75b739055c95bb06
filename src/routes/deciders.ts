// Routes of "who decides?": an initiative's or a domain's decider, a person's authority, and many at once.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { access, DomainParams, InitiativeParams, PersonParams, problems } from '../schemas/common.js'
import { AuthoritySchema, DeciderQuery, DomainDeciderSchema, InitiativeDeciderSchema, ResolveDecidersBody, ResolvedDecidersSchema } from '../schemas/deciders.js'
import { getPersonAuthority, resolveDeciders, resolveDomainDecider, resolveInitiativeDecider } from '../services/deciders.js'

const tags = ['deciders']

const deciderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/initiatives/:id/decider', {
    config: { allow: access.read },
    schema: {
      operationId: 'resolveInitiativeDecider', tags,
      summary: 'Who decides the initiative at a time (default now): its own A, else its nearest domain\'s, through delegations if absent',
      params: InitiativeParams, querystring: DeciderQuery, response: { 200: InitiativeDeciderSchema, ...problems(404) }
    }
  }, async (request) => resolveInitiativeDecider(app.runtime, request.params.id, request.query.at))

  app.get('/domains/:id/decider', {
    config: { allow: access.read },
    schema: {
      operationId: 'resolveDomainDecider', tags, summary: 'Who decides the domain at a time (default now): its own A, else its nearest ancestor\'s',
      params: DomainParams, querystring: DeciderQuery, response: { 200: DomainDeciderSchema, ...problems(404) }
    }
  }, async (request) => resolveDomainDecider(app.runtime, request.params.id, request.query.at))

  app.get('/people/:id/authority', {
    config: { allow: access.read },
    schema: {
      operationId: 'getPersonAuthority', tags, summary: 'Every initiative and domain the person decides at a time (default now), and how',
      params: PersonParams, querystring: DeciderQuery, response: { 200: AuthoritySchema, ...problems(404) }
    }
  }, async (request) => getPersonAuthority(app.runtime.db, app.runtime.deciders, request.params.id, request.query.at))

  app.post('/deciders/resolve', {
    config: { allow: access.read },
    schema: {
      operationId: 'resolveDeciders', tags, summary: 'Who decides each of up to 500 initiatives, at one time (default now), in the order asked; unknown ids listed apart (strict: refused)',
      body: ResolveDecidersBody, response: { 200: ResolvedDecidersSchema, ...problems(413, 415, 422) }
    }
  }, async (request) => resolveDeciders(app.runtime, request.body))
}

export default deciderRoutes
