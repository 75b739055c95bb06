// API contract of people: the decision makers and everyone who holds a role.
import Type, { type Static } from 'typebox'
import { PERSON_STATUSES } from '../../db/schema.js'
import { AtQuery, Nullable, PageQuery, PersonId, RecordMeta, ShortText, Timestamp } from './common.js'
import { SearchQuery } from './search.js'

export const PersonStatus = Type.Enum([...PERSON_STATUSES], { description: 'active, on_leave, departed or retired' })
const Email = Type.String({ format: 'email', maxLength: 254, description: 'Unique, compared case-insensitively' })
const Tag = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$', maxLength: 40, description: 'founder, shareholder, board, executive, advisor, external, or a free tag' })
const Tags = Type.Array(Tag, { maxItems: 20, uniqueItems: true })
const StakePercent = Type.Number({ minimum: 0, maximum: 100, description: 'Equity stake, in percent' })

const example = {
  id: 'ada-lovelace',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  title: 'Chief Executive Officer',
  status: 'active',
  statusSince: '2026-01-01T00:00:00.000Z',
  tags: ['founder', 'executive'],
  stakePercent: 12.5,
  managerId: null,
  externalId: 'HR-0001'
}

export const PersonSchema = Type.Object({
  id: PersonId,
  name: Type.String(),
  email: Type.String(),
  title: Nullable(Type.String()),
  status: PersonStatus,
  statusSince: Nullable(Timestamp),
  tags: Type.Array(Type.String()),
  stakePercent: Nullable(Type.Number()),
  managerId: Nullable(PersonId),
  externalId: Nullable(Type.String()),
  ...RecordMeta
}, { examples: [{ ...example, version: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' }] })
export type Person = Static<typeof PersonSchema>

const writable = {
  title: Type.Optional(Nullable(ShortText('Job title'))),
  statusSince: Type.Optional(Nullable(Timestamp)),
  tags: Type.Optional(Tags),
  stakePercent: Type.Optional(Nullable(StakePercent)),
  managerId: Type.Optional(Nullable(PersonId)),
  externalId: Type.Optional(Nullable(ShortText('Id in the HR system; unique', 100)))
}

export const PersonCreateSchema = Type.Object({
  id: Type.Optional(PersonId),
  name: ShortText('Full name'),
  email: Email,
  status: Type.Optional(PersonStatus),
  ...writable
}, { additionalProperties: false, examples: [example] })
export type PersonCreate = Static<typeof PersonCreateSchema>

export const PersonPatchSchema = Type.Object({
  name: Type.Optional(ShortText('Full name')),
  email: Type.Optional(Email),
  status: Type.Optional(PersonStatus),
  ...writable
}, { additionalProperties: false, minProperties: 1, examples: [{ status: 'on_leave', statusSince: '2026-03-01T00:00:00.000Z' }] })
export type PersonPatch = Static<typeof PersonPatchSchema>

export const PeopleQuery = Type.Object({
  status: Type.Optional(PersonStatus),
  tag: Type.Optional(Tag),
  ...SearchQuery('id, name, job title or email', 'ada'),
  ...PageQuery,
  ...AtQuery
}, { additionalProperties: false })
export type PeopleQuery = Static<typeof PeopleQuery>

export const PersonStatusPeriodSchema = Type.Object({
  status: PersonStatus,
  from: Nullable(Timestamp),
  to: Nullable(Timestamp)
}, {
  description: 'A status and the period it held; from is null for "since always", to null while it holds',
  examples: [{ status: 'on_leave', from: '2026-03-01T00:00:00.000Z', to: '2026-06-01T00:00:00.000Z' }]
})
