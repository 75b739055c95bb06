// Refuses the work the process cannot do well, with 503 and Retry-After: while it is overloaded (event-loop delay,
// heap or resident memory past their limits, sampled on a timer) and once it has begun to close.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { getHeapStatistics } from 'node:v8'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { ProblemError } from '../errors.js'
import { RecurringFailure } from '../recurring-failure.js'

export type LoadSheddingOptions = Pick<Config, 'maxEventLoopDelayMs' | 'maxHeapUsedBytes' | 'maxRssBytes' | 'pressureSampleMs' | 'overloadRetryAfterSeconds'>

/** The last sample of the process. */
export interface PressureSample {
  /** Mean event-loop delay over the sample, in ms, beyond the histogram's resolution; Infinity if the loop never turned. */
  eventLoopDelay: number
  heapUsed: number
  /** 0 while resident memory is not checked. */
  rssBytes: number
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The last sample of the process. */
    memoryUsage: () => PressureSample
    /** Whether requests are being refused for overload. */
    isUnderPressure: () => boolean
  }
}

/** How long after the start a lagging event loop is not taken for overload (see below). */
const STARTUP_GRACE_MS = 5000

/** A closing process is restarted or replaced within seconds. */
export const CLOSING_RETRY_AFTER_SECONDS = 5

/** The event-loop delay histogram's resolution in ms, taken off its mean. */
const RESOLUTION_MS = 10

async function loadShedding (app: FastifyInstance, opts: { config: LoadSheddingOptions }): Promise<void> {
  const { config } = opts
  // One error answers every refused request: under overload, no stack is captured per request.
  const overloaded = new ProblemError('WHODECIDES_ERR_OVERLOADED', 'The service is overloaded; retry after the seconds in Retry-After')

  // The first seconds cover the start itself (compiling the routes' schemas, loading the decider index: seconds of
  // blocking on a large registry, then the collector's first full passes over it), which is not overload:
  // event-loop delay counts from STARTUP_GRACE_MS (or two samples, if longer) after the app is ready and, when it
  // listens, listening.
  let delayCountsFrom = Infinity
  const startGrace = (done: () => void): void => { delayCountsFrom = Date.now() + Math.max(STARTUP_GRACE_MS, 2 * config.pressureSampleMs); done() }
  app.addHook('onReady', startGrace)
  app.addHook('onListen', startGrace)

  // The sampler runs on a timer, where a throw would end the process: it must never throw. The heap comes from V8,
  // which needs no system call; resident memory is read from /proc (a descriptor: it fails once they run out) only
  // while it is checked, and a failed read keeps the last value.
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  histogram.enable()
  let sample: PressureSample = { eventLoopDelay: 0, heapUsed: 0, rssBytes: 0 }
  const sampleFailures = new RecurringFailure(app.log, 'cannot sample the process for the overload check; the last sample stands')
  const takeSample = (): void => {
    const mean = histogram.mean / 1e6
    histogram.reset()
    let { rssBytes } = sample
    if (config.maxRssBytes > 0) {
      try { rssBytes = process.memoryUsage.rss() } catch (err) { sampleFailures.record(err) }
    }
    sample = { eventLoopDelay: Number.isNaN(mean) ? Infinity : Math.max(0, mean - RESOLUTION_MS), heapUsed: getHeapStatistics().used_heap_size, rssBytes }
  }
  const overloadedNow = (): boolean =>
    (config.maxEventLoopDelayMs > 0 && sample.eventLoopDelay > config.maxEventLoopDelayMs && Date.now() >= delayCountsFrom) ||
    (config.maxHeapUsedBytes > 0 && sample.heapUsed > config.maxHeapUsedBytes) ||
    (config.maxRssBytes > 0 && sample.rssBytes > config.maxRssBytes)

  // What every request is refused with, if anything: decided once a sample and at the close, read once a request.
  let refusal: 'overloaded' | 'closing' | undefined
  const timer = setInterval(() => {
    try {
      takeSample()
      if (refusal !== 'closing') refusal = overloadedNow() ? 'overloaded' : undefined
    } catch (err) {
      sampleFailures.record(err)
    }
  }, config.pressureSampleMs)
  timer.unref()
  app.decorate('memoryUsage', () => sample)
  app.decorate('isUnderPressure', () => refusal === 'overloaded')

  // Requests already past this hook when the close begins run to their end; Fastify's own answer while closing is a
  // plain 503 (return503OnClosing, turned off in app.ts), so this one gives problem details.
  app.addHook('preClose', (done) => { refusal = 'closing'; done() })
  app.addHook('onClose', (instance, done) => { clearInterval(timer); histogram.disable(); done() })
  app.addHook('onRequest', (request, reply, done) => {
    if (refusal === undefined) return done()
    if (refusal === 'overloaded') {
      reply.header('retry-after', config.overloadRetryAfterSeconds)
      return done(overloaded)
    }
    reply.header('retry-after', CLOSING_RETRY_AFTER_SECONDS).header('connection', 'close')
    done(new ProblemError('WHODECIDES_ERR_SHUTTING_DOWN', 'The service is shutting down; retry in a few seconds'))
  })
  // Node closes the connections idle when the close begins, but one whose request was in flight would stay open for
  // keepAliveTimeout after its answer, and hold the close up that long: its answer tells the client to hang up.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (refusal === 'closing') reply.header('connection', 'close')
    done(null, payload)
  })
}

export default fp(loadShedding, { name: 'load-shedding' })
