// API contract of keys: issue one (its token shown this once), list them without secrets, revoke one.
import Type, { type Static } from 'typebox'
import { KEY_ROLES } from '../../db/schema.js'
import { KeyId, Nullable, ShortText, Timestamp } from './common.js'

export const KeyRole = Type.Enum([...KEY_ROLES], { description: 'reader, editor, auditor or admin' })

const example = { id: '01kb2m8q4zc7y3n5r2x9w6t0hd', label: 'HRIS sync', role: 'editor', createdAt: '2026-01-05T08:00:00.000Z' }

export const KeySchema = Type.Object({
  id: KeyId,
  label: Type.String(),
  role: KeyRole,
  createdAt: Timestamp,
  revokedAt: Nullable(Timestamp)
}, { description: 'An API key, without its secret', examples: [{ ...example, revokedAt: null }] })
export type Key = Static<typeof KeySchema>

export const KeyListSchema = Type.Object({ items: Type.Array(KeySchema) }, {
  description: 'Every key, live and revoked, oldest first',
  examples: [{ items: [{ ...example, revokedAt: null }] }]
})

export const IssuedKeySchema = Type.Object({
  id: KeyId,
  label: Type.String(),
  role: KeyRole,
  createdAt: Timestamp,
  token: Type.String({ description: 'The secret bearer token: shown in this answer only, stored only as a hash' })
}, { description: 'A new key with its token', examples: [{ ...example, token: 'wd_3q2Zt0bM4d9J0fVYx1kq8wq1m3Jb5iY7b5fO0yWm3nA' }] })

export const KeyCreateSchema = Type.Object({
  label: ShortText('Who or what uses the key', 100),
  role: KeyRole
}, { additionalProperties: false, examples: [{ label: 'HRIS sync', role: 'editor' }] })
export type KeyCreate = Static<typeof KeyCreateSchema>
