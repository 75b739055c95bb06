// API contracts of "who decides?": the answer for an initiative or a domain, a person's authority, and many at once.
import Type, { type Static } from 'typebox'
import { DECISION_RULES, DELEGATION_KINDS, PERSON_STATUSES, SEVERITIES } from '../../db/schema.js'
import { AssignmentId, DelegationId, DomainId, InitiativeId, Nullable, PersonId, Timestamp, WaiverId } from './common.js'

const At = Type.String({ format: 'date-time', maxLength: 40, description: 'The time to answer for (ISO-8601); default now' })

export const DeciderQuery = Type.Object({ at: Type.Optional(At) }, { additionalProperties: false })
export type DeciderQuery = Static<typeof DeciderQuery>

export const ViaStepSchema = Type.Union([
  Type.Object({
    kind: Type.Literal('assignment'),
    id: AssignmentId,
    level: Type.Enum(['initiative', 'domain'], { description: 'Held on the initiative itself, or on a domain' }),
    domainId: Nullable(DomainId),
    domainName: Nullable(Type.String({ description: 'The domain\'s name at the time asked about; null at initiative level' }))
  }, { description: 'The A assignment that makes a formal decider; domainId is null at initiative level' }),
  Type.Object({
    kind: Type.Literal('delegation'),
    id: DelegationId,
    from: PersonId,
    to: PersonId,
    fromName: Type.String({ description: 'The delegator\'s name' }),
    toName: Type.String({ description: 'The delegate\'s name' }),
    validTo: Nullable(Timestamp),
    delegationKind: Type.Enum([...DELEGATION_KINDS], { description: 'deputy: followed because the delegator is not active; transfer: followed whatever their status' })
  }, { description: 'One hand-over of that authority, valid until validTo (null: open-ended)' })
], { description: 'A step of the path that led to a decider' })

export const EffectiveDeciderSchema = Type.Object({
  personId: PersonId,
  name: Type.String({ description: 'The person\'s name' }),
  via: Type.Array(ViaStepSchema, { description: 'How they came to decide: the assignment, then each delegation followed' })
})

export const AbsentDeciderSchema = Type.Object({
  personId: PersonId,
  name: Type.String(),
  status: Type.Enum(PERSON_STATUSES, { description: 'Their status at the time asked about' })
}, { description: 'A formal decider who cannot act at that time, and whose delegations found nobody who can' })

export const CaveatSchema = Type.Object({
  ruleId: Type.String({ description: 'The audit rule that reports it' }),
  severity: Type.Enum(SEVERITIES),
  summary: Type.String({ description: 'The finding\'s message' }),
  fingerprint: Type.String({ description: 'The finding\'s fingerprint, as an audit stores it: what a waiver names' }),
  subject: Type.Object({ kind: Type.String(), id: Type.String() }, { description: 'The record the finding is about' }),
  remediation: Nullable(Type.String({ description: 'One next step in words, when the rule gives one' })),
  waived: Nullable(Type.Object({ waiverId: WaiverId, reason: Type.String() }, {
    description: 'The live waiver that accepts the finding: a waived caveat is listed but not counted in the summary'
  }))
}, { description: 'A live finding of the audit rules that touches the answer: it names the initiative, a domain it sits in, or a person of the answer' })

export const NextUpStepSchema = Type.Union([
  Type.Object({
    kind: Type.Literal('domain'),
    domainId: DomainId,
    name: Type.String(),
    resolution: Type.Enum(['clear', 'ambiguous', 'absent'], { description: 'Who decides that domain: the first clear one answers' })
  }, { description: 'A domain above, with an A of its own, asked in turn' }),
  Type.Object({
    kind: Type.Literal('reports-to'),
    personId: PersonId,
    name: Type.String(),
    managerId: PersonId,
    managerName: Type.String()
  }, { description: 'One link of a reporting line (people.managerId), from a decider up to the common manager' })
], { description: 'A step of the way to the person next up' })

