// The one error catalogue: every error a client can see, with its code, status and problem title.
/** One offending field, as a JSON Pointer into the part of the request it sits in. */
export interface FieldError {
  in: 'body' | 'query' | 'params' | 'headers'
  path: string
  message: string
}

/** Extra members of a problem document besides type, title, status, detail and code. */
export interface ProblemExtras {
  errors?: FieldError[]
  blockedBy?: { entity: string, id: string }[]
  report?: unknown
}

/** The catalogue: code → HTTP status, short title and the slug of its problem type. */
export const problemCatalogue = {
  WHODECIDES_ERR_VALIDATION: { status: 400, title: 'Invalid request', slug: 'invalid-request' },
  WHODECIDES_ERR_MALFORMED_JSON: { status: 400, title: 'Malformed JSON body', slug: 'malformed-json' },
  WHODECIDES_ERR_UNAUTHENTICATED: { status: 401, title: 'Missing or invalid API key', slug: 'unauthenticated' },
  WHODECIDES_ERR_FORBIDDEN: { status: 403, title: 'Role not allowed', slug: 'forbidden' },
  WHODECIDES_ERR_NOT_FOUND: { status: 404, title: 'Not found', slug: 'not-found' },
  WHODECIDES_ERR_METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed', slug: 'method-not-allowed' },
  WHODECIDES_ERR_REQUEST_TIMEOUT: { status: 408, title: 'Request not received in time', slug: 'request-timeout' },
  WHODECIDES_ERR_CONFLICT: { status: 409, title: 'Conflicts with an existing record', slug: 'conflict' },
  WHODECIDES_ERR_IN_USE: { status: 409, title: 'Record still referenced', slug: 'in-use' },
  WHODECIDES_ERR_IDEMPOTENCY_KEY_IN_PROGRESS: { status: 409, title: 'A request with this Idempotency-Key is still in progress', slug: 'idempotency-key-in-progress' },
  WHODECIDES_ERR_PRECONDITION_FAILED: { status: 412, title: 'Version mismatch', slug: 'precondition-failed' },
  WHODECIDES_ERR_BODY_TOO_LARGE: { status: 413, title: 'Request body too large', slug: 'body-too-large' },
  WHODECIDES_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type', slug: 'unsupported-media-type' },
  WHODECIDES_ERR_UNKNOWN_REFERENCE: { status: 422, title: 'Unknown reference', slug: 'unknown-reference' },
  WHODECIDES_ERR_INVALID_RECORD: { status: 422, title: 'Record breaks a rule of the registry', slug: 'invalid-record' },
  WHODECIDES_ERR_INVALID_BUNDLE: { status: 422, title: 'Import bundle is invalid', slug: 'invalid-bundle' },
  WHODECIDES_ERR_INVALID_SPREADSHEET: { status: 422, title: 'Spreadsheet has problems', slug: 'invalid-spreadsheet' },
  WHODECIDES_ERR_IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency-Key already used for a different request', slug: 'idempotency-key-reused' },
  WHODECIDES_ERR_RATE_LIMITED: { status: 429, title: 'Too many requests', slug: 'rate-limited' },
  WHODECIDES_ERR_TOO_MANY_AUTH_FAILURES: { status: 429, title: 'Too many refused API keys', slug: 'too-many-auth-failures' },
  WHODECIDES_ERR_HEADERS_TOO_LARGE: { status: 431, title: 'Request headers too large', slug: 'headers-too-large' },
  WHODECIDES_ERR_UNAVAILABLE: { status: 503, title: 'Service unavailable', slug: 'unavailable' },
  WHODECIDES_ERR_OVERLOADED: { status: 503, title: 'Service overloaded', slug: 'overloaded' },
  WHODECIDES_ERR_SHUTTING_DOWN: { status: 503, title: 'Service shutting down', slug: 'shutting-down' },
  WHODECIDES_ERR_INTERNAL: { status: 500, title: 'Internal error', slug: 'internal' }
} as const

export type ProblemCode = keyof typeof problemCatalogue

export const problemType = (code: ProblemCode): string => `urn:whodecides:problem:${problemCatalogue[code].slug}`

/** An error a service throws; the problem plugin turns it into application/problem+json. */
export class ProblemError extends Error {
  readonly code: ProblemCode
  readonly statusCode: number
  readonly extras: ProblemExtras

  constructor (code: ProblemCode, detail: string, extras: ProblemExtras = {}) {
    super(detail)
    this.name = 'ProblemError'
    this.code = code
    this.statusCode = problemCatalogue[code].status
    this.extras = extras
  }
}

// Typed constructors, so call sites read as sentences: `throw notFound('people', id)`.
export const notFound = (entity: string, id: string): ProblemError =>
  new ProblemError('WHODECIDES_ERR_NOT_FOUND', `No ${entity} record with id "${id}"`)

export const invalidField = (path: string, message: string, where: FieldError['in'] = 'body'): ProblemError =>
  new ProblemError('WHODECIDES_ERR_VALIDATION', `${path.slice(1) || 'request'}: ${message}`, { errors: [{ in: where, path, message }] })

export const unknownReference = (path: string, entity: string, id: string): ProblemError =>
  new ProblemError('WHODECIDES_ERR_UNKNOWN_REFERENCE', `${path.slice(1)}: no ${entity} record with id "${id}"`, {
    errors: [{ in: 'body', path, message: `no ${entity} record with id "${id}"` }]
  })

export const invalidRecord = (path: string, message: string): ProblemError =>
  new ProblemError('WHODECIDES_ERR_INVALID_RECORD', `${path.slice(1)}: ${message}`, { errors: [{ in: 'body', path, message }] })

export const conflict = (path: string, message: string): ProblemError =>
  new ProblemError('WHODECIDES_ERR_CONFLICT', `${path.slice(1)}: ${message}`, { errors: [{ in: 'body', path, message }] })

export const inUse = (entity: string, id: string, blockedBy: { entity: string, id: string }[]): ProblemError =>
  new ProblemError('WHODECIDES_ERR_IN_USE',
    `${entity} "${id}" is still referenced by ${blockedBy.length} record(s): ` +
      blockedBy.slice(0, 5).map((b) => `${b.entity}/${b.id}`).join(', ') + (blockedBy.length > 5 ? ', …' : ''),
    { blockedBy })

export const preconditionFailed = (current: number): ProblemError =>
  new ProblemError('WHODECIDES_ERR_PRECONDITION_FAILED', `If-Match does not match the current version ${current}`)
