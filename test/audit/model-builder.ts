// Small registries for the rule and engine tests, built in memory with defaults, and the table runner of rule cases.
import type { Test } from 'tap'
import type { DecisionKind, DelegationKind, PersonStatus } from '../../db/schema.js'
import type { Rule } from '../../src/audit/rule.js'
import { createReadModel, type ReadModel } from '../../src/registry/read-model.js'
import { createSnapshot } from '../../src/registry/snapshot.js'
import type {
  DomainRecord, InfluenceRecord, InitiativeRecord, PersonRecord, RaciRoleName, RegistryData, RuleFinding
} from '../../src/registry/types.js'

/** When every record of a builder starts, unless told otherwise. */
export const T0 = '2020-01-01T00:00:00.000Z'
/** The time of the audits. */
export const AT = '2026-01-01T00:00:00.000Z'

/** Where a role, a delegation or an influence applies: one initiative, one domain, (a person,) or — for a delegation — everything. */
interface On { initiative?: string, domain?: string }
interface Period { id?: string, validFrom?: string, validTo?: string | null }

const capitalized = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1)

export class RegistryBuilder {
  readonly data: RegistryData = { people: [], statuses: [], domains: [], initiatives: [], assignments: [], delegations: [], influences: [], decisions: [] }
  #next = 0

  #id (prefix: string, id: string | undefined): string { return id ?? `${prefix}${++this.#next}` }

  /** An active person named after the id ("ada" → "Ada"). */
  person (id: string, fields: Partial<PersonRecord> = {}): this {
    this.data.people.push({ id, name: capitalized(id), status: 'active', tags: [], stakePercent: null, managerId: null, ...fields })
    return this
  }

  /** Several active people at once. */
  people (...ids: string[]): this {
    for (const id of ids) this.person(id)
    return this
  }

  /** A status from `validFrom` on, in the person's status timeline. */
  status (personId: string, status: PersonStatus, validFrom: string): this {
    this.data.statuses.push({ personId, status, validFrom })
    return this
  }

  domain (id: string, fields: Partial<DomainRecord> = {}): this {
    this.data.domains.push({ id, name: capitalized(id), parentId: null, ...fields })
    return this
  }

  /** An active single-decider initiative titled after the id, without a domain or a due date unless told. */
  initiative (id: string, fields: Partial<InitiativeRecord> = {}): this {
    this.data.initiatives.push({ id, title: capitalized(id), domainId: null, status: 'active', decisionRule: 'single', decisionDueAt: null, ...fields })
    return this
  }

  /** A RACI cell from T0, open-ended unless told; ids a1, a2… unless given. */
  assign (personId: string, role: RaciRoleName, on: On & Period): this {
    this.data.assignments.push({
      id: this.#id('a', on.id), personId, role, initiativeId: on.initiative ?? null, domainId: on.domain ?? null,
      validFrom: on.validFrom ?? T0, validTo: on.validTo ?? null
    })
    return this
  }

  /** A delegation (a deputy unless told) for one initiative, one domain, or (with neither) everything; ids d1, d2… unless given. */
  delegate (from: string, to: string, on: On & Period & { kind?: DelegationKind } = {}): this {
    this.data.delegations.push({
      id: this.#id('d', on.id), fromPersonId: from, toPersonId: to, initiativeId: on.initiative ?? null, domainId: on.domain ?? null,
      allScopes: on.initiative === undefined && on.domain === undefined, kind: on.kind ?? 'deputy', validFrom: on.validFrom ?? T0, validTo: on.validTo ?? null
    })
    return this
  }

  /** An observed influence (medium, observed at T0 unless told); ids f1, f2… unless given. */
  influence (personId: string, on: On & { over?: string, id?: string, strength?: InfluenceRecord['strength'], observedAt?: string }): this {
    this.data.influences.push({
      id: this.#id('f', on.id), personId, initiativeId: on.initiative ?? null, domainId: on.domain ?? null, overPersonId: on.over ?? null,
      strength: on.strength ?? 'medium', observedAt: on.observedAt ?? T0
    })
    return this
  }

  /** A decision record (of kind decision, superseding none unless told); ids r1, r2… unless given. */
  decision (initiativeId: string, decidedBy: string, fields: { id?: string, decidedAt?: string, kind?: DecisionKind, supersedes?: string } = {}): this {
    this.data.decisions.push({
      id: this.#id('r', fields.id), initiativeId, decidedBy, decidedAt: fields.decidedAt ?? T0, outcome: 'go',
      kind: fields.kind ?? 'decision', supersedes: fields.supersedes ?? null
    })
    return this
  }

  build (): RegistryData { return this.data }

  model (at = AT): ReadModel { return createReadModel(createSnapshot(this.build()), at) }
}

export const registry = (): RegistryBuilder => new RegistryBuilder()

/** A case of a rule's table: a registry, and the options it runs with (over the rule's defaults). */
export interface Case { name: string, registry: RegistryBuilder, at?: string, options?: Record<string, unknown> }

/**
 * What a finding must be: subject and related as "kind:id" (related in any order), the exact message, and the exact
 * remediation and data if given.
 */
export interface Expected { subject: string, related: string[], message: string, remediation?: string, data?: Record<string, unknown> }

export interface InvalidCase extends Case { findings: Expected[] }

const key = (r: { kind: string, id: string }): string => `${r.kind}:${r.id}`
const order = (a: Expected, b: Expected): number => `${a.subject} ${a.related.join()}`.localeCompare(`${b.subject} ${b.related.join()}`)

function actual (finding: RuleFinding, withData: boolean, withRemediation: boolean): Expected {
  const seen: Expected = { subject: key(finding.subject), related: finding.related.map(key).sort(), message: finding.message }
  if (withRemediation && finding.remediation !== undefined) seen.remediation = finding.remediation
  return withData && finding.data !== undefined ? { ...seen, data: finding.data } : seen
}

const run = (rule: Rule, c: Case): RuleFinding[] => rule.check(c.registry.model(c.at), { ...rule.defaults, ...c.options })

/** The table of a rule: each valid case finds nothing; each invalid case finds exactly the expected findings. */
export function ruleTable (t: Test, rule: Rule, cases: { valid: Case[], invalid: InvalidCase[] }): void {
  t.test(`${rule.id}: valid`, async (t) => {
    for (const c of cases.valid) t.strictSame(run(rule, c).map((f) => actual(f, false, false)), [], c.name)
  })
  t.test(`${rule.id}: invalid`, async (t) => {
    for (const c of cases.invalid) {
      const withData = c.findings.some((f) => f.data !== undefined)
      const withRemediation = c.findings.some((f) => f.remediation !== undefined)
      const expected = c.findings.map((f) => ({ ...f, related: [...f.related].sort() })).sort(order)
      t.strictSame(run(rule, c).map((f) => actual(f, withData, withRemediation)).sort(order), expected, c.name)
    }
  })
}
