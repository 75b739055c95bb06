// API contract of waivers: a finding accepted, by fingerprint, for a stated reason until a date.
import Type, { type Static } from 'typebox'
import { PageQuery, RecordMeta, Statement, Timestamp, WaiverId } from './common.js'

const Fingerprint = Type.String({ pattern: '^[0-9a-f]{1,64}$', maxLength: 64, description: 'The fingerprint of the finding to accept (lower-case hex)' })

const example = {
  fingerprint: '6f1c2a9e0b7d4c3a8e5f1b2d9c0a7e4f6b3d8c1a5e9f2b7d4c0a6e3f8b1d5c9a',
  reason: 'The board named two deciders on purpose until the merger closes',
  expiresAt: '2026-09-30T00:00:00.000Z'
}

export const WaiverSchema = Type.Object({
  id: WaiverId,
  fingerprint: Type.String(),
  reason: Type.String(),
  expiresAt: Timestamp,
  ...RecordMeta
}, { examples: [{ id: '01hzx3k6n8p2q4r6s8t0v2w4y6', ...example, version: 1, createdAt: '2026-03-03T09:00:00.000Z', updatedAt: '2026-03-03T09:00:00.000Z' }] })
export type Waiver = Static<typeof WaiverSchema>

export const WaiverCreateSchema = Type.Object({
  fingerprint: Fingerprint,
  reason: Statement('Why the finding is accepted', 2000),
  expiresAt: { ...Timestamp, description: 'Until when; must be in the future' }
}, { additionalProperties: false, examples: [example] })
export type WaiverCreate = Static<typeof WaiverCreateSchema>

export const WaiversQuery = Type.Object({
  active: Type.Optional(Type.Boolean({ description: 'true: only waivers that have not expired; false: only expired ones' })),
  fingerprint: Type.Optional(Fingerprint),
  ...PageQuery
}, { additionalProperties: false })
export type WaiversQuery = Static<typeof WaiversQuery>
