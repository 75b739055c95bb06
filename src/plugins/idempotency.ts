// Idempotency-Key on every POST under /v1 (IETF draft): a retry replays the first answer instead of writing again.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import Type, { type TSchema } from 'typebox'
import { now } from '../clock.js'
import { invalidField, ProblemError } from '../errors.js'
import { IDEMPOTENCY_KEY_PATTERN, IdempotencyKeyHeaders, problems } from '../schemas/common.js'
import {
  claimIdempotencyKey, completeIdempotencyKey, releaseAbandonedClaims, releaseIdempotencyKey,
  type IdempotentRequest, type StoredAnswer
} from '../services/idempotency.js'
import { requestFingerprint } from '../services/request-fingerprint.js'

const HEADER = 'idempotency-key'
const KEY = new RegExp(IDEMPOTENCY_KEY_PATTERN, 'u')
const MAX_KEY_LENGTH = 255

/** The headers of an answer that a replay repeats; the rest (date, x-request-id) belong to the request that gets it. */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag', 'x-revision', 'cache-control', 'link'] as const

type Hook = (...args: any[]) => unknown
type Responses = Record<string, { description?: string } & Record<string, unknown>>

/** What 409 and 422 also mean on a route that takes the header. */
const KEY_PROBLEMS = {
  409: 'a request with the same Idempotency-Key is still in progress',
  422: 'the Idempotency-Key was already used for a different request'
} as const

/** The route's responses with 409 and 422 added, or their descriptions extended where the route has them already. */
function withKeyProblems (responses: Responses | undefined): Responses {
  const result: Responses = { ...responses }
  const added = problems(409, 422) as unknown as Responses
  for (const [status, meaning] of Object.entries(KEY_PROBLEMS)) {
    const own = result[status]
    result[status] = own === undefined
      ? { ...added[status], description: meaning.charAt(0).toUpperCase() + meaning.slice(1) }
      : { ...own, description: `${own.description ?? 'Problem'}; or ${meaning}` }
  }
  return result
}

/** Every POST under /v1 takes the header, whatever it does (create, import, run an audit, resolve deciders). */
const takesKey = (route: RouteOptions): boolean =>
  [route.method].flat().includes('POST') && route.url.startsWith('/v1/')

