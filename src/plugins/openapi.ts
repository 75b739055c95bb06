// The OpenAPI 3.1 document generated from the route schemas, served at /openapi.json and browsable at /docs.
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../config.js'
import { describeOperation } from '../schemas/operations.js'
import { DOCS_HELMET_OPTIONS, helmetHeaders } from './security-headers.js'

export const API_TAGS = [
  { name: 'people', description: 'Decision makers and everyone who holds a role' },
  { name: 'domains', description: 'Decision areas, in a tree' },
  { name: 'initiatives', description: 'Change efforts and decisions to be made' },
  { name: 'assignments', description: 'RACI cells, effective-dated' },
  { name: 'delegations', description: 'Authority handed to a deputy for a while' },
  { name: 'influences', description: 'Informal authority observed by a change agent' },
  { name: 'deciders', description: 'Who decides: an initiative\'s or a domain\'s final decider at a time, with the path, and a person\'s authority' },
  { name: 'decisions', description: 'Calls actually made on initiatives, and by whom: history' },
  { name: 'rules', description: 'The audit rules and their configuration' },
  { name: 'audits', description: 'Boundary audits: runs, their findings, and the live findings of an initiative' },
  { name: 'waivers', description: 'Findings accepted for a reason until a date' },
  { name: 'bulk', description: 'Export and atomic import of the whole registry' },
  { name: 'changes', description: 'The change log' },
  { name: 'keys', description: 'API keys and roles' },
  { name: 'service', description: 'Health and the API contract' }
]

/**
 * The Content-Security-Policy of /docs: Swagger UI loads its scripts, styles and images from /docs/static, and the
 * document from /docs/json; nothing inline, nothing from elsewhere. Checked in headless Chromium: every operation
 * renders; the one inline style the bundle tries at load is refused, and the page is the same as with it allowed.
 */
export const DOCS_CSP = [
  "default-src 'none'", "base-uri 'none'", "connect-src 'self'", "font-src 'self' data:", "form-action 'none'",
  "frame-ancestors 'none'", "img-src 'self' data:", "object-src 'none'", "script-src 'self'", "script-src-attr 'none'",
  "style-src 'self'"
].join('; ')

async function openapi (app: FastifyInstance): Promise<void> {
  // Every operation's description comes from the one catalogue (src/schemas/operations.ts), completed with who may
  // call it from the route's own config.allow and its errors from its declared responses: neither can drift.
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as (FastifySchema & { operationId?: string, summary?: string, hide?: boolean, description?: string }) | undefined
    if (schema?.operationId === undefined || schema.hide === true) return
    const statuses = Object.keys((schema.response ?? {}) as Record<string, unknown>).filter((status) => !status.startsWith('2'))
    route.schema = { ...schema, description: describeOperation(schema.operationId, schema.summary, route.config?.allow ?? null, statuses) } as FastifySchema
  })
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'whodecides',
        version: (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version,
        description: 'Decision-rights registry: who holds final authority, with the reason, and boundary audits.',
        license: { name: 'UNLICENSED', identifier: 'UNLICENSED' }
      },
      // Relative: resolved against the address the document was read from, so /docs "Try it out" calls this very
      // service on whatever host and port it is reached at, and the committed document stays the same.
      servers: [{ url: '/', description: 'This service, at the address this document was read from' }],
      tags: API_TAGS,
      components: {
        securitySchemes: { bearerKey: { type: 'http', scheme: 'bearer', description: 'An API key issued by POST /v1/keys' } }
      },
      security: [{ bearerKey: [] }]
    }
  })
  // Its answers replace the API's CSP (which allows nothing) with this one; DOCS_CSP says what the page needs. Its
  // page also gets the headers only a page needs.
  const pageHeaders = await helmetHeaders(DOCS_HELMET_OPTIONS)
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: DOCS_CSP,
    uiHooks: { onRequest: (request, reply, done) => { reply.headers(pageHeaders); done() } }
  })
  app.get('/openapi.json', {
    schema: { hide: true }
  }, async () => app.swagger())
}

export default fp(openapi, { name: 'openapi' })
