// Route of /v1/changes (auditor, admin): the change log, paged in revision order.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ChangeSchema, ChangesQuery } from '../schemas/changes.js'
import { access, Page, problems } from '../schemas/common.js'
import { listChanges } from '../services/changes.js'

const changesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/changes', {
    config: { allow: access.audit },
    schema: {
      operationId: 'listChanges', tags: ['changes'], summary: 'Change-log entries after a revision, oldest first, filtered by collection and record',
      querystring: ChangesQuery, response: { 200: Page(ChangeSchema), ...problems() }
    }
  }, async (request) => listChanges(app.runtime.db, request.query))
}

export default changesRoutes
