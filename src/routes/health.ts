// GET /health: public, 200 while the database answers, 503 when it does not.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { isReachable } from '../store/connection.js'
import { ProblemError } from '../errors.js'
import { problems } from '../schemas/common.js'

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    schema: {
      operationId: 'getHealth', tags: ['service'], summary: 'Liveness and database reachability', security: [],
      response: { 200: Type.Object({ status: Type.Literal('ok'), database: Type.Literal('reachable') }, { examples: [{ status: 'ok', database: 'reachable' }] }), ...problems(503) }
    }
  }, async () => {
    if (!isReachable(app.runtime.db)) throw new ProblemError('WHODECIDES_ERR_UNAVAILABLE', 'The database does not answer')
    return { status: 'ok' as const, database: 'reachable' as const }
  })
}

export default healthRoutes
