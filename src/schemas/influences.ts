// API contract of influences: informal authority a change agent has observed, over an initiative, a domain or a person.
import Type, { type Static } from 'typebox'
import { INFLUENCE_STRENGTHS } from '../../db/schema.js'
import { DomainId, ID_KINDS, InitiativeId, LongText, Nullable, PersonId, Timestamp } from './common.js'
import { kindSchemas } from './effective-dated.js'

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

const targetNote = '(exactly one of initiativeId, domainId, overPersonId)'

export const {
  record: InfluenceSchema, create: InfluenceCreateSchema, patch: InfluencePatchSchema, query: InfluencesQuery, params: InfluenceParams
} = kindSchemas({
  id: ID_KINDS.influence,
  fields: {
    personId: PersonId,
    initiativeId: Nullable(InitiativeId),
    domainId: Nullable(DomainId),
    overPersonId: Nullable(PersonId),
    strength: InfluenceStrength,
    note: Nullable(Type.String()),
    observedAt: Timestamp
  },
  description: 'A person who steers exactly one of an initiative, a domain or another person without a formal role',
  example,
  storedAt: '2026-03-03T09:05:00.000Z',
  create: {
    personId: { ...PersonId, description: 'The person who holds the informal authority' },
    strength: InfluenceStrength
  },
  writable: {
    initiativeId: Type.Optional(Nullable({ ...InitiativeId, description: `The initiative steered ${targetNote}` })),
    domainId: Type.Optional(Nullable({ ...DomainId, description: `The domain steered ${targetNote}` })),
    overPersonId: Type.Optional(Nullable({ ...PersonId, description: `The person steered; not the influencer ${targetNote}` })),
    note: Type.Optional(Nullable(LongText('What was observed'))),
    observedAt: Type.Optional({ ...Timestamp, description: 'When it was observed; default now' })
  },
  patchExamples: [{ strength: 'medium' }, { overPersonId: 'ada-lovelace', initiativeId: null }],
  filters: {
    personId: Type.Optional(PersonId),
    initiativeId: Type.Optional(InitiativeId),
    domainId: Type.Optional(DomainId),
    overPersonId: Type.Optional(PersonId),
    strength: Type.Optional(InfluenceStrength)
  }
})
export type Influence = Static<typeof InfluenceSchema>
export type InfluenceCreate = Static<typeof InfluenceCreateSchema>
export type InfluencePatch = Static<typeof InfluencePatchSchema>
export type InfluencesQuery = Static<typeof InfluencesQuery>
