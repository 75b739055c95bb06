// API contract of delegations: a decider hands their authority to someone for a while, on one scope or all — as a
// deputy who stands in while they are away, or by a transfer that hands the decision over even while they are at work.
import Type, { type Static } from 'typebox'
import { DELEGATION_KINDS } from '../../db/schema.js'
import { DomainId, ID_KINDS, InitiativeId, Nullable, PersonId, Statement, Timestamp } from './common.js'
import { ActiveAt, kindSchemas } from './effective-dated.js'

const example = {
  id: 'ada-to-grace-leave',
  fromPersonId: 'ada-lovelace',
  toPersonId: 'grace-hopper',
  initiativeId: null,
  domainId: null,
  allScopes: true,
  kind: 'deputy',
  validFrom: '2026-07-01T00:00:00.000Z',
  validTo: '2026-08-01T00:00:00.000Z',
  reason: 'Parental leave'
}

const scopeNote = '(exactly one of initiativeId, domainId, allScopes: true)'
const kindNote = 'deputy (the default): the delegate decides only while the delegator is not active (leave, travel); ' +
  'transfer: the delegate decides for the period whatever the delegator\'s status, and the delegator keeps their role on record'
/** What a delegation does: stand in for an absent delegator, or hand the decision over outright. */
export const DelegationKindSchema = Type.Enum([...DELEGATION_KINDS], { description: kindNote })

export const {
  record: DelegationSchema, create: DelegationCreateSchema, patch: DelegationPatchSchema, query: DelegationsQuery, params: DelegationParams
} = kindSchemas({
  id: ID_KINDS.delegation,
  fields: {
    fromPersonId: PersonId,
    toPersonId: PersonId,
    initiativeId: Nullable(InitiativeId),
    domainId: Nullable(DomainId),
    allScopes: Type.Boolean({ description: 'True when the delegation covers everything the delegator decides' }),
    kind: DelegationKindSchema,
    validFrom: Timestamp,
    validTo: Nullable(Timestamp),
    reason: Nullable(Type.String())
  },
  description: 'Authority handed from one person to another over [validFrom, validTo), on exactly one of an initiative, a domain, or all scopes',
  example,
  storedAt: '2026-06-20T00:00:00.000Z',
  create: {
    fromPersonId: { ...PersonId, description: 'The person whose authority is handed over' },
    toPersonId: { ...PersonId, description: 'The deputy; not the delegator' },
    validFrom: Type.Optional({ ...Timestamp, description: 'When the delegation starts; default now' })
  },
  writable: {
    initiativeId: Type.Optional(Nullable({ ...InitiativeId, description: `The initiative delegated ${scopeNote}` })),
    domainId: Type.Optional(Nullable({ ...DomainId, description: `The domain delegated, with its initiatives and sub-domains ${scopeNote}` })),
    allScopes: Type.Optional(Type.Boolean({ description: `Delegate everything the delegator decides ${scopeNote}` })),
    kind: Type.Optional(DelegationKindSchema),
    validTo: Type.Optional(Nullable({ ...Timestamp, description: 'When the delegation stops (exclusive); null while open-ended' })),
    reason: Type.Optional(Nullable(Statement('Why the authority is handed over (leave, travel…)', 500)))
  },
  patchExamples: [{ validTo: '2026-08-15T00:00:00.000Z' }, { domainId: 'pricing', allScopes: false }, { kind: 'transfer' }],
  filters: {
    fromPersonId: Type.Optional(PersonId),
    toPersonId: Type.Optional(PersonId),
    initiativeId: Type.Optional(InitiativeId),
    domainId: Type.Optional(DomainId),
    kind: Type.Optional(DelegationKindSchema),
    activeAt: ActiveAt('delegations')
  }
})
export type Delegation = Static<typeof DelegationSchema>
export type DelegationCreate = Static<typeof DelegationCreateSchema>
export type DelegationPatch = Static<typeof DelegationPatchSchema>
export type DelegationsQuery = Static<typeof DelegationsQuery>
