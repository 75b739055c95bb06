// Routes of /v1/people: handlers of a few lines over the people service.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { access, AtOnlyQuery, IfMatchHeaders, Page, PersonParams, problems } from '../schemas/common.js'
import { PeopleQuery, PersonCreateSchema, PersonPatchSchema, PersonSchema, PersonStatusPeriodSchema } from '../schemas/people.js'
import { createPerson, deletePerson, getPerson, listPeople, listPersonStatuses, updatePerson } from '../services/people.js'
import { actorOf } from '../plugins/auth.js'
import { withEffects } from '../schemas/effects.js'
import { touchedBy } from '../services/write-effects.js'
import { asRead, commitJudged, commitWrite, created, deleted, written } from './replies.js'

const tags = ['people']

const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/people', {
    config: { allow: access.read },
    schema: { operationId: 'listPeople', tags, summary: 'List people, filtered by status and tag', querystring: PeopleQuery, response: { 200: Page(PersonSchema), ...problems() } }
  }, async (request) => listPeople(app.runtime.db, request.query))

  app.get('/people/:id', {
    config: { allow: access.read },
    schema: { operationId: 'getPerson', tags, summary: 'Get a person', params: PersonParams, querystring: AtOnlyQuery, response: { 200: PersonSchema, ...problems(404) } }
  }, async (request, reply) => asRead(reply, getPerson(app.runtime.db, request.params.id, request.query.at), request.query.at))

  app.get('/people/:id/statuses', {
    config: { allow: access.read },
    schema: {
      operationId: 'listPersonStatuses', tags, summary: 'The person\'s status timeline, oldest first', params: PersonParams,
      response: { 200: Type.Object({ items: Type.Array(PersonStatusPeriodSchema, { maxItems: 10000 }) }, { examples: [{ items: [{ status: 'active', from: null, to: '2026-03-01T00:00:00.000Z' }, { status: 'on_leave', from: '2026-03-01T00:00:00.000Z', to: null }] }] }), ...problems(404) }
    }
  }, async (request) => ({ items: listPersonStatuses(app.runtime.db, request.params.id) }))

  app.post('/people', {
    config: { allow: access.edit },
    schema: { operationId: 'createPerson', tags, summary: 'Create a person', body: PersonCreateSchema, response: { 201: PersonSchema, ...problems(409, 413, 415, 422) } }
  }, async (request, reply) => created(reply, 'people', await commitWrite(request, () => createPerson(app.runtime.db, actorOf(request.key), request.body))))

  app.patch('/people/:id', {
    config: { allow: access.edit },
    schema: {
      operationId: 'updatePerson', tags, summary: 'Change a person (a status change is recorded from statusSince, default now)',
      params: PersonParams, headers: IfMatchHeaders, body: PersonPatchSchema, response: { 200: withEffects(PersonSchema), ...problems(404, 409, 412, 413, 415, 422) }
    }
  }, async (request, reply) => written(reply, await commitJudged(request, touchedBy.person(request.params.id, request.body), () => updatePerson(app.runtime.db, actorOf(request.key), request.params.id, request.body, request.headers['if-match']))))

  app.delete('/people/:id', {
    config: { allow: access.edit },
    schema: {
      operationId: 'deletePerson', tags, summary: 'Delete a person who holds no roles and made no recorded decision (otherwise set them departed or retired)',
      params: PersonParams, headers: IfMatchHeaders, response: { 204: Type.Null({ description: 'Deleted' }), ...problems(404, 409, 412, 413, 415) }
    }
  }, async (request, reply) => deleted(reply, await commitWrite(request, () => deletePerson(app.runtime.db, actorOf(request.key), request.params.id, request.headers['if-match']))))
}

export default peopleRoutes
