// API contract of initiatives (change efforts and decisions to be made) and of their RACI view.
import Type, { type Static } from 'typebox'
import { DECISION_RULES, INITIATIVE_STATUSES, RACI_ROLES } from '../../db/schema.js'
import { AssignmentId, AtQuery, DomainId, InitiativeId, LongText, Nullable, PageQuery, PersonId, RecordMeta, ShortText, Statement, Timestamp } from './common.js'
import { SearchQuery } from './search.js'

export const InitiativeStatus = Type.Enum([...INITIATIVE_STATUSES], { description: 'proposed, active, on_hold, decided, done or abandoned' })
export const DecisionRule = Type.Enum([...DECISION_RULES], {
  description: 'single: exactly one final decider; pool: any one of the named deciders; unanimous: all of them must agree'
})

const example = {
  id: 'eu-price-list-2027',
  title: 'New EU price list for 2027',
  destination: 'One price list for every EU country, in euros, published by September',
  description: 'Replaces the six national price lists',
  domainId: 'pricing',
  status: 'active',
  decisionRule: 'single',
  decisionDueAt: '2026-06-30T17:00:00.000Z'
}

export const InitiativeSchema = Type.Object({
  id: InitiativeId,
  title: Type.String(),
  destination: Nullable(Type.String()),
  description: Nullable(Type.String()),
  domainId: Nullable(DomainId),
  status: InitiativeStatus,
  decisionRule: DecisionRule,
  decisionDueAt: Nullable(Timestamp),
  ...RecordMeta
}, { examples: [{ ...example, version: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' }] })
export type Initiative = Static<typeof InitiativeSchema>

const writable = {
  destination: Type.Optional(Nullable(Statement('The agreed "where": what the organization should look like once this is done', 1000))),
  description: Type.Optional(Nullable(LongText('Background and scope'))),
  domainId: Type.Optional(Nullable(DomainId)),
  status: Type.Optional(InitiativeStatus),
  decisionRule: Type.Optional(DecisionRule),
  decisionDueAt: Type.Optional(Nullable(Timestamp))
}

export const InitiativeCreateSchema = Type.Object({
  id: Type.Optional(InitiativeId),
  title: ShortText('Short title'),
  ...writable
}, { additionalProperties: false, examples: [example] })
export type InitiativeCreate = Static<typeof InitiativeCreateSchema>

export const InitiativePatchSchema = Type.Object({
  title: Type.Optional(ShortText('Short title')),
  ...writable
}, { additionalProperties: false, minProperties: 1, examples: [{ status: 'decided' }, { decisionRule: 'pool', decisionDueAt: null }] })
export type InitiativePatch = Static<typeof InitiativePatchSchema>

export const InitiativesQuery = Type.Object({
  status: Type.Optional(InitiativeStatus),
  domainId: Type.Optional(DomainId),
  decisionRule: Type.Optional(DecisionRule),
  ...SearchQuery('id or title', 'price list'),
  ...PageQuery,
  ...AtQuery
}, { additionalProperties: false })
export type InitiativesQuery = Static<typeof InitiativesQuery>

export const RaciQuery = Type.Object({
  at: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'The time to read the roles at (ISO-8601); default now' }))
}, { additionalProperties: false })
export type RaciQuery = Static<typeof RaciQuery>

/** Where a role comes from: the initiative itself, or a domain of its chain (nearest first). */
export const RaciOriginSchema = Type.Object({
  level: Type.Enum(['initiative', 'domain'], { description: 'initiative: held on the initiative itself; domain: held on a domain of its chain' }),
  id: InitiativeId,
  name: Type.String({ description: 'The initiative\'s title or the domain\'s name' }),
  distance: Type.Integer({ minimum: 0, description: '0 the initiative, 1 its own domain, 2 that domain\'s parent, and so on' })
}, { description: 'Where the role comes from' })

export const RACI_AUTHORITIES = ['effective', 'overridden'] as const

export const RaciHolderSchema = Type.Object({
  assignmentId: AssignmentId,
  personId: PersonId,
  name: Type.String({ description: 'The person\'s name' }),
  source: Type.Enum(['direct', 'inherited'], { description: 'direct: held on the initiative; inherited: held on its domain or an ancestor' }),
  domainId: Nullable(DomainId),
  validFrom: Timestamp,
  validTo: Nullable(Timestamp),
  origin: RaciOriginSchema,
  authority: Type.Optional(Type.Enum([...RACI_AUTHORITIES], {
    description: 'A holders only. effective: this A is a formal decider, as GET /v1/initiatives/{id}/decider resolves it (the nearest ' +
      'level with an A wins); overridden: an A on a farther level, replaced by the nearer one. An effective A stays the formal one when ' +
      'its holder is away: the decider answer (link `decider`) says who decides in their place, through which delegation'
  }))
}, { description: 'One person holding a role, and where the role comes from' })
export type RaciHolder = Static<typeof RaciHolderSchema>

const Holders = (role: string) => Type.Array(RaciHolderSchema, { description: `${role} holders: direct first, then inherited from the nearest domain outwards` })

const raciExample = {
  initiativeId: 'eu-price-list-2027',
  at: '2026-03-03T09:00:00.000Z',
  decider: '/v1/initiatives/eu-price-list-2027/decider?at=2026-03-03T09%3A00%3A00.000Z',
  R: [{ assignmentId: 'as-1', personId: 'grace-hopper', name: 'Grace Hopper', source: 'direct', domainId: null, validFrom: '2026-01-01T00:00:00.000Z', validTo: null, origin: { level: 'initiative', id: 'eu-price-list-2027', name: 'EU price list 2027', distance: 0 } }],
  A: [
    { assignmentId: 'as-2', personId: 'ada-lovelace', name: 'Ada Lovelace', source: 'inherited', domainId: 'pricing', validFrom: '2025-01-01T00:00:00.000Z', validTo: null, origin: { level: 'domain', id: 'pricing', name: 'Pricing', distance: 1 }, authority: 'effective' },
    { assignmentId: 'as-3', personId: 'alan-turing', name: 'Alan Turing', source: 'inherited', domainId: 'commercial', validFrom: '2024-01-01T00:00:00.000Z', validTo: null, origin: { level: 'domain', id: 'commercial', name: 'Commercial', distance: 2 }, authority: 'overridden' }
  ],
  C: [],
  I: []
}

export const RaciSchema = Type.Object({
  initiativeId: InitiativeId,
  at: Timestamp,
  decider: Type.String({ description: 'Who decides the initiative at the same time, with the path (GET, relative to the service)' }),
  R: Holders('Responsible'),
  A: Holders('Accountable (final decider)'),
  C: Holders('Consulted'),
  I: Holders('Informed')
}, { description: 'The initiative\'s role holders at one time, grouped by RACI role', examples: [raciExample] })
export type Raci = Static<typeof RaciSchema>
export type RaciRole = typeof RACI_ROLES[number]
