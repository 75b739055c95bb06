// Routes of the bundle: GET /v1/export and POST /v1/import (atomic upsert or replace, with a dry run).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifySchemaCompiler } from 'fastify'
import type { TSchema } from 'typebox'
import { actorOf } from '../plugins/auth.js'
import { BundleSchema, ImportBundleSchema, ImportQuery, ImportReportSchema } from '../schemas/bundle.js'
import { access, problems } from '../schemas/common.js'
import { validatorCompiler } from '../schemas/validator.js'
import { exportBundle } from '../services/export.js'
import { importBundle } from '../services/import.js'

const tags = ['bulk']

// The import checks every row itself, so that one answer can list every invalid row with its collection and index.
const rowsCheckedByTheService: FastifySchemaCompiler<TSchema> = (route) =>
  route.httpPart === 'body' ? (value) => ({ value }) : validatorCompiler(route)

const bulkRoutes: FastifyPluginAsyncTypebox<{ importBodyLimit: number }> = async (app, opts) => {
  app.get('/export', {
    config: { allow: access.read },
    schema: { operationId: 'exportBundle', tags, summary: 'The whole registry as one bundle', response: { 200: BundleSchema, ...problems() } }
  }, async () => exportBundle(app.db))

  app.post('/import', {
    config: { allow: access.edit },
    bodyLimit: opts.importBodyLimit,
    validatorCompiler: rowsCheckedByTheService,
    schema: {
      operationId: 'importBundle', tags,
      summary: 'Apply a bundle atomically: upserts by id (or natural key), ?mode=replace removes the rest, ?dryRun=true writes nothing',
      querystring: ImportQuery, body: ImportBundleSchema,
      response: { 200: ImportReportSchema, ...problems(413, 415, 422) }
    }
  }, async (request, reply) => {
    const report = importBundle(app.db, actorOf(request.key), request.body, { mode: request.query.mode ?? 'upsert', dryRun: request.query.dryRun ?? false })
    if (report.revision !== null) reply.header('x-revision', String(report.revision))
    return report
  })
}

export default bulkRoutes
