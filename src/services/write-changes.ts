// What a write changes, in the read model's fields: which rules can see it (each rule's `reads`), and whether the
// slice of an initiative read before the write still names the same records after it.
import type { ReadField, Rule } from '../audit/rule.js'
import { rules as allRules } from '../audit/rules/index.js'

/**
 * The fields of the read model a write can change. 'all': any (a record made or removed). `person` and `initiative`
 * name the record whose values change, when the write changes one record's values and nothing else.
 */
export interface Changes {
  readonly fields: readonly ReadField[] | 'all'
  readonly person?: string
  readonly initiative?: string
}

/** A write that changes every field: a record made or removed, or a change no mapping below knows. */
export const ANY_CHANGE: Changes = Object.freeze({ fields: 'all' })

/** The fields of a change body (PATCH) that the read model holds, for one kind of record. */
const FIELDS = {
  person: { name: 'person.name', status: 'person.status', statusSince: 'person.status', tags: 'person.tags', stakePercent: 'person.stakePercent', managerId: 'person.managerId' },
  initiative: { title: 'initiative.title', status: 'initiative.status', domainId: 'initiative.domainId', decisionRule: 'initiative.decisionRule', decisionDueAt: 'initiative.decisionDueAt' },
  domain: { name: 'domain.name', parentId: 'domain.parentId' }
} as const satisfies Record<string, Record<string, ReadField>>

/** The read-model fields a change body sets (its other fields, an email or a description, no rule can see). */
export function fieldsOf (kind: keyof typeof FIELDS, change: object): ReadField[] {
  const map: Record<string, ReadField> = FIELDS[kind]
  return [...new Set(Object.keys(change).flatMap((name) => Object.hasOwn(map, name) ? [map[name]!] : []))]
}

/**
 * The fields that decide which records make an initiative's slice (registry/focus.ts): its domain chain, the roles,
 * delegations, influences and decisions on it and the people these name, with their reporting lines. A change to
 * any other field leaves every slice naming the same records, with only the changed one's values to read again.
 */
const SHAPING: ReadonlySet<ReadField> = new Set<ReadField>(['person.managerId', 'domain.parentId', 'initiative.domainId', 'assignment', 'delegation', 'influence', 'decision'])

/** Whether a slice read before the write may name other records after it. */
export const reshapes = (changes: Changes): boolean =>
  changes.fields === 'all' || changes.fields.some((f) => SHAPING.has(f)) || (changes.person === undefined && changes.initiative === undefined)

/** The rules that read a field the write changes, in the registry's order: the only ones whose findings it can change. */
export function rulesSeeing (changes: Changes, rules: readonly Rule[] = allRules): Rule[] {
  const { fields } = changes
  if (fields === 'all') return [...rules]
  return rules.filter((rule) => rule.reads.some((f) => fields.includes(f)))
}
