// Per-key rate limits (@fastify/rate-limit): each API key, or the IP address of a request without one, has a budget
// of requests per window across all routes; past it, 429 with Retry-After until the window ends.
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { ProblemError } from '../errors.js'

async function rateLimits (app: FastifyInstance, opts: { config: Pick<Config, 'rateLimit' | 'rateLimitWindowMs'> }): Promise<void> {
  const { rateLimit: max, rateLimitWindowMs } = opts.config
  // The plugin adds its check to each route's own onRequest hooks, which run after the application's: by then the
  // auth plugin has set request.key. It sees only routes added after it, so it is registered before them.
  await app.register(rateLimit, {
    max,
    timeWindow: rateLimitWindowMs,
    keyGenerator: (request) => request.key?.id ?? `address ${request.ip}`,
    errorResponseBuilder: (request, context) => new ProblemError('WHODECIDES_ERR_RATE_LIMITED',
      `More than ${context.max} requests ${request.key === null ? 'from this address' : 'with this API key'} within ${rateLimitWindowMs / 1000} s; retry in ${context.after}`)
  })
}

export default fp(rateLimits, { name: 'rate-limits', dependencies: ['auth'] })
