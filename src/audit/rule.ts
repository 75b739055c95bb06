// What an audit rule is (ESLint/Spectral style): metadata and an options schema beside one pure check.
import Type, { type Static, type TObject } from 'typebox'
import type { PersonStatus } from '../../db/schema.js'
import type { ReadModel } from '../registry/read-model.js'
import type { RaciRoleName, RuleFinding, Severity } from '../registry/types.js'

/** The kinds of record a finding names. */
export type RecordKind = 'initiative' | 'domain' | 'person' | 'delegation' | 'decision' | 'influence' | 'assignment'
export type RecordRef = { kind: RecordKind, id: string }

/**
 * One audit rule. `check` is pure: it reads the model (which carries the audit's time) and returns findings;
 * no database, no clock, no I/O. Severity is the configuration's business: the rule only suggests a default.
 */
export interface Rule<O extends object = Record<string, unknown>> {
  /** kebab-case; the rule's file is named after it. */
  readonly id: string
  readonly defaultSeverity: Severity
  /** What the rule finds, in one sentence. */
  readonly description: string
  /** Why it matters to a change agent. */
  readonly rationale: string
  /** What to do about a finding. */
  readonly remediation: string
  /** A TypeBox object schema of the options; each property carries its `default`. */
  readonly options: TObject
  /** The options' defaults, as the schema declares them. */
  readonly defaults: O
  /**
   * The fields of the registry whose values decide which findings the rule raises (see ReadField). Contract: two
   * registries that differ only in fields not listed give findings with the same fingerprints. Write effects
   * (services/write-effects.ts) run only the rules that read a field the write changes; test/audit/rule-reads.test.ts
   * checks every declaration.
   */
  readonly reads: readonly ReadField[]
  check (model: ReadModel, options: O): RuleFinding[]
}

/**
 * A field of the registry a rule's findings can depend on: `kind.field`, or a kind of record whole (any of its
 * fields, a record made or removed). Only what decides which findings are raised counts (their subject and related
 * records, hence their fingerprints); a field used only in the words of a message or a remediation (a name, a title)
 * is not listed: changing it rewords findings but raises or clears none. Fields no rule can see (a person's email or
 * job title, an initiative's description) are not fields of the read model at all.
 */
export type ReadField =
  | 'person.name' | 'person.status' | 'person.tags' | 'person.stakePercent' | 'person.managerId'
  | 'domain.name' | 'domain.parentId'
  | 'initiative.title' | 'initiative.status' | 'initiative.domainId' | 'initiative.decisionRule' | 'initiative.decisionDueAt'
  | 'assignment' | 'delegation' | 'influence' | 'decision'

/** Every ReadField, in declaration order. */
export const READ_FIELDS: readonly ReadField[] = Object.freeze([
  'person.name', 'person.status', 'person.tags', 'person.stakePercent', 'person.managerId',
  'domain.name', 'domain.parentId',
  'initiative.title', 'initiative.status', 'initiative.domainId', 'initiative.decisionRule', 'initiative.decisionDueAt',
  'assignment', 'delegation', 'influence', 'decision'
] as const)

/** What the decider resolver reads (model.decider, deciderLoads, liveInitiativesDecidedBy), the live initiatives' status with it. */
export const DECIDER_READS: readonly ReadField[] = Object.freeze([
  'initiative.status', 'initiative.domainId', 'initiative.decisionRule', 'domain.parentId', 'assignment', 'delegation', 'person.status'
] as const)

/** What the RACI holders of an initiative depend on (holders, formalDeciders, hasHolder, holderIds), and liveness. */
export const HOLDER_READS: readonly ReadField[] = Object.freeze(['initiative.status', 'initiative.domainId', 'domain.parentId', 'assignment'] as const)

/** The schema of a rule without options. */
export const NoOptions = Type.Object({}, { additionalProperties: false })
export type NoOptions = Record<string, never>

/** The defaults an options schema declares on its properties. */
export function defaultsOf<T extends TObject> (schema: T): Static<T> {
  const defaults: Record<string, unknown> = {}
  for (const [name, property] of Object.entries(schema.properties)) defaults[name] = (property as { default?: unknown }).default
  return defaults as Static<T>
}

export const ref = (kind: RecordKind, id: string): RecordRef => ({ kind, id })
export const people = (ids: Iterable<string>): RecordRef[] => [...new Set(ids)].sort().map((id) => ref('person', id))

export const ROLE_WORDS: Record<RaciRoleName, string> = { R: 'Responsible', A: 'Accountable', C: 'Consulted', I: 'Informed' }
export const statusWord = (status: PersonStatus): string => status.replace('_', ' ')

/** Dates in messages: British English, in UTC ("30 November 2026"), whatever the host's locale and time zone. */
const DATE_WORDS = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
export const dateWords = (iso: string): string => DATE_WORDS.format(new Date(iso))

/** "Ada", "Ada and Bob", "Ada, Bob and Cyd". */
export function names (words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]!}`
}

/** The record an assignment, a delegation or an influence is about, and how a message names it. */
export function targetOf (model: ReadModel, row: { initiativeId: string | null, domainId: string | null }): { ref: RecordRef, label: string } | undefined {
  if (row.initiativeId !== null) return { ref: ref('initiative', row.initiativeId), label: model.titleOf(row.initiativeId) }
  if (row.domainId !== null) return { ref: ref('domain', row.domainId), label: model.domainLabel(row.domainId) }
  return undefined
}
