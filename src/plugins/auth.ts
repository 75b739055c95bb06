// Bearer-key authentication, with a limit on refused keys per address, and role checks for every /v1 route (config.allow).
import type { FastifyInstance, FastifyReply, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { defaultConfig } from '../config.js'
import { ProblemError } from '../errors.js'
import type { Role } from '../schemas/common.js'
import type { AuthenticatedKey } from '../services/keys.js'
import type { Actor } from '../store/change-log.js'
import { FixedWindows } from './fixed-windows.js'

export interface AuthOptions {
  /** Refused bearer tokens an IP address may send per window before its bearer requests get 429 unchecked. */
  failureLimit: number
  failureWindowMs: number
}

/** One route as the role checks see it: allow is null for a public route (outside /v1). */
export interface RouteAccessEntry {
  method: string
  url: string
  allow: readonly Role[] | null
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The key roles allowed to call this route; required under /v1, where a route without it fails the start. */
    allow?: readonly Role[]
  }
  interface FastifyRequest {
    key: AuthenticatedKey | null
  }
  interface FastifyInstance {
    /** Every route with the roles it allows, in registration order: what the role-matrix test walks. */
    readonly routeAccess: readonly RouteAccessEntry[]
  }
}

/** The change-log actor of an authenticated request. */
export const actorOf = (key: AuthenticatedKey | null): Actor =>
  key === null ? { keyId: null, label: 'anonymous' } : { keyId: key.id, label: key.label }

// The auth scheme is case-insensitive (RFC 9110); the token is one run of visible ASCII characters.
const BEARER = /^Bearer +([\x21-\x7e]{1,512})$/i

const isProtected = (url: string): boolean => url === '/v1' || url.startsWith('/v1/')

export class RouteWithoutAccessError extends Error {
  override name = 'RouteWithoutAccessError'
}

function unauthenticated (reply: FastifyReply, tokenSent: boolean): ProblemError {
  // RFC 6750: name the realm, and say when a bearer token was sent but refused.
  reply.header('www-authenticate', tokenSent ? 'Bearer realm="whodecides", error="invalid_token"' : 'Bearer realm="whodecides"')
  return new ProblemError('WHODECIDES_ERR_UNAUTHENTICATED', tokenSent
    ? 'The API key is unknown or revoked'
    : 'Send a live API key as "Authorization: Bearer <key>"')
}

function tooManyFailures (reply: FastifyReply, seconds: number): ProblemError {
  reply.header('retry-after', seconds)
  return new ProblemError('WHODECIDES_ERR_TOO_MANY_AUTH_FAILURES', `Too many refused API keys from this address; retry in ${seconds} s`)
}

async function auth (app: FastifyInstance, opts: Partial<AuthOptions>): Promise<void> {
  const failureLimit = opts.failureLimit ?? defaultConfig.authFailureLimit
  const failures = new FixedWindows(failureLimit, opts.failureWindowMs ?? defaultConfig.authFailureWindowMs)
  const routeAccess: RouteAccessEntry[] = []
  app.decorate('routeAccess', routeAccess)
  // Fail closed: a /v1 route that forgot to say who may call it stops the service from starting.
  app.addHook('onRoute', (route: RouteOptions) => {
    const allow = route.config?.allow ?? null
    if (allow === null && isProtected(route.url)) {
      throw new RouteWithoutAccessError(`${String(route.method)} ${route.url} declares no config.allow: every /v1 route must list the roles it allows`)
    }
    for (const method of [route.method].flat()) routeAccess.push({ method, url: route.url, allow })
  })

  app.decorateRequest('key', null)
  // A callback hook, not an async one: it runs on every request, and a promise per request is measurable.
  app.addHook('onRequest', (request, reply, done) => {
    const allow = request.routeOptions.config.allow
    if (allow === undefined) return done()
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1]
    if (token !== undefined && failures.any) {
      const wait = failures.retryAfter(request.ip)
      if (wait > 0) return done(tooManyFailures(reply, wait))
    }
    const key = token === undefined ? undefined : app.runtime.keys.authenticate(token)
    if (key === undefined) {
      // Only a token that was sent and refused counts: a missing header costs no lookup and guesses nothing.
      if (token === undefined) return done(unauthenticated(reply, false))
      // Over the limit only when every place is held by an address locked out: a new one cannot be counted, so it waits too.
      const { count, secondsLeft } = failures.hit(request.ip)
      return done(count > failureLimit ? tooManyFailures(reply, secondsLeft) : unauthenticated(reply, true))
    }
    if (!allow.includes(key.role)) {
      return done(new ProblemError('WHODECIDES_ERR_FORBIDDEN', `A ${key.role} key may not ${request.method} ${request.routeOptions.url ?? ''}; allowed: ${allow.join(', ')}`))
    }
    request.key = key
    done()
  })
}

export default fp(auth, { name: 'auth', dependencies: ['db'] })
