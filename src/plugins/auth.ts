// Bearer-key authentication and role checks for every /v1 route; each route lists its roles in config.allow.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { ProblemError } from '../errors.js'
import type { Role } from '../schemas/common.js'
import { authenticate, type AuthenticatedKey } from '../services/keys.js'
import type { Actor } from '../services/change-log.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The key roles allowed to call this route; a route without it is public. */
    allow?: readonly Role[]
  }
  interface FastifyRequest {
    key: AuthenticatedKey | null
  }
}

/** The change-log actor of an authenticated request. */
export const actorOf = (key: AuthenticatedKey | null): Actor =>
  key === null ? { keyId: null, label: 'anonymous' } : { keyId: key.id, label: key.label }

const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/

async function auth (app: FastifyInstance): Promise<void> {
  app.decorateRequest('key', null)
  app.addHook('onRequest', async (request, reply) => {
    const allow = request.routeOptions.config.allow
    if (allow === undefined) return
    const match = BEARER.exec(request.headers.authorization ?? '')
    const key = match?.[1] === undefined ? undefined : authenticate(app.db, match[1])
    if (key === undefined) {
      reply.header('www-authenticate', 'Bearer realm="whodecides"')
      throw new ProblemError('WHODECIDES_ERR_UNAUTHENTICATED', 'Send a live API key as "Authorization: Bearer <key>"')
    }
    if (!allow.includes(key.role)) {
      throw new ProblemError('WHODECIDES_ERR_FORBIDDEN', `A ${key.role} key may not ${request.method} ${request.routeOptions.url ?? ''}; allowed: ${allow.join(', ')}`)
    }
    request.key = key
  })
}

export default fp(auth, { name: 'auth', dependencies: ['db'] })
