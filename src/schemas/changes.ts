// API contract of the change log: one entry per mutation, paged in revision order.
import Type, { type Static } from 'typebox'
import { CHANGE_ACTIONS, ENTITIES } from '../../db/schema.js'
import { Nullable, PageQuery, Timestamp } from './common.js'

/** A record as it was before or after the change: free-form, serialized whole. */
const Snapshot = Nullable(Type.Object({}, { additionalProperties: true, description: 'The record as the API shows it' }))

export const ChangeEntity = Type.Enum([...ENTITIES], { description: 'The collection the record belongs to' })

export const ChangeSchema = Type.Object({
  revision: Type.Integer({ minimum: 1, description: 'Monotonic; also the X-Revision of the write that made the entry' }),
  at: Timestamp,
  actor: Type.Object({
    keyId: Nullable(Type.String({ description: 'The key that made the change; null for the service itself' })),
    label: Type.String({ description: 'That key\'s label at the time' })
  }),
  action: Type.Enum([...CHANGE_ACTIONS]),
  entity: ChangeEntity,
  entityId: Type.String(),
  before: Snapshot,
  after: Snapshot
}, {
  examples: [{
    revision: 42,
    at: '2026-03-01T09:30:00.000Z',
    actor: { keyId: '01kb2m8q4zc7y3n5r2x9w6t0hd', label: 'HRIS sync' },
    action: 'update',
    entity: 'people',
    entityId: 'ada-lovelace',
    before: { id: 'ada-lovelace', status: 'active', version: 1 },
    after: { id: 'ada-lovelace', status: 'on_leave', version: 2 }
  }]
})
export type Change = Static<typeof ChangeSchema>

export const ChangesQuery = Type.Object({
  since: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Only entries with a revision greater than this' })),
  entity: Type.Optional(ChangeEntity),
  entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Only entries about this record' })),
  ...PageQuery
}, { additionalProperties: false })
export type ChangesQuery = Static<typeof ChangesQuery>
