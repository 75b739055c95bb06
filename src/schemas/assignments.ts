// API contract of assignments: one RACI cell, a person's role on an initiative or a domain for a period.
import Type, { type Static } from 'typebox'
import { RACI_ROLES } from '../../db/schema.js'
import { DomainId, ID_KINDS, InitiativeId, Nullable, PersonId, Timestamp } from './common.js'
import { ActiveAt, kindSchemas } from './effective-dated.js'

export const RaciRole = Type.Enum([...RACI_ROLES], { description: 'R (Responsible), A (Accountable: the final decider), C (Consulted) or I (Informed)' })

const example = {
  id: 'ada-decides-pricing',
  personId: 'ada-lovelace',
  role: 'A',
  initiativeId: null,
  domainId: 'pricing',
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: null
}

export const {
  record: AssignmentSchema, create: AssignmentCreateSchema, patch: AssignmentPatchSchema, query: AssignmentsQuery, params: AssignmentParams
} = kindSchemas({
  id: ID_KINDS.assignment,
  fields: {
    personId: PersonId,
    role: RaciRole,
    initiativeId: Nullable(InitiativeId),
    domainId: Nullable(DomainId),
    validFrom: Timestamp,
    validTo: Nullable(Timestamp)
  },
  description: 'A person\'s RACI role on exactly one of an initiative or a domain, held over [validFrom, validTo)',
  example,
  storedAt: '2026-01-01T00:00:00.000Z',
  create: {
    personId: PersonId,
    role: RaciRole,
    validFrom: Type.Optional({ ...Timestamp, description: 'When the role starts holding; default now' })
  },
  writable: {
    initiativeId: Type.Optional(Nullable({ ...InitiativeId, description: 'The initiative the role is held on (exactly one of initiativeId, domainId)' })),
    domainId: Type.Optional(Nullable({ ...DomainId, description: 'The domain the role is held on (exactly one of initiativeId, domainId)' })),
    validTo: Type.Optional(Nullable({ ...Timestamp, description: 'When the role stops holding (exclusive); null while open-ended' }))
  },
  patchExamples: [{ role: 'R' }, { initiativeId: 'pricing-2027', domainId: null }],
  filters: {
    personId: Type.Optional(PersonId),
    initiativeId: Type.Optional(InitiativeId),
    domainId: Type.Optional(DomainId),
    role: Type.Optional(RaciRole),
    activeAt: ActiveAt('assignments')
  }
})
export type Assignment = Static<typeof AssignmentSchema>
export type AssignmentCreate = Static<typeof AssignmentCreateSchema>
export type AssignmentPatch = Static<typeof AssignmentPatchSchema>
export type AssignmentsQuery = Static<typeof AssignmentsQuery>
