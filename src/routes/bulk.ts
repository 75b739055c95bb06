// Routes of the bundle and the spreadsheets: GET /v1/export, GET /v1/raci (the RACI matrix as JSON, CSV or XLSX) and
// POST /v1/import (a bundle, a RACI matrix or people: atomic, with a dry run).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify'
import Type, { type TSchema } from 'typebox'
import { invalidField } from '../errors.js'
import { actorOf } from '../plugins/auth.js'
import { BundleSchema, ImportBundleSchema, ImportReportSchema } from '../schemas/bundle.js'
import { access, problems } from '../schemas/common.js'
import { CSV_MEDIA_TYPE, ImportFileQuery, RaciMatrixQuery, RaciMatrixSchema, SpreadsheetFile, SpreadsheetImportReportSchema, XLSX_MEDIA_TYPE } from '../schemas/spreadsheets.js'
import { validatorCompiler } from '../schemas/validator.js'
import { exportBundle } from '../services/export.js'
import { raciMatrixFile, raciMatrixView } from '../services/spreadsheets/raci-export.js'
import type { ImportReport } from '../services/import.js'
import { SpreadsheetBody, type SpreadsheetImportReport } from '../services/spreadsheets/spreadsheet-import.js'
import { readSpreadsheetBody, replyFormat } from './spreadsheet-bodies.js'

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
  // A spreadsheet is read (within its own limit, said in the refusal) and kept as bytes until the import reads it.
  for (const [type, format] of [[CSV_MEDIA_TYPE, 'csv'], [XLSX_MEDIA_TYPE, 'xlsx']] as const) {
    app.addContentTypeParser(type, async (request: FastifyRequest, payload: FastifyRequest['raw']) =>
      new SpreadsheetBody(await readSpreadsheetBody(request, payload), format, request.headers['idempotency-key'] !== undefined))
  }

  app.get('/export', {
    config: { allow: access.read },
    schema: { operationId: 'exportBundle', tags, summary: 'The whole registry as one bundle', response: { 200: BundleSchema, ...problems() } }
  }, async () => exportBundle(app.runtime.db))

  app.get('/raci', {
    config: { allow: access.read },
    schema: {
      operationId: 'exportRaciMatrix', tags,
      summary: 'The organization-wide RACI matrix, problem cells marked: JSON, CSV or XLSX by Accept or ?format=',
      querystring: RaciMatrixQuery,
      response: {
        200: {
          description: 'The matrix; the XLSX form fills and comments problem cells and lists the findings on a second sheet',
          content: {
            'application/json': { schema: RaciMatrixSchema },
            [CSV_MEDIA_TYPE]: { schema: SpreadsheetFile('csv', 'UTF-8 with a BOM: the initiative, Domain and Decision rule columns, then one column per person (email)') },
            [XLSX_MEDIA_TYPE]: { schema: SpreadsheetFile('xlsx', 'Sheet RACI (problem cells filled and commented), sheet Findings') }
          }
        } as unknown as TSchema,
        ...problems(404)
      }
    }
  }, async (request, reply) => {
    const { format: asked, ...options } = request.query
    const format = replyFormat(asked, request.headers.accept)
    if (format === 'json') return raciMatrixView(app.runtime.db, options)
    const file = await raciMatrixFile(app.runtime.db, { ...options, format })
    return await reply.type(file.type).header('content-disposition', `attachment; filename="${file.name}"`).send(file.bytes)
  })

  app.post('/import', {
    config: { allow: access.edit },
    bodyLimit: opts.importBodyLimit,
    validatorCompiler: rowsCheckedByTheService,
    schema: {
      operationId: 'importBundle', tags,
      summary: 'Apply a bundle, a RACI matrix or a people file atomically: upserts by id (or natural key), ?mode=replace removes the rest (bundles), ?dryRun=true writes nothing',
      querystring: ImportFileQuery,
      body: {
        content: {
          'application/json': { schema: ImportBundleSchema },
          [CSV_MEDIA_TYPE]: { schema: SpreadsheetFile('csv', 'A RACI matrix (first column the initiative, one column per person) or people (a header naming an email column), at most 50 MB') },
          [XLSX_MEDIA_TYPE]: { schema: SpreadsheetFile('xlsx', 'A RACI matrix on the first sheet, at most 50 MB') }
        }
      } as unknown as typeof ImportBundleSchema,
      response: { 200: Type.Union([ImportReportSchema, SpreadsheetImportReportSchema]), ...problems(409, 413, 415, 422) }
    },
    // An Idempotency-Key is claimed (a write on the request thread, the hook after this one) once the imports before
    // have answered: not while one of them holds the write lock, which the claim would wait for with every request.
    preHandler: async (request) => { if (request.headers['idempotency-key'] !== undefined) await app.runtime.imports.idle() },
    // A body parsed for a request that ends without its import (refused, replayed, aborted) is let go of.
    onResponse: async (request) => { app.runtime.imports.release(request.body) },
    onRequestAbort: async (request) => { app.runtime.imports.release(request.body) }
  }, async (request, reply) => {
    const { kind, ...query } = request.query
    const actor = actorOf(request.key)
    const options = { dryRun: query.dryRun ?? false, role: request.key!.role }
    let report: ImportReport | SpreadsheetImportReport
    if (request.body instanceof SpreadsheetBody) {
      if (query.mode === 'replace') throw invalidField('/mode', 'replace applies to bundles: a spreadsheet is imported as upserts, and ends only the roles it clears', 'query')
      const { bytes, format } = request.body
      report = await app.runtime.imports.runFile(bytes, actor, { ...options, format, ...(kind === undefined ? {} : { kind }) })
    } else {
      // request.body is the bundle as parsed where the imports run (or none); the schema above is its contract.
      report = await app.runtime.imports.run(request.body, actor, { ...options, mode: query.mode ?? 'upsert' })
    }
    if (report.revision !== null) reply.header('x-revision', String(report.revision))
    return report
  })
}

export default bulkRoutes
