// API contract of decision records: who actually made a call on an initiative, when, what was decided, what kind of
// call it was, and which earlier call it replaces.
import Type, { type Static } from 'typebox'
import { DECISION_KINDS } from '../../db/schema.js'
import { AtQuery, DecisionId, ID_KINDS, idParams, InitiativeId, InitiativeParams, LongText, Nullable, PageQuery, PersonId, RecordMeta, Statement, Timestamp } from './common.js'

const example = {
  id: 'eu-prices-go',
  initiativeId: 'eu-price-list-2027',
  decidedBy: 'ada-lovelace',
  decidedAt: '2026-06-12T15:30:00.000Z',
  outcome: 'One EU price list in euros from 1 January 2027; national lists end on 31 December 2026',
  rationale: 'Cross-border customers were arbitraging the national lists',
  kind: 'decision',
  supersedes: null
}

/** What kind of call a decision record is. */
export const DecisionKindSchema = Type.Enum([...DECISION_KINDS], {
  description: 'decision (the default): a call on the initiative; deferral: the call handed to someone else (the initiative stays open); ' +
    'reversal: an earlier call undone; veto: a call blocked'
})
const Supersedes = { ...DecisionId, description: 'The earlier decision on the same initiative that this one reverses, vetoes or replaces' }

export const DecisionSchema = Type.Object({
  id: DecisionId,
  initiativeId: InitiativeId,
  decidedBy: PersonId,
  decidedAt: Timestamp,
  outcome: Type.String(),
  rationale: Nullable(Type.String()),
  kind: DecisionKindSchema,
  supersedes: Nullable(Supersedes),
  ...RecordMeta
}, {
  description: 'A call someone actually made on an initiative: history, never deleted through the API',
  examples: [{ ...example, version: 1, createdAt: '2026-06-12T16:00:00.000Z', updatedAt: '2026-06-12T16:00:00.000Z' }]
})
export type Decision = Static<typeof DecisionSchema>

const fields = {
  id: Type.Optional(DecisionId),
  decidedBy: { ...PersonId, description: 'The person who made the call (whether they held the authority is for the audit to judge)' },
  decidedAt: { ...Timestamp, description: 'When the call was made' },
  outcome: Statement('What was decided', 2000),
  rationale: Type.Optional(Nullable(LongText('Why'))),
  kind: Type.Optional(DecisionKindSchema),
  supersedes: Type.Optional(Nullable(Supersedes))
}

const { initiativeId: _initiativeId, ...bodyExample } = example

export const DecisionCreateSchema = Type.Object(fields, {
  additionalProperties: false,
  examples: [bodyExample, {
    id: 'eu-prices-reversed', decidedBy: 'grace-hopper', decidedAt: '2026-07-01T09:00:00.000Z', outcome: 'National price lists stay until 2028',
    rationale: null, kind: 'reversal', supersedes: 'eu-prices-go'
  }]
})
export type DecisionCreate = Static<typeof DecisionCreateSchema>

/** A decision as a bundle row: the create body plus the initiative, which the API takes from the path. */
export const DecisionBundleRowSchema = Type.Object({
  ...fields,
  initiativeId: { ...InitiativeId, description: 'The initiative decided on' }
}, { additionalProperties: false, examples: [example] })

export const DecisionParams = Type.Object({
  ...InitiativeParams.properties,
  decisionId: idParams(ID_KINDS.decision).properties.id
}, { additionalProperties: false })
export type DecisionParams = Static<typeof DecisionParams>

export const DecisionsQuery = Type.Object({
  decidedBy: Type.Optional({ ...PersonId, description: 'Only the calls this person made' }),
  kind: Type.Optional(DecisionKindSchema),
  ...PageQuery,
  ...AtQuery
}, { additionalProperties: false })
export type DecisionsQuery = Static<typeof DecisionsQuery>
