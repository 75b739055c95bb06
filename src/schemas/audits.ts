// API contract of audit runs and their findings, and of the live findings of one initiative.
import Type, { type Static } from 'typebox'
import { FINDING_STATES } from '../../db/schema.js'
import { AuditId, DomainId, InitiativeId, Nullable, PageQuery, Timestamp, WaiverId } from './common.js'
import { SeveritySchema } from './rules.js'

export const MAX_SCOPE_INITIATIVES = 500
export const GROUP_BY = ['subject', 'rule', 'person'] as const

const DomainScope = Type.Object({
  domainId: { ...DomainId, description: 'Audit the domain, its sub-domains and their initiatives' }
}, { additionalProperties: false })

const InitiativesScope = Type.Object({
  initiativeIds: Type.Array(InitiativeId, { minItems: 1, maxItems: MAX_SCOPE_INITIATIVES, description: 'Audit these initiatives only' })
}, { additionalProperties: false })

export const AuditScopeSchema = Type.Union([DomainScope, InitiativesScope], {
  description: 'What to audit; absent or null: the whole registry'
})
export type AuditScopeInput = Static<typeof AuditScopeSchema>

export const AuditCreateSchema = Type.Object({
  scope: Type.Optional(Nullable(AuditScopeSchema)),
  at: Type.Optional({ ...Timestamp, description: 'The time the registry is judged at; default now' })
}, { additionalProperties: false, examples: [{}, { scope: { domainId: 'pricing' } }, { scope: { initiativeIds: ['eu-price-list-2027'] }, at: '2026-03-03T09:00:00.000Z' }] })
export type AuditCreate = Static<typeof AuditCreateSchema>

const Counts = Type.Object({
  error: Type.Integer({ minimum: 0 }),
  warning: Type.Integer({ minimum: 0 }),
  info: Type.Integer({ minimum: 0 })
}, { description: 'Findings that hold now, by severity; waived ones are not counted' })

const runExample = {
  id: '01hzx3k6n8p2q4r6s8t0v2w4y6',
  scope: { domainId: 'pricing' },
  at: '2026-03-03T09:00:00.000Z',
  startedAt: '2026-03-03T09:00:00.000Z',
  finishedAt: '2026-03-03T09:00:01.250Z',
  counts: { error: 2, warning: 5, info: 1 },
  new: 3,
  persisting: 6,
  resolved: 1,
  waived: 1
}

export const AuditRunSchema = Type.Object({
  id: AuditId,
  scope: Nullable(AuditScopeSchema),
  at: Timestamp,
  startedAt: Timestamp,
  finishedAt: Timestamp,
  counts: Counts,
  new: Type.Integer({ minimum: 0, description: 'Findings the previous run of the same scope did not have' }),
  persisting: Type.Integer({ minimum: 0, description: 'Findings the previous run of the same scope had too' }),
  resolved: Type.Integer({ minimum: 0, description: 'Findings of the previous run of the same scope that no longer hold' }),
  waived: Type.Integer({ minimum: 0, description: 'Findings that hold but are accepted by a live waiver' })
}, { examples: [runExample] })
export type AuditRun = Static<typeof AuditRunSchema>

export const AuditsQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export type AuditsQuery = Static<typeof AuditsQuery>

const Ref = Type.Object({ kind: Type.String(), id: Type.String() })

const findingFields = {
  fingerprint: Type.String({ description: 'Stable over runs: rule, subject and related records' }),
  ruleId: Type.String(),
  severity: SeveritySchema,
  subject: Ref,
  related: Type.Array(Ref),
  message: Type.String(),
  remediation: Type.String({ description: 'One concrete next step in words, naming the people and records involved' }),
  data: Nullable(Type.Object({}, { additionalProperties: true, description: 'Figures behind the message' })),
  waived: Nullable(Type.Object({ waiverId: WaiverId, reason: Type.String() }, { description: 'The waiver that accepts the finding' }))
}

