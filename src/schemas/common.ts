// Building blocks shared by every API contract: ids, times, pages, problem details, access lists.
import Type, { type Static, type TSchema } from 'typebox'
import { KEY_ROLES } from '../../db/schema.js'
import { LINES_PATTERN, ONE_LINE_PATTERN, STATEMENT_PATTERN } from './text.js'

export const ID_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$'

/** A kind of record id: whose ids they are, and an example that looks like one. */
export interface IdKind { whose: string, example: string }
export const ID_KINDS = {
  person: { whose: 'A person\'s', example: 'ada-lovelace' },
  domain: { whose: 'A domain\'s', example: 'pricing' },
  initiative: { whose: 'An initiative\'s', example: 'eu-price-list-2027' },
  assignment: { whose: 'An assignment\'s', example: 'ada-decides-pricing' },
  delegation: { whose: 'A delegation\'s', example: 'ada-to-grace-leave' },
  influence: { whose: 'An influence\'s', example: 'founder-steers-pricing' },
  decision: { whose: 'A decision\'s', example: 'eu-prices-go' },
  // Waivers, audit runs and keys: ids the service makes (ULIDs).
  waiver: { whose: 'A waiver\'s', example: '01hzx3k6n8p2q4r6s8t0v2w4y6' },
  audit: { whose: 'An audit run\'s', example: '01hzx3k6n8p2q4r6s8t0v2w4y6' },
  key: { whose: 'A key\'s', example: '01kb2m8q4zc7y3n5r2x9w6t0hd' }
} as const satisfies Record<string, IdKind>

/** The ids of one kind of record: the rules every id follows, with the kind's example. */
export const idOf = ({ whose, example }: IdKind) => Type.String({
  pattern: ID_PATTERN, maxLength: 64, description: `${whose} id: lower-case letters, digits, ".", "_" and "-"`, examples: [example]
})
export const PersonId = idOf(ID_KINDS.person)
export const DomainId = idOf(ID_KINDS.domain)
export const InitiativeId = idOf(ID_KINDS.initiative)
export const AssignmentId = idOf(ID_KINDS.assignment)
export const DelegationId = idOf(ID_KINDS.delegation)
export const InfluenceId = idOf(ID_KINDS.influence)
export const DecisionId = idOf(ID_KINDS.decision)
export const WaiverId = idOf(ID_KINDS.waiver)
export const AuditId = idOf(ID_KINDS.audit)
export const KeyId = idOf(ID_KINDS.key)
export const Timestamp = Type.String({ format: 'date-time', maxLength: 40, description: 'ISO-8601 time', examples: ['2026-03-03T09:00:00.000Z'] })
/** Names, titles, labels: one line of well-formed text, not blank (src/schemas/text.ts). */
export const ShortText = (description: string, maxLength = 200) => Type.String({
  minLength: 1, maxLength, pattern: ONE_LINE_PATTERN,
  description: `${description}. One line, not blank; no control or bidirectional-override characters`
})
/** Descriptions, notes: well-formed text of any number of lines, possibly empty. */
export const LongText = (description: string, maxLength = 4000) => Type.String({
  maxLength, pattern: LINES_PATTERN,
  description: `${description}. Tabs and line breaks allowed; no other control or bidirectional-override characters`
})
/** An outcome, a reason: well-formed text of any number of lines, not blank. */
export const Statement = (description: string, maxLength: number) => Type.String({
  minLength: 1, maxLength, pattern: STATEMENT_PATTERN,
  description: `${description}. Not blank; tabs and line breaks allowed, no other control or bidirectional-override characters`
})

/** A field a client may leave out (or send null) on create, and clear with null on PATCH. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** version, createdAt, updatedAt: set by the server on every record. */
export const RecordMeta = {
  version: Type.Integer({ minimum: 1, description: 'Incremented by every change; also the ETag' }),
  createdAt: Timestamp,
  updatedAt: Timestamp
}

/**
 * `{id}` in the path of a record of one kind, with the kind's example. Any string up to 64 characters: an id that
 * follows no record's rules is simply not found (404).
 */
export const idParams = ({ whose, example }: IdKind) =>
  Type.Object({ id: Type.String({ maxLength: 64, description: `${whose} id`, examples: [example] }) }, { additionalProperties: false })
export type IdParams = Static<ReturnType<typeof idParams>>
export const PersonParams = idParams(ID_KINDS.person)
export const DomainParams = idParams(ID_KINDS.domain)
export const InitiativeParams = idParams(ID_KINDS.initiative)
export const WaiverParams = idParams(ID_KINDS.waiver)
export const AuditParams = idParams(ID_KINDS.audit)
export const KeyParams = idParams(ID_KINDS.key)

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Page size (at most 500)' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'The nextCursor of the previous page' }))
}

