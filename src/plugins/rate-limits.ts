// Per-key rate limits: each API key, or the IP address of a request without one, has a budget of requests per
// window across all routes; past it, 429 with Retry-After until the window ends. Answers say what is left.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { ProblemError } from '../errors.js'
import { FixedWindows } from './fixed-windows.js'

async function rateLimits (app: FastifyInstance, opts: { config: Pick<Config, 'rateLimit' | 'rateLimitWindowMs'> }): Promise<void> {
  const { rateLimit: max, rateLimitWindowMs } = opts.config
  const windows = new FixedWindows(max, rateLimitWindowMs)
  // A synchronous hook after the auth plugin's, which has set request.key by then. (@fastify/rate-limit did the
  // same with a chain of promises per request: it cost more than the who-decides lookup it guarded.)
  app.addHook('onRequest', (request, reply, done) => {
    const key = request.key
    const { count, secondsLeft } = windows.hit(key === null ? `address ${request.ip}` : key.id)
    reply.headers({ 'x-ratelimit-limit': max, 'x-ratelimit-remaining': Math.max(0, max - count), 'x-ratelimit-reset': secondsLeft })
    if (count <= max) return done()
    reply.header('retry-after', secondsLeft)
    done(new ProblemError('WHODECIDES_ERR_RATE_LIMITED',
      `More than ${max} requests ${key === null ? 'from this address' : 'with this API key'} within ${rateLimitWindowMs / 1000} s; retry in ${secondsLeft} s`))
  })
}

export default fp(rateLimits, { name: 'rate-limits', dependencies: ['auth'] })
