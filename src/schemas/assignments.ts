// API contract of assignments: one RACI cell, a person's role on an initiative or a domain for a period.
import Type, { type Static } from 'typebox'
import { RACI_ROLES } from '../../db/schema.js'
import { AtQuery, Id, Nullable, PageQuery, RecordMeta, Timestamp } from './common.js'

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

export const AssignmentSchema = Type.Object({
  id: Id,
  personId: Id,
  role: RaciRole,
  initiativeId: Nullable(Id),
  domainId: Nullable(Id),
  validFrom: Timestamp,
  validTo: Nullable(Timestamp),
  ...RecordMeta
}, {
  description: 'A person\'s RACI role on exactly one of an initiative or a domain, held over [validFrom, validTo)',
  examples: [{ ...example, version: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' }]
})
export type Assignment = Static<typeof AssignmentSchema>

const target = {
  initiativeId: Type.Optional(Nullable({ ...Id, description: 'The initiative the role is held on (exactly one of initiativeId, domainId)' })),
  domainId: Type.Optional(Nullable({ ...Id, description: 'The domain the role is held on (exactly one of initiativeId, domainId)' })),
  validTo: Type.Optional(Nullable({ ...Timestamp, description: 'When the role stops holding (exclusive); null while open-ended' }))
}

export const AssignmentCreateSchema = Type.Object({
  id: Type.Optional(Id),
  personId: Id,
  role: RaciRole,
  validFrom: Type.Optional({ ...Timestamp, description: 'When the role starts holding; default now' }),
  ...target
}, { additionalProperties: false, examples: [example] })
export type AssignmentCreate = Static<typeof AssignmentCreateSchema>

export const AssignmentPatchSchema = Type.Object({
  personId: Type.Optional(Id),
  role: Type.Optional(RaciRole),
  validFrom: Type.Optional(Timestamp),
  ...target
}, { additionalProperties: false, minProperties: 1, examples: [{ role: 'R' }, { initiativeId: 'pricing-2027', domainId: null }] })
export type AssignmentPatch = Static<typeof AssignmentPatchSchema>

export const AssignmentsQuery = Type.Object({
  personId: Type.Optional(Id),
  initiativeId: Type.Optional(Id),
  domainId: Type.Optional(Id),
  role: Type.Optional(RaciRole),
  activeAt: Type.Optional({ ...Timestamp, description: 'Only assignments holding at this time: validFrom ≤ activeAt < validTo' }),
  ...PageQuery,
  ...AtQuery
}, { additionalProperties: false })
export type AssignmentsQuery = Static<typeof AssignmentsQuery>