/** `at` on every record read: the record, or the list, as it stood in the registry at that time. */
export const AtQuery = {
  at: Type.Optional(Type.String({
    format: 'date-time',
    maxLength: 40,
    description: 'Read as the registry stood at this time (ISO-8601); default now. A past version is answered without an ETag'
  }))
}
/** The querystring of a single-record read: only `at`. */
export const AtOnlyQuery = Type.Object(AtQuery, { additionalProperties: false })
export type AtOnlyQuery = Static<typeof AtOnlyQuery>

export const Page = <T extends TSchema>(item: T) => Type.Object({
  items: Type.Array(item),
  nextCursor: Nullable(Type.String({ description: 'Pass as ?cursor= for the next page; null on the last page' }))
})

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ maxLength: 100, description: 'The ETag of the version this change is based on' }))
})

/**
 * An Idempotency-Key (IETF draft draft-ietf-httpapi-idempotency-key-header): a structured-field string such as
 * "8e03978e-40d5-43e8-bc93-6894a57f9324", or the same characters bare; 1 to 255 of them, printable ASCII.
 */
export const IDEMPOTENCY_KEY_PATTERN = '^(?:[!#-~][!-~]{0,254}|"(?:[ !#-\\[\\]-~]|\\\\["\\\\]){1,255}")$'

export const IdempotencyKeyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({
    minLength: 1,
    maxLength: 512,
    pattern: IDEMPOTENCY_KEY_PATTERN,
    description: 'Makes a retry safe: the same key with the same request within 24 hours replays the first answer ' +
      '(marked Idempotent-Replayed: true) instead of writing again; with a different request, 422; while the first is ' +
      'still in progress, 409. One quoted string or bare token of 1 to 255 printable ASCII characters, per API key; use a UUID.',
    examples: ['"8e03978e-40d5-43e8-bc93-6894a57f9324"']
  }))
})

export const FieldErrorSchema = Type.Object({
  in: Type.Enum(['body', 'query', 'params', 'headers']),
  path: Type.String({ description: 'JSON Pointer to the offending field' }),
  message: Type.String()
})

export const ProblemSchema = Type.Object({
  type: Type.String({ description: 'URI naming the kind of problem' }),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String({ description: 'Stable WHODECIDES_ERR_* code' }),
  instance: Type.Optional(Type.String()),
  requestId: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(FieldErrorSchema)),
  blockedBy: Type.Optional(Type.Array(Type.Object({ entity: Type.String(), id: Type.String() }))),
  report: Type.Optional(Type.Unknown())
}, {
  description: 'RFC 9457 problem details',
  examples: [{
    type: 'urn:whodecides:problem:invalid-request',
    title: 'Invalid request',
    status: 400,
    detail: 'email: must match format "email"',
    code: 'WHODECIDES_ERR_VALIDATION',
    errors: [{ in: 'body', path: '/email', message: 'must match format "email"' }]
  }]
})

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (problem details name each offending field)',
  401: 'Missing, unknown or revoked API key',
  403: 'The key\'s role may not use this route',
  404: 'No such record',
  409: 'Conflicts with existing records',
  412: 'If-Match does not match the current version',
  413: 'Request body too large',
  415: 'Unsupported media type',
  422: 'Refers to unknown records or breaks a rule of the registry',
  429: 'Too many requests with this key, or too many refused keys from this address: retry after Retry-After seconds',
  503: 'Overloaded, shutting down, or the database does not answer: retry after Retry-After seconds'
}

// The answers that carry Retry-After (src/plugins/rate-limits.ts, load-shedding.ts).
const RETRY_AFTER = {
  'retry-after': { type: 'integer', minimum: 1, description: 'Seconds to wait before retrying' }
}

/**
 * Problem responses of a route, as the OpenAPI document and the serializer both see them. Every route may answer
 * 429 (rate limits) and 503 (overload, shutdown), whatever it lists.
 */
export function problems (...statuses: number[]): Record<number, TSchema> {
  const responses: Record<number, TSchema> = {}
  for (const status of [400, 401, 403, ...statuses, 429, 503]) {
    responses[status] = {
      description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
      ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
      content: { 'application/problem+json': { schema: ProblemSchema } }
    } as unknown as TSchema
  }
  return responses
}

export type Role = typeof KEY_ROLES[number]

/** Who may call a route: every /v1 route declares one of these in its config. */
export const access = {
  read: ['reader', 'editor', 'auditor', 'admin'],
  edit: ['editor', 'admin'],
  audit: ['auditor', 'admin'],
  admin: ['admin']
} as const satisfies Record<string, readonly Role[]>

export interface RouteAccess { allow: readonly Role[] }
