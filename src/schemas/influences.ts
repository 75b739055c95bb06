// API contract of influences: informal authority a change agent has observed, over an initiative, a domain or a person.
import Type, { type Static } from 'typebox'
import { INFLUENCE_STRENGTHS } from '../../db/schema.js'
import { AtQuery, Id, LongText, Nullable, PageQuery, RecordMeta, Timestamp } from './common.js'

export const InfluenceStrength = Type.Enum([...INFLUENCE_STRENGTHS], { description: 'low, medium or high' })

const example = {
  id: 'founder-steers-pricing',
  personId: 'charles-babbage',
  initiativeId: 'pricing-2027',
  domainId: null,
  overPersonId: null,
  strength: 'high',
  note: 'The retired founder still reviews every price change before the CEO signs it.',
  observedAt: '2026-03-03T09:00:00.000Z'
}

export const InfluenceSchema = Type.Object({
  id: Id,
  personId: Id,
  initiativeId: Nullable(Id),
  domainId: Nullable(Id),
  overPersonId: Nullable(Id),
  strength: InfluenceStrength,
  note: Nullable(Type.String()),
  observedAt: Timestamp,
  ...RecordMeta
}, {
  description: 'A person who steers exactly one of an initiative, a domain or another person without a formal role',
  examples: [{ ...example, version: 1, createdAt: '2026-03-03T09:05:00.000Z', updatedAt: '2026-03-03T09:05:00.000Z' }]
})
export type Influence = Static<typeof InfluenceSchema>

const targetNote = '(exactly one of initiativeId, domainId, overPersonId)'
const writable = {
  initiativeId: Type.Optional(Nullable({ ...Id, description: `The initiative steered ${targetNote}` })),
  domainId: Type.Optional(Nullable({ ...Id, description: `The domain steered ${targetNote}` })),
  overPersonId: Type.Optional(Nullable({ ...Id, description: `The person steered; not the influencer ${targetNote}` })),
  note: Type.Optional(Nullable(LongText('What was observed'))),
  observedAt: Type.Optional({ ...Timestamp, description: 'When it was observed; default now' })
}

export const InfluenceCreateSchema = Type.Object({
  id: Type.Optional(Id),
  personId: { ...Id, description: 'The person who holds the informal authority' },
  strength: InfluenceStrength,
  ...writable
}, { additionalProperties: false, examples: [example] })
export type InfluenceCreate = Static<typeof InfluenceCreateSchema>

export const InfluencePatchSchema = Type.Object({
  personId: Type.Optional(Id),
  strength: Type.Optional(InfluenceStrength),
  ...writable
}, { additionalProperties: false, minProperties: 1, examples: [{ strength: 'medium' }, { overPersonId: 'ada-lovelace', initiativeId: null }] })
export type InfluencePatch = Static<typeof InfluencePatchSchema>

export const InfluencesQuery = Type.Object({
  personId: Type.Optional(Id),
  initiativeId: Type.Optional(Id),
  domainId: Type.Optional(Id),
  overPersonId: Type.Optional(Id),
  strength: Type.Optional(InfluenceStrength),
  ...PageQuery,
  ...AtQuery
}, { additionalProperties: false })
export type InfluencesQuery = Static<typeof InfluencesQuery>
