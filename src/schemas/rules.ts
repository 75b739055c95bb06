// API contract of the audit rules: the catalogue, each rule's effective configuration, and an auditor's change to it.
import Type, { type Static } from 'typebox'
import { SEVERITIES } from '../../db/schema.js'
import { Nullable, Timestamp } from './common.js'

export const SeveritySchema = Type.Enum([...SEVERITIES], { description: 'error, warning or info' })

const RuleOptions = (description: string) => Type.Object({}, { additionalProperties: true, description })

const example = {
  id: 'unanimity-trap',
  description: 'A unanimous initiative has too many final deciders, or some of them report to another of them.',
  rationale: 'A leader who will not decide until every subordinate approves stalls the change.',
  remediation: 'Name fewer Accountable people, or switch the initiative to a single decider.',
  defaultSeverity: 'warning',
  enabled: true,
  severity: 'warning',
  options: { maxApprovers: 3 },
  optionsSchema: { type: 'object', properties: { maxApprovers: { type: 'integer', minimum: 1 } }, additionalProperties: false },
  version: 0,
  updatedAt: null
}

export const RuleSchema = Type.Object({
  id: Type.String({ description: 'The rule\'s stable id' }),
  description: Type.String({ description: 'What the rule finds' }),
  rationale: Type.String({ description: 'Why it matters' }),
  remediation: Type.String({ description: 'How to fix what it finds' }),
  defaultSeverity: SeveritySchema,
  enabled: Type.Boolean({ description: 'Whether audits run the rule' }),
  severity: { ...SeveritySchema, description: 'The severity its findings get: the auditor\'s choice, else the default' },
  options: RuleOptions('Effective options: those the auditor set, the rule\'s defaults for the rest'),
  optionsSchema: RuleOptions('JSON Schema of the options'),
  version: Type.Integer({ minimum: 0, description: 'Version of the auditor\'s setting (0: never set); also the ETag' }),
  updatedAt: Nullable(Timestamp)
}, { examples: [example] })
export type RuleView = Static<typeof RuleSchema>

export const RulesSchema = Type.Object({
  items: Type.Array(RuleSchema, { description: 'Every rule, in id order' })
}, { examples: [{ items: [example] }] })

export const RuleParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Rule id', examples: ['multiple-final-deciders'] })
}, { additionalProperties: false })

export const RulePatchSchema = Type.Object({
  enabled: Type.Optional(Type.Boolean({ description: 'Run the rule in audits, or not' })),
  severity: Type.Optional(Nullable({ ...SeveritySchema, description: 'null: back to the rule\'s default severity' })),
  options: Type.Optional(Type.Object({}, {
    additionalProperties: true,
    maxProperties: 50,
    description: 'The options to set, checked against optionsSchema; they replace those set before ({} returns to the defaults)'
  }))
}, { additionalProperties: false, minProperties: 1, examples: [{ options: { maxApprovers: 5 } }, { enabled: false }, { severity: 'error' }] })
export type RulePatch = Static<typeof RulePatchSchema>
