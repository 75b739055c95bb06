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
  check (model: ReadModel, options: O): RuleFinding[]
}

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
