// Contracts of the spreadsheets: the organization-wide RACI matrix (GET /v1/raci) and the report of a spreadsheet
// import (POST /v1/import with a CSV file or an XLSX workbook).
import Type, { type Static } from 'typebox'
import { DECISION_RULES, INITIATIVE_STATUSES, PERSON_STATUSES, RACI_ROLES } from '../../db/schema.js'
import { ImportQuery } from './bundle.js'
import { DomainId, Nullable } from './common.js'
import { RaciHolderSchema } from './initiatives.js'

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
export const CSV_MEDIA_TYPE = 'text/csv'

export const RACI_FORMATS = ['json', 'csv', 'xlsx'] as const

export const RaciMatrixQuery = Type.Object({
  format: Type.Optional(Type.Enum([...RACI_FORMATS], { description: 'The answer\'s form; overrides Accept (application/json, text/csv or the XLSX media type)' })),
  domainId: Type.Optional({ ...DomainId, description: 'Only the initiatives of this domain and the domains below it' }),
  at: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'The matrix as the registry stood at this time (ISO-8601); default now' }))
}, { additionalProperties: false })
export type RaciMatrixQuery = Static<typeof RaciMatrixQuery>

const Roles = Type.Array(Type.Enum([...RACI_ROLES]))

export const RaciMatrixSchema = Type.Object({
  at: Type.String({ format: 'date-time' }),
  domainId: Nullable(Type.String()),
  people: Type.Array(Type.Object({
    id: Type.String(),
    name: Type.String(),
    email: Nullable(Type.String()),
    status: Type.Enum([...PERSON_STATUSES]),
    header: Type.String({ description: 'How the CSV and XLSX forms name the person: their email' })
  }), { description: 'The people holding a role on one of the rows, by name' }),
  rows: Type.Array(Type.Object({
    initiativeId: Type.String(),
    title: Type.String(),
    label: Type.String({ description: 'How the files name the initiative: its title, or its id where the title is not unique' }),
    domainId: Nullable(Type.String()),
    domain: Nullable(Type.String({ description: 'How the files name the domain: its name, or its id where the name is not unique' })),
    decisionRule: Type.Enum([...DECISION_RULES]),
    status: Type.Enum([...INITIATIVE_STATUSES]),
    roles: Type.Record(Type.String(), Roles, { description: 'The roles each person holds on the initiative itself, by person id' }),
    accountable: Type.Array(RaciHolderSchema, {
      description: 'Every A valid then on the initiative and up its domain chain, nearest first, each with its origin and its authority: ' +
        'effective (a formal decider, as GET /v1/initiatives/{id}/decider resolves it) or overridden (replaced by a nearer A). ' +
        'The CSV and XLSX forms show only the roles held on the initiative itself, which are never overridden'
    })
  }), { description: 'Every initiative (of the domain\'s subtree), in id order' }),
  problems: Type.Array(Type.Object({
    initiativeId: Type.String(),
    personId: Nullable(Type.String({ description: 'null: the row as a whole (no one cell is at fault)' })),
    ruleId: Type.String(),
    message: Type.String()
  }), { description: 'Cells that break a rule: two final deciders, none, a retired or absent person holding a role' }),
  findings: Type.Array(Type.Object({
    ruleId: Type.String(),
    severity: Type.String(),
    message: Type.String(),
    initiativeId: Nullable(Type.String()),
    personIds: Type.Array(Type.String()),
    personNames: Type.Array(Type.String()),
    waived: Nullable(Type.Object({ waiverId: Type.String(), reason: Type.String() }))
  }), { description: 'The live findings of the enabled rules at that time' })
}, {
  examples: [{
    at: '2026-06-01T09:00:00.000Z',
    domainId: null,
    people: [
      { id: 'ada', name: 'Ada Lovelace', email: 'ada@example.com', status: 'active', header: 'ada@example.com' },
      { id: 'bob', name: 'Bob Babbage', email: 'bob@example.com', status: 'retired', header: 'bob@example.com' }
    ],
    rows: [{ initiativeId: 'new-tiers', title: 'New price tiers', label: 'New price tiers', domainId: 'pricing', domain: 'Pricing', decisionRule: 'single', status: 'active', roles: { ada: ['A'], bob: ['R', 'A'] },
      accountable: [
        { assignmentId: 'as-7', personId: 'ada', name: 'Ada Lovelace', source: 'direct', domainId: null, validFrom: '2026-01-01T00:00:00.000Z', validTo: null, origin: { level: 'initiative', id: 'new-tiers', name: 'New price tiers', distance: 0 }, authority: 'effective' },
        { assignmentId: 'as-8', personId: 'bob', name: 'Bob Babbage', source: 'direct', domainId: null, validFrom: '2026-01-01T00:00:00.000Z', validTo: null, origin: { level: 'initiative', id: 'new-tiers', name: 'New price tiers', distance: 0 }, authority: 'effective' },
        { assignmentId: 'as-2', personId: 'cy', name: 'Cy Shannon', source: 'inherited', domainId: 'pricing', validFrom: '2025-01-01T00:00:00.000Z', validTo: null, origin: { level: 'domain', id: 'pricing', name: 'Pricing', distance: 1 }, authority: 'overridden' }
      ] }],
    problems: [
      { initiativeId: 'new-tiers', personId: 'ada', ruleId: 'multiple-final-deciders', message: '2 people hold the final decision on "New price tiers"' },
      { initiativeId: 'new-tiers', personId: 'bob', ruleId: 'inactive-role-holder', message: 'Bob Babbage holds R/A but is retired' }
    ],
    findings: [{ ruleId: 'multiple-final-deciders', severity: 'error', message: '2 people hold the final decision on "New price tiers"', initiativeId: 'new-tiers', personIds: ['ada', 'bob'], personNames: ['Ada Lovelace', 'Bob Babbage'], waived: null }]
  }]
})