const findingExample = {
  fingerprint: '6f1c2a9e0b7d4c3a8e5f1b2d9c0a7e4f6b3d8c1a5e9f2b7d4c0a6e3f8b1d5c9a',
  ruleId: 'multiple-final-deciders',
  severity: 'error',
  subject: { kind: 'initiative', id: 'eu-price-list-2027' },
  related: [{ kind: 'person', id: 'ada-lovelace' }, { kind: 'person', id: 'grace-hopper' }],
  message: '2 people hold the final decision on "New EU price list for 2027": Ada Lovelace and Grace Hopper',
  remediation: 'Make one of Ada Lovelace and Grace Hopper Accountable for "New EU price list for 2027" and the other Consulted or Responsible, ' +
    'or split the initiative; if any one of them may decide alone, declare it a pool',
  data: null,
  waived: null
}

export const FindingSchema = Type.Object({
  ...findingFields,
  state: Type.Enum([...FINDING_STATES], { description: 'new or persisting: holds in this run; resolved: held in the previous run, no longer' })
}, { examples: [{ ...findingExample, state: 'new' }] })
export type Finding = Static<typeof FindingSchema>

export const FindingsQuery = Type.Object({
  severity: Type.Optional(SeveritySchema),
  ruleId: Type.Optional(Type.String({ maxLength: 64, description: 'Only this rule\'s findings' })),
  state: Type.Optional(Type.Enum([...FINDING_STATES])),
  waived: Type.Optional(Type.Boolean({ description: 'true: only waived findings; false: only those without a waiver' })),
  holds: Type.Optional(Type.Boolean({ description: 'true: only the findings that hold in the run (new or persisting); false: only the resolved ones' })),
  groupBy: Type.Optional(Type.Enum([...GROUP_BY], {
    description: 'Group the findings by root cause: subject (the record a finding is about), rule, or person (each person a finding names, ' +
      'as subject or related). Groups come worst severity first, then largest; the page (limit, cursor) is over groups'
  })),
  perGroup: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'With groupBy: the most findings listed per group (default 20); count says how many it has' })),
  ...PageQuery
}, { additionalProperties: false })

const groupExample = {
  key: { kind: 'person', id: 'ada-lovelace' },
  label: 'Ada Lovelace',
  severity: 'error',
  count: 1,
  findings: [{ ...findingExample, state: 'new' }]
}

export const FindingGroupSchema = Type.Object({
  key: Type.Object({ kind: Type.String({ description: 'A record kind (person, initiative, …), or rule' }), id: Type.String() }),
  label: Type.String({ description: 'What the key names, in words: a person\'s name, an initiative\'s title, a domain\'s name, a rule\'s title; else its id' }),
  severity: SeveritySchema,
  count: Type.Integer({ minimum: 1, description: 'Findings in the group (the filters applied)' }),
  findings: Type.Array(FindingSchema, { description: 'Its first perGroup findings, in the order stored' })
})

export const FindingGroupsSchema = Type.Object({
  groupBy: Type.Enum([...GROUP_BY]),
  groups: Type.Array(FindingGroupSchema),
  totalGroups: Type.Integer({ minimum: 0 }),
  totalFindings: Type.Integer({ minimum: 0, description: 'Findings the filters keep, each once' }),
  nextCursor: Nullable(Type.String({ description: 'Pass as ?cursor= (with the same groupBy and filters) for the next page of groups; null on the last' }))
}, { examples: [{ groupBy: 'person', groups: [groupExample], totalGroups: 1, totalFindings: 1, nextCursor: null }] })
export type FindingGroups = Static<typeof FindingGroupsSchema>
export type FindingsQuery = Static<typeof FindingsQuery>

export const LiveFindingSchema = Type.Object(findingFields, { examples: [findingExample] })
export type LiveFinding = Static<typeof LiveFindingSchema>

export const InitiativeFindingsSchema = Type.Object({
  initiativeId: InitiativeId,
  at: Timestamp,
  findings: Type.Array(LiveFindingSchema)
}, { examples: [{ initiativeId: 'eu-price-list-2027', at: '2026-03-03T09:00:00.000Z', findings: [findingExample] }] })
export type InitiativeFindings = Static<typeof InitiativeFindingsSchema>

export const InitiativeFindingsQuery = Type.Object({
  at: Type.Optional({ ...Timestamp, description: 'The time to judge the initiative at; default now' })
}, { additionalProperties: false })
export type InitiativeFindingsQuery = Static<typeof InitiativeFindingsQuery>
