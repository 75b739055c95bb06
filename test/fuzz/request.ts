// One fuzzed request: its parts before rendering, the inject options it renders to, and a replayable description.
import type { InjectOptions } from 'fastify'
import type { Role } from '../../src/schemas/common.js'
import type { Operation } from './spec.js'

export type Auth = { kind: 'role', role: Role } | { kind: 'none' } | { kind: 'token', token: string }

export interface Draft {
  op: Operation
  method: string
  /** Path parameters, decoded; rawParams overrides one with an exact (already encoded, maybe broken) segment. */
  params: Record<string, string>
  rawParams: Record<string, string>
  /** Query pairs, decoded; a name may repeat. rawQuery is appended as is. */
  query: [string, string][]
  rawQuery: string
  headers: Record<string, string>
  /** The JSON body; undefined sends none. raw, when set, is sent instead, byte for byte. */
  body?: unknown
  raw?: string | Buffer
  /** The content-type header: undefined means application/json when a body is sent, null means none at all. */
  contentType?: string | null
  auth: Auth
  /** Names of the mutations applied; empty for a valid request. */
  mutations: string[]
}

/** Percent-encodes text; a lone surrogate (which encodeURIComponent refuses) goes as its WTF-8 bytes, invalid UTF-8. */
function encode (text: string): string {
  try {
    return encodeURIComponent(text)
  } catch {
    return [...text].map((c) => {
      const code = c.charCodeAt(0)
      if (c.length > 1 || code < 0xd800 || code > 0xdfff) return encodeURIComponent(c)
      return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('')
    }).join('')
  }
}

export function urlOf (draft: Draft): string {
  const path = draft.op.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    draft.rawParams[name] ?? encode(draft.params[name] ?? ''))
  const pairs = draft.query.map(([k, v]) => `${encode(k)}=${encode(v)}`)
  if (draft.rawQuery !== '') pairs.push(draft.rawQuery)
  return pairs.length === 0 ? path : `${path}?${pairs.join('&')}`
}

/** The exact inject options; tokens is the role → key map of the test app. */
export function render (draft: Draft, tokens: Record<Role, string>): InjectOptions {
  const headers: Record<string, string> = { ...draft.headers }
  if (draft.auth.kind === 'role') headers.authorization = `Bearer ${tokens[draft.auth.role]}`
  else if (draft.auth.kind === 'token') headers.authorization = draft.auth.token
  let payload: string | Buffer | undefined
  if (draft.raw !== undefined) payload = draft.raw
  else if (draft.body !== undefined) payload = JSON.stringify(draft.body)
  if (draft.contentType !== null && (payload !== undefined || draft.contentType !== undefined)) {
    headers['content-type'] = draft.contentType ?? 'application/json'
  }
  return { method: draft.method as InjectOptions['method'], url: urlOf(draft), headers, ...(payload === undefined ? {} : { payload }) }
}

/** The request as text that can be pasted into app.inject(...) after the same seeded prefix of the run. */
export function describe (draft: Draft, options: InjectOptions): string {
  const { payload, ...rest } = options
  const shown: Record<string, unknown> = { ...rest }
  if (typeof payload === 'string') shown.payload = payload.length > 2000 ? `${payload.slice(0, 2000)}… (${payload.length} chars)` : payload
  else if (Buffer.isBuffer(payload)) shown.payloadBase64 = payload.length > 2000 ? `${payload.subarray(0, 1500).toString('base64')}… (${payload.length} bytes)` : payload.toString('base64')
  return `${draft.op.id} [${draft.mutations.length === 0 ? 'valid' : draft.mutations.join(', ')}] as ${draft.auth.kind === 'role' ? draft.auth.role : draft.auth.kind}\n` +
    JSON.stringify(shown, null, 2)
}
