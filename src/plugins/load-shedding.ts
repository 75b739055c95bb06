// Refuses the work the process cannot do well, with 503 and Retry-After: while it is overloaded (event-loop delay,
// heap or resident memory past their limits, sampled by @fastify/under-pressure) and once it has begun to close.
import underPressure from '@fastify/under-pressure'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { ProblemError } from '../errors.js'

export type LoadSheddingOptions = Pick<Config, 'maxEventLoopDelayMs' | 'maxHeapUsedBytes' | 'maxRssBytes' | 'pressureSampleMs' | 'overloadRetryAfterSeconds'>

/** How long after the start a lagging event loop is not taken for overload (see below). */
const STARTUP_GRACE_MS = 5000

/** A closing process is restarted or replaced within seconds. */
export const CLOSING_RETRY_AFTER_SECONDS = 5

async function loadShedding (app: FastifyInstance, opts: { config: LoadSheddingOptions }): Promise<void> {
  const { config } = opts
  // Requests already past this hook when the close begins run to their end; Fastify's own answer while closing is a
  // plain 503 (return503OnClosing, turned off in app.ts), so this one gives problem details.
  let closing = false
  app.addHook('preClose', (done) => { closing = true; done() })
  app.addHook('onRequest', (request, reply, done) => {
    if (!closing) return done()
    reply.header('retry-after', CLOSING_RETRY_AFTER_SECONDS).header('connection', 'close')
    done(new ProblemError('WHODECIDES_ERR_SHUTTING_DOWN', 'The service is shutting down; retry in a few seconds'))
  })
  // Node closes the connections idle when the close begins, but one whose request was in flight would stay open for
  // keepAliveTimeout after its answer, and hold the close up that long: its answer tells the client to hang up.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })

  // The first seconds cover the start itself (compiling the routes' schemas, loading the decider index: seconds of
  // blocking on a large registry, then the collector's first full passes over it), which is not overload:
  // event-loop delay counts from STARTUP_GRACE_MS (or two samples, if longer) after the app is ready and, when it
  // listens, listening.
  let delayCountsFrom = Infinity
  const startGrace = (done: () => void): void => { delayCountsFrom = Date.now() + Math.max(STARTUP_GRACE_MS, 2 * config.pressureSampleMs); done() }
  app.addHook('onReady', startGrace)
  app.addHook('onListen', startGrace)
  // One error answers every refused request: under overload, no stack is captured per request.
  const overloaded = new ProblemError('WHODECIDES_ERR_OVERLOADED', 'The service is overloaded; retry after the seconds in Retry-After')

  // Event-loop utilization is left out: a process serving at full speed is near 1 without being overloaded, while
  // the event-loop delay grows only once requests queue up.
  await app.register(underPressure, {
    maxEventLoopDelay: config.maxEventLoopDelayMs,
    maxHeapUsedBytes: config.maxHeapUsedBytes,
    maxRssBytes: config.maxRssBytes,
    sampleInterval: config.pressureSampleMs,
    // Called only while a limit is passed: undefined lets the request through; a rejection answers it with the error.
    pressureHandler: async (request, reply, type) => {
      if (type === underPressure.TYPE_EVENT_LOOP_DELAY && Date.now() < delayCountsFrom) return
      reply.header('retry-after', config.overloadRetryAfterSeconds)
      throw overloaded
    }
  })
}

export default fp(loadShedding, { name: 'load-shedding' })
