// The read model's vocabulary: the records as the resolver and the audit rules see them, and the answer to
// "who decides?". Shared by the SQL-backed source (one lookup), the in-memory snapshot (an audit) and the rules.
import type { DecisionKind, DecisionRule, DelegationKind, PersonStatus, Severity } from '../../db/schema.js'

export type InitiativeStatus = 'proposed' | 'active' | 'on_hold' | 'decided' | 'done' | 'abandoned'
export type RaciRoleName = 'R' | 'A' | 'C' | 'I'

/** Effective-dated rows hold over [validFrom, validTo); validTo null holds for ever. Times are canonical ISO UTC. */
export interface Period { validFrom: string, validTo: string | null }

export interface PersonRecord {
  id: string
  name: string
  /** The status as recorded now; use RegistrySource.statusAt for the status at a time. */
  status: PersonStatus
  tags: readonly string[]
  stakePercent: number | null
  managerId: string | null
}

export interface DomainRecord { id: string, name: string, parentId: string | null }

export interface InitiativeRecord {
  id: string
  title: string
  domainId: string | null
  status: InitiativeStatus
  decisionRule: DecisionRule
  decisionDueAt: string | null
}

export interface AssignmentRecord extends Period {
  id: string
  personId: string
  role: RaciRoleName
  initiativeId: string | null
  domainId: string | null
}

export interface DelegationRecord extends Period {
  id: string
  fromPersonId: string
  toPersonId: string
  initiativeId: string | null
  domainId: string | null
  allScopes: boolean
  /** deputy: stands in only while the delegator is not active; transfer: decides for the period whatever their status. */
  kind: DelegationKind
}

export interface InfluenceRecord {
  id: string
  personId: string
  initiativeId: string | null
  domainId: string | null
  overPersonId: string | null
  strength: 'low' | 'medium' | 'high'
  observedAt: string
}

export interface DecisionRecord {
  id: string
  initiativeId: string
  decidedBy: string
  decidedAt: string
  outcome: string
  kind: DecisionKind
  /** The earlier decision on the same initiative this one reverses, vetoes or replaces; null when none. */
  supersedes: string | null
}

export interface StatusPeriod { status: PersonStatus, validFrom: string }

/** Every record of the registry as plain arrays: what a snapshot is built from (by the loader, or by a test). */
export interface RegistryData {
  people: PersonRecord[]
  /** Status timelines; a person without entries has had their recorded status since always. */
  statuses: (StatusPeriod & { personId: string })[]
  domains: DomainRecord[]
  initiatives: InitiativeRecord[]
  assignments: AssignmentRecord[]
  delegations: DelegationRecord[]
  influences: InfluenceRecord[]
  decisions: DecisionRecord[]
}

/** A decision target: an initiative, or a domain asked about directly. */
export interface Target { kind: 'initiative' | 'domain', id: string }

/**
 * What the decider resolver reads. Two implementations: prepared SQL statements for a single lookup
 * (src/store/sql-source.ts) and in-memory indexes over a loaded snapshot (src/registry/snapshot.ts).
 * Effective-dated answers are for time `at`; everything else is the record as stored.
 */
export interface RegistrySource {
  person: (id: string) => PersonRecord | undefined
  /** The person's status at `at`, from the effective-dated status timeline. */
  statusAt: (personId: string, at: string) => PersonStatus
  initiative: (id: string) => InitiativeRecord | undefined
  domain: (id: string) => DomainRecord | undefined
  /** Assignments of `role` on the target itself (not inherited) valid at `at`, in id order. */
  holders: (target: Target, role: RaciRoleName, at: string) => readonly AssignmentRecord[]
  /** Delegations from the person valid at `at`, in id order, whatever their scope. */
  delegationsFrom: (personId: string, at: string) => readonly DelegationRecord[]
}

/** One step of the path that led to a decider, in order. */
export type ViaStep =
  | { kind: 'assignment', id: string, level: 'initiative' | 'domain', domainId: string | null }
  | { kind: 'delegation', id: string, from: string, to: string, validTo: string | null, delegationKind: DelegationKind }

export type Resolution = 'clear' | 'ambiguous' | 'absent' | 'none'

export interface EffectiveDecider { personId: string, name: string, via: ViaStep[] }
export interface AbsentDecider { personId: string, name: string, status: PersonStatus }

export interface DeciderAnswer {
  target: Target
  at: string
  decisionRule: DecisionRule
  resolution: Resolution
  deciders: EffectiveDecider[]
  absent: AbsentDecider[]
}

/** A finding a rule reports: about a subject, naming the other records involved. */
export interface RuleFinding {
  subject: { kind: string, id: string }
  related: { kind: string, id: string }[]
  message: string
  /** One concrete next step in words, naming the people and records of this finding: every rule gives one. */
  remediation: string
  data?: Record<string, unknown>
}

export type { DecisionKind, DelegationKind, Severity }
