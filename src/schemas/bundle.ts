// API contract of the bundle: the whole registry in one document, for export, import and spreadsheets.
import Type, { type TObject, type TSchema } from 'typebox'
import { AssignmentCreateSchema, AssignmentSchema } from './assignments.js'
import { DecisionBundleRowSchema, DecisionSchema } from './decisions.js'
import { DelegationCreateSchema, DelegationSchema } from './delegations.js'
import { DomainCreateSchema, DomainSchema } from './domains.js'
import { InfluenceCreateSchema, InfluenceSchema } from './influences.js'
import { InitiativeCreateSchema, InitiativeSchema } from './initiatives.js'
import { PersonCreateSchema, PersonSchema } from './people.js'

const MAX_ROWS = 1_000_000

/** A record as exported: the API record without version, createdAt and updatedAt. */
const exported = (record: TObject) => Type.Omit(record, ['version', 'createdAt', 'updatedAt'])

const collections = <T extends TSchema>(row: (record: TObject, create: TObject) => T) => ({
  people: Type.Array(row(PersonSchema, PersonCreateSchema), { maxItems: MAX_ROWS }),
  domains: Type.Array(row(DomainSchema, DomainCreateSchema), { maxItems: MAX_ROWS }),
  initiatives: Type.Array(row(InitiativeSchema, InitiativeCreateSchema), { maxItems: MAX_ROWS }),
  assignments: Type.Array(row(AssignmentSchema, AssignmentCreateSchema), { maxItems: MAX_ROWS }),
  delegations: Type.Array(row(DelegationSchema, DelegationCreateSchema), { maxItems: MAX_ROWS }),
  influences: Type.Array(row(InfluenceSchema, InfluenceCreateSchema), { maxItems: MAX_ROWS }),
  decisions: Type.Array(row(DecisionSchema, DecisionBundleRowSchema), { maxItems: MAX_ROWS })
})

const exampleBundle = {
  people: [{ id: 'ada', name: 'Ada Lovelace', email: 'ada@example.com', title: 'CEO', status: 'active', statusSince: null, tags: ['founder'], stakePercent: 12.5, managerId: null, externalId: null }],
  domains: [{ id: 'pricing', name: 'Pricing', description: null, parentId: null }],
  initiatives: [{ id: 'new-tiers', title: 'New price tiers', destination: 'Three tiers by Q3', description: null, domainId: 'pricing', status: 'active', decisionRule: 'single', decisionDueAt: null }],
  assignments: [{ id: 'a1', personId: 'ada', role: 'A', initiativeId: null, domainId: 'pricing', validFrom: '2026-01-01T00:00:00.000Z', validTo: null }],
  delegations: [],
  influences: [],
  decisions: [{ id: 'tiers-go', initiativeId: 'new-tiers', decidedBy: 'ada', decidedAt: '2026-05-04T10:00:00.000Z', outcome: 'Three tiers from July', rationale: null, kind: 'decision', supersedes: null }]
}

export const BundleSchema = Type.Object(collections((record) => exported(record)), {
  description: 'The whole registry; each collection in id order',
  examples: [exampleBundle]
})

/** What an import accepts: each row as its create body (id optional: rows without one match on their natural key). */
export const ImportBundleSchema = Type.Object(
  Object.fromEntries(Object.entries(collections((_record, create) => create)).map(([k, v]) => [k, Type.Optional(v)])),
  {
    additionalProperties: false,
    description: 'A bundle as GET /v1/export returns it; collections left out are empty. A person is named (personId, managerId, ' +
      'fromPersonId, toPersonId, overPersonId, decidedBy) by id, email (any case) or external id, read in that order: the first that ' +
      'names a person of the bundle or the registry decides. A row without id matches the record of its natural key; an assignment ' +
      'or delegation without validFrom (an influence without observedAt) is the one of the same person, role and target that holds ' +
      'now, and keeps its dates: the same file imported twice changes nothing',
    examples: [exampleBundle]
  }
)

export const ImportQuery = Type.Object({
  mode: Type.Optional(Type.Enum(['upsert', 'replace'], { default: 'upsert', description: 'replace also removes records the bundle does not contain' })),
  dryRun: Type.Optional(Type.Boolean({ default: false, description: 'Report what would change and every invalid row; write nothing' }))
}, { additionalProperties: false })

const Outcome = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  ended: Type.Integer({ description: 'Assignments and delegations that held at the import\'s time and no longer do: a row setting validTo to then or before' }),
  removed: Type.Integer(),
  unchanged: Type.Integer(),
  ids: Type.Object({ created: Type.Array(Type.String()), updated: Type.Array(Type.String()), ended: Type.Array(Type.String()), removed: Type.Array(Type.String()) }, {
    description: 'The ids of each kind (at most 1000 listed)'
  })
})

export const InvalidRowSchema = Type.Object({
  collection: Type.String(),
  index: Type.Integer({ description: 'Position of the row in its collection, from 0' }),
  field: Type.String({ description: 'JSON Pointer to the field within the row' }),
  reason: Type.String()
})

export const ImportReportSchema = Type.Object({
  mode: Type.Enum(['upsert', 'replace']),
  dryRun: Type.Boolean(),
  revision: Type.Union([Type.Integer(), Type.Null()], { description: 'Revision of the last change written; null when nothing was written' }),
  collections: Type.Object({
    people: Outcome, domains: Outcome, initiatives: Outcome, assignments: Outcome, delegations: Outcome, influences: Outcome, decisions: Outcome
  }),
  invalidCount: Type.Integer(),
  invalid: Type.Array(InvalidRowSchema, { description: 'The invalid rows (at most 1000 listed)' })
}, {
  examples: [{
    mode: 'upsert', dryRun: true, revision: null, invalidCount: 1,
    invalid: [{ collection: 'assignments', index: 3, field: '/personId', reason: 'no person with the id, email or external id "bob" in the bundle or the registry' }],
    collections: Object.fromEntries(['people', 'domains', 'initiatives', 'assignments', 'delegations', 'influences', 'decisions'].map((c) => [c, { created: 0, updated: 0, ended: 0, removed: 0, unchanged: 0, ids: { created: [], updated: [], ended: [], removed: [] } }]))
  }]
})