/** The key a valid header carries, without its quotes: "abc" and abc are the same key. */
function parseKey (value: string | string[]): string | ProblemError {
  const refuse = (message: string): ProblemError => invalidField(`/${HEADER}`, message, 'headers')
  if (Array.isArray(value)) return refuse('must be sent once')
  if (KEY.test(value)) return value.startsWith('"') ? value.slice(1, -1).replace(/\\(["\\])/g, '$1') : value
  if (value === '' || value === '""') return refuse('must not be empty')
  if (value.replace(/^"(.*)"$/, '$1').length > MAX_KEY_LENGTH) return refuse(`must be at most ${MAX_KEY_LENGTH} characters long`)
  return refuse('must be printable ASCII characters without spaces, or one double-quoted string (send the header once)')
}

/** The bearer token the auth plugin accepted: the secret that seals answers only this caller may see again. */
const bearerToken = (request: FastifyRequest): string => /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? ''

function answerOf (reply: FastifyReply, payload: unknown): StoredAnswer | undefined {
  const body = typeof payload === 'string' ? Buffer.from(payload) : Buffer.isBuffer(payload) ? payload : payload == null ? Buffer.alloc(0) : undefined
  if (body === undefined) return undefined // a stream: nothing to store
  const headers: Record<string, string> = {}
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name)
    if (typeof value === 'string' || typeof value === 'number') headers[name] = String(value)
  }
  return { status: reply.statusCode, headers, body }
}

function replay (reply: FastifyReply, answer: StoredAnswer): void {
  reply.code(answer.status)
  for (const [name, value] of Object.entries(answer.headers)) reply.header(name, value)
  reply.header('idempotent-replayed', 'true').send(answer.body)
}

async function idempotency (app: FastifyInstance): Promise<void> {
  const released = releaseAbandonedClaims(app.runtime.db)
  if (released > 0) app.log.warn({ released }, 'released the Idempotency-Keys of requests in flight when the service last stopped')

  const keys = new WeakMap<FastifyRequest, string>()
  const claims = new WeakMap<FastifyRequest, { claim: IdempotentRequest, token: string }>()

  // Before body validation, so that a malformed key is named in plain words rather than by its pattern.
  function checkKey (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
    const value = request.headers[HEADER]
    if (value === undefined) return done()
    const key = parseKey(value)
    if (key instanceof ProblemError) return done(key)
    keys.set(request, key)
    done()
  }

  // The last step before the handler: a request refused earlier (auth, validation) never takes the key.
  function claimKey (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void {
    const idempotencyKey = keys.get(request)
    if (idempotencyKey === undefined || request.key === null) return done()
    // The claim, the write and the stored answer run at once on this connection, in SQLite's busy handler if another
    // holds the write lock: behind an import (seconds, in the import process) every request would wait with them.
    if (app.runtime.imports.applying) {
      app.runtime.imports.idle().then(() => { claimKey(request, reply, done) }, done)
      return
    }
    try {
      const claim: IdempotentRequest = {
        keyId: request.key.id,
        idempotencyKey,
        fingerprint: requestFingerprint({ method: request.method, path: request.url.split('?')[0] ?? '', query: request.query, body: request.body })
      }
      const token = bearerToken(request)
      const result = claimIdempotencyKey(app.runtime.db, claim, token, now())
      if (result.outcome === 'claimed') {
        claims.set(request, { claim, token })
        return done()
      }
      if (result.outcome === 'replay') return replay(reply, result.answer) // answered: done is not called
      if (result.outcome === 'in_progress') {
        reply.header('retry-after', '1')
        return done(new ProblemError('WHODECIDES_ERR_IDEMPOTENCY_KEY_IN_PROGRESS',
          'The first request with this Idempotency-Key is still being answered; retry shortly to get its answer'))
      }
      done(new ProblemError('WHODECIDES_ERR_IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used within the last 24 hours for a different request (method, path, query or body); use a new key for a new request',
        { errors: [{ in: 'headers', path: `/${HEADER}`, message: 'was already used for a different request' }] }))
    } catch (error) {
      done(error as Error)
    }
  }

  /**
   * Stores the answer when it is sent: a 2xx, or a 4xx the handler gave, is the operation's outcome and is replayed
   * (the draft: "the result of the previously completed operation, success or an error"). A 5xx is not: every write
   * is one transaction, so a failed request wrote nothing, and its retry runs afresh.
   */
  function storeAnswer (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void): void {
    const pending = claims.get(request)
    if (pending !== undefined) {
      claims.delete(request)
      try {
        const answer = answerOf(reply, payload)
        if (answer === undefined || answer.status >= 500) {
          releaseIdempotencyKey(app.runtime.db, pending.claim)
        } else {
          const noStore = /\bno-store\b/i.test(answer.headers['cache-control'] ?? '')
          completeIdempotencyKey(app.runtime.db, pending.claim, answer, noStore ? pending.token : undefined)
        }
      } catch (error) {
        // The answer still goes out; the key is given back so that a retry is not refused as in progress for a day.
        request.log.error({ err: error }, 'could not store the answer of an Idempotency-Key request')
        try { releaseIdempotencyKey(app.runtime.db, pending.claim) } catch { /* the log line above says enough */ }
      }
    }
    done(null, payload)
  }

  // A request whose answer never went through onSend (an error in an earlier onSend hook) gives its key back.
  function releaseUnanswered (request: FastifyRequest, _reply: FastifyReply, done: () => void): void {
    const pending = claims.get(request)
    if (pending !== undefined) {
      claims.delete(request)
      try { releaseIdempotencyKey(app.runtime.db, pending.claim) } catch (error) { request.log.error({ err: error }, 'could not release an Idempotency-Key') }
    }
    done()
  }

  const hooks = (existing: unknown, hook: Hook): Hook[] => [...[existing ?? []].flat() as Hook[], hook]

  // Route-level hooks, added to the POST routes only: the reads, the bulk of the traffic, do not pay for them.
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!takesKey(route)) return
    const schema = route.schema ?? {}
    const headers = schema.headers as { properties?: Record<string, TSchema> } | undefined
    route.schema = {
      ...schema,
      headers: headers === undefined ? IdempotencyKeyHeaders : Type.Object({ ...headers.properties, ...IdempotencyKeyHeaders.properties }),
      response: withKeyProblems(schema.response as Responses | undefined)
    }
    route.preValidation = hooks(route.preValidation, checkKey) as RouteOptions['preValidation']
    route.preHandler = hooks(route.preHandler, claimKey) as RouteOptions['preHandler']
    route.onSend = hooks(route.onSend, storeAnswer) as RouteOptions['onSend']
    route.onResponse = hooks(route.onResponse, releaseUnanswered) as RouteOptions['onResponse']
  })
}

export default fp(idempotency, { name: 'idempotency', dependencies: ['db', 'auth'] })
