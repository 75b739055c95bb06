// How the report and the SARIF log name a record a finding involves: people and initiatives by name, not by id.
import type { RecordRef } from '../audit/rule.js'
import type { ReadModel } from '../registry/read-model.js'
import type { AssignmentRecord, DecisionRecord, DelegationRecord, InfluenceRecord } from '../registry/types.js'

export type Ref = { kind: string, id: string }

/** A finding as the report and the SARIF log read it: stored (with state and waiver) or fresh from the engine. */
export interface ReportFinding {
  fingerprint: string
  ruleId: string
  severity: 'error' | 'warning' | 'info'
  subject: Ref
  related: readonly Ref[]
  message: string
  /** Its next step in words, naming the people and records. */
  remediation: string
  /** new or persisting: holds in this run; resolved: held in the previous run, no longer. Absent: a run with no history. */
  state?: 'new' | 'persisting' | 'resolved'
  waived?: { waiverId: string, reason: string } | null
}

/**
 * Findings about one root cause, as GET /v1/audits/{id}/findings?groupBy= groups them (src/services/finding-groups.ts):
 * the key record, the worst severity among them, how many there are, and those listed (at most all of them).
 */
export interface ReportGroup {
  key: Ref
  severity: 'error' | 'warning' | 'info'
  count: number
  findings: readonly ReportFinding[]
}

/** The records of a kind a finding names, subject first, each once. */
export function refsOf (finding: Pick<ReportFinding, 'subject' | 'related'>, kind: RecordRef['kind']): string[] {
  const ids = [finding.subject, ...finding.related].filter((r) => r.kind === kind).map((r) => r.id)
  return [...new Set(ids)]
}

const byId = <T extends { id: string }>(rows: readonly T[]): Map<string, T> => new Map(rows.map((row) => [row.id, row]))

/**
 * Records by the names people know them by: a person's name, an initiative's title, a domain's name; a delegation,
 * an influence, an assignment or a decision by the people and the target it joins. A record the model does not
 * hold (deleted since) is named by its id. Indexes are built on first use.
 */
export class RecordNames {
  #assignments?: Map<string, AssignmentRecord>
  #delegations?: Map<string, DelegationRecord>
  #influences?: Map<string, InfluenceRecord>
  #decisions?: Map<string, DecisionRecord>

  constructor (readonly model: ReadModel) {}

  assignment (id: string): AssignmentRecord | undefined { return (this.#assignments ??= byId(this.model.snapshot.assignments)).get(id) }

  influence (id: string): InfluenceRecord | undefined { return (this.#influences ??= byId(this.model.snapshot.influences)).get(id) }

  /** A domain's or an initiative's name, or the id of a dangling reference. */
  target (row: { initiativeId: string | null, domainId: string | null }): string {
    if (row.initiativeId !== null) return this.label({ kind: 'initiative', id: row.initiativeId })
    return row.domainId === null ? 'everything' : this.label({ kind: 'domain', id: row.domainId })
  }

  label (ref: Ref): string {
    const model = this.model
    switch (ref.kind) {
      case 'person': return model.person(ref.id)?.name ?? ref.id
      case 'initiative': return model.initiative(ref.id)?.title ?? ref.id
      case 'domain': return model.domain(ref.id)?.name ?? ref.id
      case 'delegation': {
        const d = (this.#delegations ??= byId(model.snapshot.delegations)).get(ref.id)
        return d === undefined ? ref.id : `delegation from ${model.nameOf(d.fromPersonId)} to ${model.nameOf(d.toPersonId)} for ${this.target(d)}`
      }
      case 'influence': {
        const i = this.influence(ref.id)
        return i === undefined ? ref.id : `influence of ${model.nameOf(i.personId)} on ${i.overPersonId === null ? this.target(i) : model.nameOf(i.overPersonId)}`
      }
      case 'assignment': {
        const a = this.assignment(ref.id)
        return a === undefined ? ref.id : `${model.nameOf(a.personId)} as ${a.role} on ${this.target(a)}`
      }
      case 'decision': {
        const d = (this.#decisions ??= byId(model.snapshot.decisions)).get(ref.id)
        return d === undefined ? ref.id : `decision on ${this.label({ kind: 'initiative', id: d.initiativeId })} by ${model.nameOf(d.decidedBy)}`
      }
      default: return ref.id
    }
  }
}
