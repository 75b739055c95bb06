// GET /health: public, 200 while the database answers, 503 when it does not; says whether caveats are judged ahead.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { isReachable } from '../store/connection.js'
import { ProblemError } from '../errors.js'
import { problems } from '../schemas/common.js'

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    schema: {
      operationId: 'getHealth', tags: ['service'], summary: 'Liveness and database reachability', security: [],
      response: {
        200: Type.Object({
          status: Type.Literal('ok'),
          database: Type.Literal('reachable'),
          caveats: Type.Union([Type.Literal('warming'), Type.Literal('warm'), Type.Literal('on-lookup')], {
            description: "'warm': every initiative's and domain's caveats were judged ahead of lookups since start; 'warming': not yet " +
              "(a first lookup judges them, slower); 'on-lookup': not judged ahead (WHODECIDES_CAVEATS_WARM=false)."
          })
        }, { examples: [{ status: 'ok', database: 'reachable', caveats: 'warm' }] }),
        ...problems(503)
      }
    }
  }, async () => {
    if (!isReachable(app.runtime.db)) throw new ProblemError('WHODECIDES_ERR_UNAVAILABLE', 'The database does not answer')
    return { status: 'ok' as const, database: 'reachable' as const, caveats: app.runtime.caveatWarmer?.state ?? 'on-lookup' as const }
  })
}

export default healthRoutes
