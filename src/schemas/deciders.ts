// API contracts of "who decides?": the answer for an initiative or a domain, a person's authority, and many at once.
import Type, { type Static } from 'typebox'
import { DECISION_RULES, PERSON_STATUSES } from '../../db/schema.js'
import { Id, Nullable, Timestamp } from './common.js'

const At = Type.String({ format: 'date-time', maxLength: 40, description: 'The time to answer for (ISO-8601); default now' })

export const DeciderQuery = Type.Object({ at: Type.Optional(At) }, { additionalProperties: false })
export type DeciderQuery = Static<typeof DeciderQuery>

export const ViaStepSchema = Type.Union([
  Type.Object({
    kind: Type.Literal('assignment'),
    id: Id,
    level: Type.Enum(['initiative', 'domain'], { description: 'Held on the initiative itself, or on a domain' }),
    domainId: Nullable(Id)
  }, { description: 'The A assignment that makes a formal decider; domainId is null at initiative level' }),
  Type.Object({
    kind: Type.Literal('delegation'),
    id: Id,
    from: Id,
    to: Id,
    validTo: Nullable(Timestamp)
  }, { description: 'One hand-over of that authority, valid until validTo (null: open-ended)' })
], { description: 'A step of the path that led to a decider' })

export const EffectiveDeciderSchema = Type.Object({
  personId: Id,
  name: Type.String({ description: 'The person\'s name' }),
  via: Type.Array(ViaStepSchema, { description: 'How they came to decide: the assignment, then each delegation followed' })
})

export const AbsentDeciderSchema = Type.Object({
  personId: Id,
  name: Type.String(),
  status: Type.Enum(PERSON_STATUSES, { description: 'Their status at the time asked about' })
}, { description: 'A formal decider who cannot act at that time, and whose delegations found nobody who can' })

const answer = {
  at: Timestamp,
  decisionRule: Type.Enum(DECISION_RULES),
  resolution: Type.Enum(['clear', 'ambiguous', 'absent', 'none'], {
    description: 'clear: one decider, or the declared pool/unanimous group; ambiguous: more than one under single; absent: deciders exist but none can act; none: no A anywhere up the tree'
  }),
  deciders: Type.Array(EffectiveDeciderSchema, { description: 'The effective deciders, in assignment id order' }),
  absent: Type.Array(AbsentDeciderSchema)
}

const ada = { personId: 'ada-lovelace', name: 'Ada Lovelace' }
const initiativeExample = {
  initiativeId: 'eu-price-list-2027',
  at: '2026-03-03T09:00:00.000Z',
  decisionRule: 'single',
  resolution: 'clear',
  deciders: [{
    personId: 'grace-hopper',
    name: 'Grace Hopper',
    via: [
      { kind: 'assignment', id: 'as-2', level: 'domain', domainId: 'pricing' },
      { kind: 'delegation', id: 'dg-7', from: 'ada-lovelace', to: 'grace-hopper', validTo: '2026-04-01T00:00:00.000Z' }
    ]
  }],
  absent: []
}

export const InitiativeDeciderSchema = Type.Object({ initiativeId: Id, ...answer }, {
  description: 'Who decides the initiative at a time, and the path that led there', examples: [initiativeExample]
})
export type InitiativeDecider = Static<typeof InitiativeDeciderSchema>

export const DomainDeciderSchema = Type.Object({ domainId: Id, ...answer }, {
  description: 'Who decides the domain at a time (its own A\'s, else its nearest ancestor\'s; always the single rule)',
  examples: [{
    domainId: 'pricing',
    at: '2026-03-03T09:00:00.000Z',
    decisionRule: 'single',
    resolution: 'absent',
    deciders: [],
    absent: [{ ...ada, status: 'on_leave' }]
  }]
})
export type DomainDecider = Static<typeof DomainDeciderSchema>

const How = Type.Enum(['direct', 'inherited', 'delegation'], {
  description: 'direct: their own A on it; inherited: their own A on an ancestor domain; delegation: handed to them by a delegation'
})
const Via = Type.Array(ViaStepSchema)

export const AuthoritySchema = Type.Object({
  personId: Id,
  at: Timestamp,
  initiatives: Type.Array(Type.Object({ initiativeId: Id, how: How, via: Via }), { description: 'Initiatives they decide, in id order' }),
  domains: Type.Array(Type.Object({ domainId: Id, how: How, via: Via }), { description: 'Domains they decide, in id order' })
}, {
  description: 'Every initiative and domain where the person is an effective decider at a time',
  examples: [{
    personId: 'ada-lovelace',
    at: '2026-03-03T09:00:00.000Z',
    initiatives: [
      { initiativeId: 'eu-price-list-2027', how: 'inherited', via: [{ kind: 'assignment', id: 'as-2', level: 'domain', domainId: 'pricing' }] },
      { initiativeId: 'us-launch', how: 'direct', via: [{ kind: 'assignment', id: 'as-9', level: 'initiative', domainId: null }] }
    ],
    domains: [{ domainId: 'pricing', how: 'direct', via: [{ kind: 'assignment', id: 'as-2', level: 'domain', domainId: 'pricing' }] }]
  }]
})
export type Authority = Static<typeof AuthoritySchema>

export const MAX_BATCH = 500

export const ResolveDecidersBody = Type.Object({
  initiativeIds: Type.Array(Id, { minItems: 1, maxItems: MAX_BATCH, uniqueItems: true, description: `The initiatives to answer for (1 to ${MAX_BATCH}, no repeats)` }),
  at: Type.Optional(At)
}, { additionalProperties: false, examples: [{ initiativeIds: ['eu-price-list-2027', 'us-launch'], at: '2026-03-03T09:00:00.000Z' }] })
export type ResolveDecidersBody = Static<typeof ResolveDecidersBody>

export const ResolvedDecidersSchema = Type.Object({
  at: Timestamp,
  results: Type.Array(InitiativeDeciderSchema, { description: 'One answer per initiative, in the order asked' })
}, { description: 'Who decides each initiative, at one time', examples: [{ at: '2026-03-03T09:00:00.000Z', results: [initiativeExample] }] })
export type ResolvedDeciders = Static<typeof ResolvedDecidersSchema>
