// Headers on every answer: the request id and the security headers @fastify/helmet chooses, worked out once at start,
// then set by one synchronous hook — and by the answers that come before any hook (app.ts, problem-details.ts).
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ProblemError } from '../errors.js'

/**
 * The API answers JSON only: nothing in an answer may load, run or be framed. The headers that only mean something
 * for an HTML page (opener and agent-cluster isolation, DNS prefetch, download and XSS-filter switches, Flash and PDF
 * policies) are left to /docs: on every JSON answer they would be bytes that no client reads.
 */
export const API_HELMET_OPTIONS: FastifyHelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  xFrameOptions: { action: 'deny' },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false
}

/** The page at /docs: every helmet default; its Content-Security-Policy is DOCS_CSP, set by the OpenAPI plugin. */
export const DOCS_HELMET_OPTIONS: FastifyHelmetOptions = { contentSecurityPolicy: false, xFrameOptions: { action: 'deny' } }

/** The headers one answer carries from a throw-away app: with helmet, less those Fastify sets by itself. */
async function probe (options: FastifyHelmetOptions | null): Promise<Record<string, string>> {
  const app = Fastify({ logger: false })
  if (options !== null) await app.register(helmet, options)
  app.get('/', async () => ({}))
  const res = await app.inject('/')
  await app.close()
  return Object.fromEntries(Object.entries(res.headers).map(([name, value]) => [name, String(value)]))
}

export async function helmetHeaders (options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const [bare, withHelmet] = await Promise.all([probe(null), probe(options)])
  return Object.fromEntries(Object.entries(withHelmet).filter(([name]) => !(name in bare)))
}

/** The API's security headers: as an object for a reply, and as header lines for an answer written to the connection. */
export interface SecurityHeaders {
  readonly record: Readonly<Record<string, string>>
  readonly lines: string
}

export async function apiSecurityHeaders (): Promise<SecurityHeaders> {
  const record = await helmetHeaders(API_HELMET_OPTIONS)
  return { record, lines: Object.entries(record).map(([name, value]) => `${name}: ${value}\r\n`).join('') }
}

/** Sets what every answer to a request carries: its id (before anything can fail, so problem answers carry it too) and the security headers. */
export const stampAnswer = (headers: SecurityHeaders) => (request: FastifyRequest, reply: FastifyReply): void => {
  reply.header('x-request-id', request.id).headers(headers.record)
}

async function securityHeaders (app: FastifyInstance, opts: { headers: SecurityHeaders }): Promise<void> {
  // The headers never change: set as data on every answer, not rebuilt per request (as @fastify/helmet's middleware
  // would be). Why: docs/performance.md.
  const stamp = stampAnswer(opts.headers)
  // Node refuses an HTTP/1.1 request without Host itself, with a bare 400 (requireHostHeader, turned off in app.ts);
  // refused here, its answer is problem details with these headers.
  const noHost = new ProblemError('WHODECIDES_ERR_VALIDATION', 'An HTTP/1.1 request must have a Host header',
    { errors: [{ in: 'headers', path: '/host', message: 'is required' }] })
  app.addHook('onRequest', (request, reply, done) => {
    stamp(request, reply)
    const raw = request.raw
    if (raw.headers.host === undefined && raw.httpVersionMinor === 1 && raw.httpVersionMajor === 1) return done(noHost)
    done()
  })
}

export default fp(securityHeaders, { name: 'security-headers' })