export const NextUpSchema = Type.Object({
  personId: PersonId,
  name: Type.String(),
  reason: Type.Enum(['domain-above', 'common-manager', 'role-holders-manager'], {
    description: 'domain-above: the decider of the nearest domain further up the tree that has one who can act; ' +
      'common-manager: the nearest active person in the reporting lines of all the deciders in question; ' +
      'role-holders-manager (none only): the nearest active manager above everyone Responsible for it (else Consulted, else Informed), who can name who is Accountable'
  }),
  summary: Type.String({ description: 'Who they are to this question, in words' }),
  via: Type.Array(ViaStepSchema, { description: 'domain-above: how they decide that domain (as in deciders[].via); otherwise empty' }),
  path: Type.Array(NextUpStepSchema, { description: 'The way there: the domains asked, or the reporting lines followed' })
}, { description: 'Who the question escalates to when nobody (or more than one) can decide it, or nobody is Accountable' })

const answer = {
  at: Timestamp,
  decisionRule: Type.Enum(DECISION_RULES),
  resolution: Type.Enum(['clear', 'ambiguous', 'absent', 'none'], {
    description: 'clear: one decider, or the declared pool/unanimous group; ambiguous: more than one under single; absent: deciders exist but none can act; none: no A anywhere up the tree'
  }),
  summary: Type.String({
    description: 'The answer in one sentence a manager can read (British English; dates in words, UTC); a clear answer with unwaived caveats says so'
  }),
  deciders: Type.Array(EffectiveDeciderSchema, { description: 'The effective deciders, in assignment id order' }),
  absent: Type.Array(AbsentDeciderSchema),
  caveats: Type.Array(CaveatSchema, { description: 'Live findings that touch the answer, by severity then rule (judged at the time asked; waivers as of now)' }),
  nextUp: Type.Union([NextUpSchema, Type.Null()], {
    description: 'For absent, none and ambiguous: who the question escalates to; null when clear, or when there is nobody to escalate to'
  })
}

const ada = { personId: 'ada-lovelace', name: 'Ada Lovelace' }
const onPricing = { kind: 'assignment', id: 'as-2', level: 'domain', domainId: 'pricing', domainName: 'Pricing' }
const initiativeExample = {
  initiativeId: 'eu-price-list-2027',
  at: '2026-03-03T09:00:00.000Z',
  decisionRule: 'single',
  resolution: 'clear',
  summary: "Grace Hopper decided 'New EU price list' on 3 March 2026 for Ada Lovelace, who was on leave, until 1 April 2026; " +
    "1 caveat: Charles Babbage (retired) still steers Ada Lovelace, who decides \"New EU price list\" (high influence observed 2026-01-10T00:00:00.000Z).",
  deciders: [{
    personId: 'grace-hopper',
    name: 'Grace Hopper',
    via: [
      onPricing,
      { kind: 'delegation', id: 'dg-7', from: 'ada-lovelace', to: 'grace-hopper', fromName: 'Ada Lovelace', toName: 'Grace Hopper', validTo: '2026-04-01T00:00:00.000Z', delegationKind: 'deputy' }
    ]
  }],
  absent: [],
  caveats: [{
    ruleId: 'retired-influence',
    severity: 'warning',
    summary: 'Charles Babbage (retired) still steers Ada Lovelace, who decides "New EU price list" (high influence observed 2026-01-10T00:00:00.000Z)',
    fingerprint: '5b1e0c7d9a2f4e6b8c0d1e2f3a4b5c6d',
    subject: { kind: 'person', id: 'charles-babbage' },
    remediation: null,
    waived: null
  }],
  nextUp: null
}

export const InitiativeDeciderSchema = Type.Object({ initiativeId: InitiativeId, ...answer }, {
  description: 'Who decides the initiative at a time, and the path that led there', examples: [initiativeExample]
})
export type InitiativeDecider = Static<typeof InitiativeDeciderSchema>

