// Caps the connections open at once, so that clients cannot take every file descriptor: past the cap a new connection is
// answered 503 and closed before Node's HTTP parser sees it. A failure to accept a connection is logged, never fatal.
import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { connectionsWithin, descriptorLimit } from '../descriptor-limit.js'
import { ProblemError } from '../errors.js'
import { RecurringFailure } from '../recurring-failure.js'
import { answerAndClose, rawProblem } from './problem-details.js'
import type { SecurityHeaders } from './security-headers.js'

export interface ConnectionLimitOptions {
  config: Pick<Config, 'maxConnections' | 'overloadRetryAfterSeconds'>
  headers: SecurityHeaders
}

async function connectionLimit (app: FastifyInstance, opts: ConnectionLimitOptions): Promise<void> {
  const { maxConnections: max, overloadRetryAfterSeconds } = opts.config
  const server = app.server

  // Accepting fails once descriptors have run out all the same (the cap above what the limit allows, other files
  // open): libuv then closes the waiting connections itself, and the server emits 'error', which without a listener
  // would end the process. After the listen only: an address in use must still fail the start.
  const acceptFailures = new RecurringFailure(app.log, 'cannot accept connections')
  app.addHook('onListen', (done) => {
    server.on('error', (err) => { acceptFailures.record(err) })
    done()
  })
  if (max === 0) return

  const limit = descriptorLimit()
  if (max > connectionsWithin(limit)) {
    app.log.warn({ maxConnections: max, descriptorLimit: limit },
      'WHODECIDES_MAX_CONNECTIONS leaves too few file descriptors for the service\'s own files: raise the limit (ulimit -n) or lower the cap')
  }

  const refusal = new ProblemError('WHODECIDES_ERR_OVERLOADED',
    `The service has ${max} connections open, as many as it takes; retry after the seconds in Retry-After`)
  const retryAfter = `retry-after: ${overloadRetryAfterSeconds}\r\n`
  const refusals = new RecurringFailure(app.log, 'refusing connections: as many are open as WHODECIDES_MAX_CONNECTIONS allows', 'warn')

  // Node's HTTP server takes a connection in its own 'connection' listener: this one stands in front of it and hands
  // on only the connections under the cap.
  const serve = server.listeners('connection') as Array<(this: typeof server, socket: Socket) => void>
  if (serve.length === 0) throw new Error('the HTTP server has no connection listener to put the cap in front of')
  server.removeAllListeners('connection')
  let open = 0
  server.on('connection', (socket: Socket) => {
    if (open >= max) {
      socket.on('error', () => { /* the client hung up first: nothing to answer */ })
      refusals.record()
      answerAndClose(socket, rawProblem(refusal, opts.headers, randomUUID(), retryAfter))
      return
    }
    open++
    socket.once('close', () => { open-- })
    for (const listener of serve) listener.call(server, socket)
  })
}

export default fp(connectionLimit, { name: 'connection-limit' })
