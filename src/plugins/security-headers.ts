// Security headers on every answer: the set @fastify/helmet chooses, worked out once, then set by one synchronous hook.
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet'
import Fastify, { type FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

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

async function securityHeaders (app: FastifyInstance): Promise<void> {
  // Registered as a plugin, @fastify/helmet rebuilds its middleware on every request and writes to the raw response:
  // measured here at 25–40 µs a request, as much as a who-decides lookup. Its headers never change, so set them as data.
  const headers = await helmetHeaders(API_HELMET_OPTIONS)
  app.addHook('onRequest', (request, reply, done) => { reply.headers(headers); done() })
}

export default fp(securityHeaders, { name: 'security-headers' })
