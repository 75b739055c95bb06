// What a log line says of a request: Fastify's fields, with the value of any query parameter that may carry a secret redacted.
import type { FastifyRequest } from 'fastify'

const CENSOR = '[redacted]'

/**
 * A parameter name that may carry a secret, compared lowercased without separators: token, access_token, api_key,
 * apikey, X-Api-Key, key, authorization, auth, secret, password… A name that merely contains one of these is
 * redacted too: a harmless value lost from a log line costs less than a key kept in one. No query parameter of the
 * API has such a name.
 */
const SECRET_NAME = /token|key|secret|passw|credential|^auth|authorization/

function isSecretName (raw: string): boolean {
  let name = raw.replaceAll('+', ' ')
  try {
    name = decodeURIComponent(name)
  } catch {
    // Not valid percent-encoding: judged as it came.
  }
  return SECRET_NAME.test(name.toLowerCase().replace(/[^a-z0-9]/g, ''))
}

/** The URL with the values of secret-looking query parameters replaced by [redacted]; the rest kept byte for byte. */
export function redactUrl (url: string): string {
  const query = url.indexOf('?')
  if (query === -1) return url
  const pairs = url.slice(query + 1).split('&').map((pair) => {
    const equals = pair.indexOf('=')
    return equals !== -1 && isSecretName(pair.slice(0, equals)) ? `${pair.slice(0, equals + 1)}${CENSOR}` : pair
  })
  return `${url.slice(0, query + 1)}${pairs.join('&')}`
}

/**
 * Fastify's own request serializer (the same fields) but for the URL, redacted. Whatever a line logs as `req` comes
 * here, a request or not: a field that is missing stays undefined, as in Fastify's.
 */
export function serializeRequest (request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: typeof request.url === 'string' ? redactUrl(request.url) : request.url,
    version: request.headers?.['accept-version'],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort
  }
}
