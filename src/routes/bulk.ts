// Routes of the bundle: GET /v1/export and POST /v1/import (atomic upsert or replace, with a dry run).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify'
import type { TSchema } from 'typebox'
import { actorOf } from '../plugins/auth.js'
import { BundleSchema, ImportBundleSchema, ImportQuery, ImportReportSchema } from '../schemas/bundle.js'
import { access, problems } from '../schemas/common.js'
import { validatorCompiler } from '../schemas/validator.js'
import { exportBundle } from '../services/export.js'

const tags = ['bulk']

// The import checks every row itself, so that one answer can list every invalid row with its collection and index.
const rowsCheckedByTheService: FastifySchemaCompiler<TSchema> = (route) =>
  route.httpPart === 'body' ? (value) => ({ value }) : validatorCompiler(route)

const bulkRoutes: FastifyPluginAsyncTypebox<{ importBodyLimit: number }> = async (app, opts) => {
  // A bundle is parsed where the import runs (src/services/import-runner.ts): JSON.parse of a 24 MiB bundle held the
  // request thread for a quarter of a second or more. Here the body is only collected, within the body limit, as
  // Fastify does for every route; a body that is not JSON gets the same answer, at the same step, as anywhere else.
  // This parser is this plugin's own: the other routes keep Fastify's.
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, async (request: FastifyRequest, raw: Buffer) =>
    await app.runtime.imports.parse(raw, request.headers['idempotency-key'] !== undefined))

  app.get('/export', {
    config: { allow: access.read },
    schema: { operationId: 'exportBundle', tags, summary: 'The whole registry as one bundle', response: { 200: BundleSchema, ...problems() } }
  }, async () => exportBundle(app.runtime.db))

  app.post('/import', {
    config: { allow: access.edit },
    bodyLimit: opts.importBodyLimit,
    validatorCompiler: rowsCheckedByTheService,
    schema: {
      operationId: 'importBundle', tags,
      summary: 'Apply a bundle atomically: upserts by id (or natural key), ?mode=replace removes the rest, ?dryRun=true writes nothing',
      querystring: ImportQuery, body: ImportBundleSchema,
      response: { 200: ImportReportSchema, ...problems(409, 413, 415, 422) }
    },
    // An Idempotency-Key is claimed (a write on the request thread, the hook after this one) once the imports before
    // have answered: not while one of them holds the write lock, which the claim would wait for with every request.
    preHandler: async (request) => { if (request.headers['idempotency-key'] !== undefined) await app.runtime.imports.idle() },
    // A body parsed for a request that ends without its import (refused, replayed, aborted) is let go of.
    onResponse: async (request) => { app.runtime.imports.release(request.body) },
    onRequestAbort: async (request) => { app.runtime.imports.release(request.body) }
  }, async (request, reply) => {
    // request.body is the bundle as parsed where the imports run (or none); the schema above is its contract.
    const report = await app.runtime.imports.run(request.body, actorOf(request.key), {
      mode: request.query.mode ?? 'upsert', dryRun: request.query.dryRun ?? false, role: request.key!.role
    })
    if (report.revision !== null) reply.header('x-revision', String(report.revision))
    return report
  })
}

export default bulkRoutes
