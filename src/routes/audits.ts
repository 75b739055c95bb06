// Routes of /v1/audits (runs and their findings) and of the live findings of one initiative.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type, { type TSchema } from 'typebox'
import { actorOf } from '../plugins/auth.js'
import {
  AuditCreateSchema, AuditRunSchema, AuditsQuery, FindingGroupsSchema, FindingSchema, FindingsQuery, InitiativeFindingsQuery, InitiativeFindingsSchema
} from '../schemas/audits.js'
import { access, AuditParams, InitiativeParams, Page, problems } from '../schemas/common.js'
import { REPORT_CSP } from '../report/page-style.js'
import { getAuditReport } from '../services/audit-report.js'
import { getAudit, listAudits, listRunFindings, runAudit } from '../services/audits.js'
import { getInitiativeFindings } from '../services/initiative-findings.js'

const tags = ['audits']

const HTML_PAGE = {
  description: 'One self-contained page: no scripts, no external assets, printable',
  content: { 'text/html': { schema: Type.String({ examples: ['<!doctype html><html lang="en"><head><title>Audit of the whole registry</title>…</head><body><h1>…</h1><section id="summary">…</section>…</body></html>'] }) } }
} as unknown as TSchema

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
    schema: { operationId: 'getAudit', tags, summary: 'Get an audit run and its totals', params: AuditParams, response: { 200: AuditRunSchema, ...problems(404) } }
  }, async (request) => getAudit(app.runtime.db, request.params.id))

  app.get('/audits/:id/findings', {
    config: { allow: access.read },
    schema: {
      operationId: 'listFindings', tags,
      summary: 'The findings of a run (new, persisting, and resolved since the previous run of its scope), filtered and paged; with groupBy, in groups by root cause',
      params: AuditParams, querystring: FindingsQuery,
      response: { 200: Type.Union([Page(FindingSchema), FindingGroupsSchema], { examples: [{ items: [], nextCursor: null }] }), ...problems(404) }
    }
  }, async (request) => listRunFindings(app.runtime.db, request.params.id, request.query))

  app.get('/audits/:id/report', {
    config: { allow: access.read },
    schema: {
      operationId: 'getAuditReport', tags,
      summary: 'The run as a report for people: a summary in words, findings by rule with advice, the RACI matrix with its problem cells, and the lines of authority as a picture',
      params: AuditParams, response: { 200: HTML_PAGE, ...problems(404) }
    }
  }, async (request, reply) => {
    const page = await getAuditReport(app.runtime.db, request.params.id)
    // The page's own policy in place of the API's (which allows nothing): its inline style sheet, and nothing else.
    reply.type('text/html; charset=utf-8').header('content-security-policy', REPORT_CSP)
    return page
  })

  app.get('/initiatives/:id/findings', {
    config: { allow: access.read },
    schema: {
      operationId: 'getInitiativeFindings', tags,
      summary: 'Is this boundary clear? The rules run live over the initiative at a time, nothing stored (rules that look across the registry see only its slice)',
      params: InitiativeParams, querystring: InitiativeFindingsQuery, response: { 200: InitiativeFindingsSchema, ...problems(404) }
    }
  }, async (request) => getInitiativeFindings(app.runtime.db, app.runtime.deciders, request.params.id, request.query.at))
}

export default auditRoutes
