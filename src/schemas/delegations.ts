// API contract of delegations: a decider hands their authority to a deputy for a while, on one scope or all.
import Type, { type Static } from 'typebox'
import { AtQuery, Id, Nullable, PageQuery, RecordMeta, Statement, Timestamp } from './common.js'

const example = {
  id: 'ada-to-grace-leave',
  fromPersonId: 'ada-lovelace',
  toPersonId: 'grace-hopper',
  initiativeId: null,
  domainId: null,
  allScopes: true,
  validFrom: '2026-07-01T00:00:00.000Z',
  validTo: '2026-08-01T00:00:00.000Z',
  reason: 'Parental leave'
}

export const DelegationSchema = Type.Object({
  id: Id,
  fromPersonId: Id,
  toPersonId: Id,
  initiativeId: Nullable(Id),
  domainId: Nullable(Id),
  allScopes: Type.Boolean({ description: 'True when the delegation covers everything the delegator decides' }),
  validFrom: Timestamp,
  validTo: Nullable(Timestamp),
  reason: Nullable(Type.String()),
  ...RecordMeta
}, {
  description: 'Authority handed from one person to another over [validFrom, validTo), on exactly one of an initiative, a domain, or all scopes',
  examples: [{ ...example, version: 1, createdAt: '2026-06-20T00:00:00.000Z', updatedAt: '2026-06-20T00:00:00.000Z' }]
})
export type Delegation = Static<typeof DelegationSchema>

const scopeNote = '(exactly one of initiativeId, domainId, allScopes: true)'
const writable = {
  initiativeId: Type.Optional(Nullable({ ...Id, description: `The initiative delegated ${scopeNote}` })),
  domainId: Type.Optional(Nullable({ ...Id, description: `The domain delegated, with its initiatives and sub-domains ${scopeNote}` })),
  allScopes: Type.Optional(Type.Boolean({ description: `Delegate everything the delegator decides ${scopeNote}` })),
  validTo: Type.Optional(Nullable({ ...Timestamp, description: 'When the delegation stops (exclusive); null while open-ended' })),
  reason: Type.Optional(Nullable(Statement('Why the authority is handed over (leave, travel…)', 500)))
}

export const DelegationCreateSchema = Type.Object({
  id: Type.Optional(Id),
  fromPersonId: { ...Id, description: 'The person whose authority is handed over' },
  toPersonId: { ...Id, description: 'The deputy; not the delegator' },
  validFrom: Type.Optional({ ...Timestamp, description: 'When the delegation starts; default now' }),
  ...writable
}, { additionalProperties: false, examples: [example] })
export type DelegationCreate = Static<typeof DelegationCreateSchema>

export const DelegationPatchSchema = Type.Object({
  fromPersonId: Type.Optional(Id),
  toPersonId: Type.Optional(Id),
  validFrom: Type.Optional(Timestamp),
  ...writable
}, { additionalProperties: false, minProperties: 1, examples: [{ validTo: '2026-08-15T00:00:00.000Z' }, { domainId: 'pricing', allScopes: false }] })
export type DelegationPatch = Static<typeof DelegationPatchSchema>

export const DelegationsQuery = Type.Object({
  fromPersonId: Type.Optional(Id),
  toPersonId: Type.Optional(Id),
  initiativeId: Type.Optional(Id),
  domainId: Type.Optional(Id),
  activeAt: Type.Optional({ ...Timestamp, description: 'Only delegations holding at this time: validFrom ≤ activeAt < validTo' }),
  ...PageQuery,
  ...AtQuery
}, { additionalProperties: false })
export type DelegationsQuery = Static<typeof DelegationsQuery>
