// Routes of /v1/audits (runs and their findings) and of the live findings of one initiative.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { actorOf } from '../plugins/auth.js'
import {
  AuditCreateSchema, AuditRunSchema, AuditsQuery, FindingSchema, FindingsQuery, InitiativeFindingsQuery, InitiativeFindingsSchema
} from '../schemas/audits.js'
import { access, IdParams, Page, problems } from '../schemas/common.js'
import { getAudit, listAudits, listFindings, runAudit } from '../services/audits.js'
import { getInitiativeFindings } from '../services/initiative-findings.js'

const tags = ['audits']

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/audits', {
    config: { allow: access.audit },
    schema: {
      operationId: 'runAudit', tags,
      summary: 'Run every enabled rule over the registry (or a domain, or some initiatives) at a time, and store the run with its findings',
      body: AuditCreateSchema, response: { 201: AuditRunSchema, ...problems(413, 415, 422) }
    }
  }, async (request, reply) => {
    const { record, revision } = await runAudit(app.runtime.db, app.runtime.audits, actorOf(request.key), request.body)
    reply.code(201).header('location', `/v1/audits/${record.id}`).header('x-revision', String(revision))
    return record
  })

  app.get('/audits', {
    config: { allow: access.read },
    schema: { operationId: 'listAudits', tags, summary: 'List audit runs, newest first', querystring: AuditsQuery, response: { 200: Page(AuditRunSchema), ...problems() } }
  }, async (request) => listAudits(app.runtime.db, request.query))

  app.get('/audits/:id', {
    config: { allow: access.read },
    schema: { operationId: 'getAudit', tags, summary: 'Get an audit run and its totals', params: IdParams, response: { 200: AuditRunSchema, ...problems(404) } }
  }, async (request) => getAudit(app.runtime.db, request.params.id))

  app.get('/audits/:id/findings', {
    config: { allow: access.read },
    schema: {
      operationId: 'listFindings', tags, summary: 'The findings of a run (new, persisting, and resolved since the previous run of its scope), filtered and paged',
      params: IdParams, querystring: FindingsQuery, response: { 200: Page(FindingSchema), ...problems(404) }
    }
  }, async (request) => listFindings(app.runtime.db, request.params.id, request.query))

  app.get('/initiatives/:id/findings', {
    config: { allow: access.read },
    schema: {
      operationId: 'getInitiativeFindings', tags,
      summary: 'Is this boundary clear? The rules run live over the initiative at a time, nothing stored (rules that look across the registry see only its slice)',
      params: IdParams, querystring: InitiativeFindingsQuery, response: { 200: InitiativeFindingsSchema, ...problems(404) }
    }
  }, async (request) => getInitiativeFindings(app.runtime.db, app.runtime.deciders, request.params.id, request.query.at))
}

export default auditRoutes