/** The RACI matrix as CSV, as GET /v1/raci writes it and POST /v1/import reads it. */
export const RACI_CSV_EXAMPLE = 'Initiative,Domain,Decision rule,ada@example.com,bob@example.com\r\nNew price tiers,Pricing,single,A,R\r\n'

/** A file in a request or an answer: bytes as text (CSV) or binary (XLSX), at most the spreadsheet limit. */
export const SpreadsheetFile = (format: 'csv' | 'xlsx', description: string) => Type.String({
  maxLength: 50 * 1024 * 1024,
  description,
  ...(format === 'xlsx' ? { format: 'binary', examples: ['(an XLSX workbook: the matrix on its first sheet)'] } : { examples: [RACI_CSV_EXAMPLE] })
})

export const ImportFileQuery = Type.Object({
  ...ImportQuery.properties,
  kind: Type.Optional(Type.Enum(['raci', 'people'], {
    description: 'What a CSV file holds: a RACI matrix or people (default: people when its header names an email column). A workbook is a RACI matrix'
  }))
}, { additionalProperties: false })

const ImportProblemSchema = Type.Object({
  kind: Type.String(),
  row: Type.Optional(Type.Integer({ description: 'From 1, as a spreadsheet shows it' })),
  column: Type.Optional(Type.Integer({ description: 'From 1 (A)' })),
  cell: Type.Optional(Type.String({ description: 'A1 name' })),
  line: Type.Optional(Type.Integer()),
  message: Type.String()
})

export const SpreadsheetImportReportSchema = Type.Object({
  kind: Type.Enum(['raci', 'people']),
  dryRun: Type.Boolean(),
  revision: Type.Union([Type.Integer(), Type.Null()], { description: 'Revision of the last change written; null when nothing was written' }),
  created: Type.Integer({ description: 'Assignments (people) created' }),
  changed: Type.Integer({ description: 'Initiatives (people) changed' }),
  ended: Type.Integer({ description: 'Assignments ended' }),
  unchanged: Type.Integer({ description: 'Roles (people) left as they were' }),
  problems: Type.Array(ImportProblemSchema, { description: 'Empty once applied; a refused file lists its problems in the 422\'s report' })
}, {
  examples: [{ kind: 'raci', dryRun: false, revision: 42, created: 12, changed: 1, ended: 3, unchanged: 180, problems: [] }]
})