export const DomainDeciderSchema = Type.Object({ domainId: DomainId, ...answer }, {
  description: 'Who decides the domain at a time (its own A\'s, else its nearest ancestor\'s; always the single rule)',
  examples: [{
    domainId: 'pricing',
    at: '2026-03-03T09:00:00.000Z',
    decisionRule: 'single',
    resolution: 'absent',
    summary: 'Nobody could decide the Pricing domain on 3 March 2026: Ada Lovelace, its decider, was on leave and had no deputy.',
    deciders: [],
    absent: [{ ...ada, status: 'on_leave' }],
    caveats: [],
    nextUp: {
      personId: 'alan-turing',
      name: 'Alan Turing',
      reason: 'domain-above',
      summary: 'Alan Turing, Accountable for the Commercial domain, the next level up',
      via: [{ kind: 'assignment', id: 'as-1', level: 'domain', domainId: 'commercial', domainName: 'Commercial' }],
      path: [{ kind: 'domain', domainId: 'commercial', name: 'Commercial', resolution: 'clear' }]
    }
  }]
})
export type DomainDecider = Static<typeof DomainDeciderSchema>

const How = Type.Enum(['direct', 'inherited', 'delegation'], {
  description: 'direct: their own A on it; inherited: their own A on an ancestor domain; delegation: handed to them by a delegation'
})
const Via = Type.Array(ViaStepSchema)

export const AuthoritySchema = Type.Object({
  personId: PersonId,
  at: Timestamp,
  initiatives: Type.Array(Type.Object({ initiativeId: InitiativeId, how: How, via: Via }), { description: 'Initiatives they decide, in id order' }),
  domains: Type.Array(Type.Object({ domainId: DomainId, how: How, via: Via }), { description: 'Domains they decide, in id order' })
}, {
  description: 'Every initiative and domain where the person is an effective decider at a time',
  examples: [{
    personId: 'ada-lovelace',
    at: '2026-03-03T09:00:00.000Z',
    initiatives: [
      { initiativeId: 'eu-price-list-2027', how: 'inherited', via: [onPricing] },
      { initiativeId: 'us-launch', how: 'direct', via: [{ kind: 'assignment', id: 'as-9', level: 'initiative', domainId: null, domainName: null }] }
    ],
    domains: [{ domainId: 'pricing', how: 'direct', via: [onPricing] }]
  }]
})
export type Authority = Static<typeof AuthoritySchema>

export const MAX_BATCH = 500

export const ResolveDecidersBody = Type.Object({
  initiativeIds: Type.Array(InitiativeId, { minItems: 1, maxItems: MAX_BATCH, uniqueItems: true, description: `The initiatives to answer for (1 to ${MAX_BATCH}, no repeats)` }),
  at: Type.Optional(At),
  strict: Type.Optional(Type.Boolean({
    description: 'true: any unknown id refuses the whole batch (422, each unknown id named); default false: the known ids are answered and the unknown ones listed'
  }))
}, { additionalProperties: false, examples: [{ initiativeIds: ['eu-price-list-2027', 'us-launch'], at: '2026-03-03T09:00:00.000Z' }] })
export type ResolveDecidersBody = Static<typeof ResolveDecidersBody>

export const ResolvedDecidersSchema = Type.Object({
  at: Timestamp,
  results: Type.Array(InitiativeDeciderSchema, { description: 'One answer per known initiative, in the order asked' }),
  unknown: Type.Array(Type.Object({
    index: Type.Integer({ minimum: 0, description: 'Its position in initiativeIds' }),
    initiativeId: Type.String()
  }), { description: 'The ids asked for that name no initiative, in the order asked (empty when every id is known)' })
}, {
  description: 'Who decides each initiative, at one time',
  examples: [{ at: '2026-03-03T09:00:00.000Z', results: [initiativeExample], unknown: [{ index: 1, initiativeId: 'us-launch' }] }]
})
export type ResolvedDeciders = Static<typeof ResolvedDecidersSchema>
export type Caveat = Static<typeof CaveatSchema>
