// Per-key rate limits: each API key, or the IP address of a request without one, has a budget of requests per
// window across all routes; past it, 429 with Retry-After until the window ends. Answers say what is left.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { ProblemError } from '../errors.js'
import { FixedWindows } from './fixed-windows.js'

async function rateLimits (app: FastifyInstance, opts: { config: Pick<Config, 'rateLimit' | 'rateLimitWindowMs'> }): Promise<void> {
  const { rateLimit: max, rateLimitWindowMs } = opts.config
  // Keys and addresses are counted apart: a key or an address over its budget keeps its place until its window
  // ends, so requests from many addresses may fill the addresses' places, never the keys'.
  const byKey = new FixedWindows(max, rateLimitWindowMs)
  const byAddress = new FixedWindows(max, rateLimitWindowMs)
  // A synchronous hook after the auth plugin's, which has set request.key by then. (@fastify/rate-limit did the
  // same with a chain of promises per request: it cost more than the who-decides lookup it guarded.)
  app.addHook('onRequest', (request, reply, done) => {
    const key = request.key
    const { count, secondsLeft } = key === null ? byAddress.hit(request.ip) : byKey.hit(key.id)
    reply.headers({ 'x-ratelimit-limit': max, 'x-ratelimit-remaining': Math.max(0, max - count), 'x-ratelimit-reset': secondsLeft })
    if (count <= max) return done()
    reply.header('retry-after', secondsLeft)
    const who = key === null ? 'address' : 'API key'
    done(new ProblemError('WHODECIDES_ERR_RATE_LIMITED', count === Infinity
      ? `Every ${who} the service can count is over its budget; a new one waits too: retry in ${secondsLeft} s`
      : `More than ${max} requests ${key === null ? 'from this address' : 'with this API key'} within ${rateLimitWindowMs / 1000} s; retry in ${secondsLeft} s`))
  })
}

export default fp(rateLimits, { name: 'rate-limits', dependencies: ['auth'] })
