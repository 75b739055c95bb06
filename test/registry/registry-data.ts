// Test fixtures for the resolver suites: a small RegistryData builder, and a writer that stores one in a real database.
import type { Db } from '../../src/store/connection.js'
import type { AssignmentRecord, DelegationRecord, DomainRecord, InitiativeRecord, PersonRecord, RegistryData } from '../../src/registry/types.js'
import type { DecisionRule, DelegationKind, PersonStatus } from '../../db/schema.js'

export const EPOCH = '2020-01-01T00:00:00.000Z'
export const AT = '2026-03-03T09:00:00.000Z'

/** A target as the builder names it: an initiative id, or "d:<domain id>". */
export type Where = string

/** Builds RegistryData in a few readable lines; every person is active since always unless told otherwise. */
export class RegistryBuilder {
  readonly data: RegistryData = { people: [], statuses: [], domains: [], initiatives: [], assignments: [], delegations: [], influences: [], decisions: [] }

  person (id: string, timeline: [PersonStatus, string][] = []): this {
    const status = timeline.at(-1)?.[0] ?? 'active'
    const record: PersonRecord = { id, name: id.toUpperCase(), status, tags: [], stakePercent: null, managerId: null }
    this.data.people.push(record)
    for (const [s, validFrom] of timeline) this.data.statuses.push({ personId: id, status: s, validFrom })
    return this
  }

  /** Gives an existing person a status from a time on (default: since EPOCH). */
  status (id: string, status: PersonStatus, from = EPOCH): this {
    const person = this.data.people.find((p) => p.id === id)
    if (person === undefined) throw new Error(`no person ${id}`)
    this.data.statuses.push({ personId: id, status, validFrom: from })
    const latest = this.data.statuses.filter((s) => s.personId === id).sort((a, b) => a.validFrom < b.validFrom ? -1 : 1).at(-1)!
    person.status = latest.status
    return this
  }

  people (...ids: string[]): this {
    for (const id of ids) this.person(id)
    return this
  }

  domain (id: string, parentId: string | null = null): this {
    const record: DomainRecord = { id, name: id, parentId }
    this.data.domains.push(record)
    return this
  }

  initiative (id: string, domainId: string | null, decisionRule: DecisionRule = 'single'): this {
    const record: InitiativeRecord = { id, title: id, domainId, status: 'active', decisionRule, decisionDueAt: null }
    this.data.initiatives.push(record)
    return this
  }

  /** A role on a target ("ini" or "d:leaf"), valid from `from` (default EPOCH) to `to`. */
  assign (id: string, personId: string, where: Where, role: AssignmentRecord['role'] = 'A', from = EPOCH, to: string | null = null): this {
    const domain = where.startsWith('d:')
    const record: AssignmentRecord = {
      id, personId, role, initiativeId: domain ? null : where, domainId: domain ? where.slice(2) : null, validFrom: from, validTo: to
    }
    this.data.assignments.push(record)
    return this
  }

  /** A delegation scoped to an initiative, "d:<domain>", or "*" for everything. */
  delegate (id: string, from: string, to: string, scope: Where | '*', validFrom = EPOCH, validTo: string | null = null, kind: DelegationKind = 'deputy'): this {
    const all = scope === '*'
    const domain = !all && scope.startsWith('d:')
    const record: DelegationRecord = {
      id, fromPersonId: from, toPersonId: to, initiativeId: all || domain ? null : scope, domainId: domain ? scope.slice(2) : null,
      allScopes: all, kind, validFrom, validTo
    }
    this.data.delegations.push(record)
    return this
  }

  build (): RegistryData {
    return structuredClone(this.data)
  }
}

const META = [1, EPOCH, EPOCH] as const

/** Writes the data straight to the tables (domain parents after all domains, so a loop can be stored too). */
export function writeRegistry (db: Db, data: RegistryData): void {
  const c = db.$client
  c.transaction(() => {
    const person = c.prepare(`INSERT INTO people (id, version, created_at, updated_at, name, email, status, tags, stake_percent, manager_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    for (const p of data.people) person.run(p.id, ...META, p.name, `${p.id}@example.com`, p.status, JSON.stringify(p.tags), p.stakePercent, p.managerId)
    const status = c.prepare('INSERT INTO person_statuses (person_id, status, valid_from) VALUES (?, ?, ?)')
    for (const s of data.statuses) status.run(s.personId, s.status, s.validFrom)
    const domain = c.prepare('INSERT INTO domains (id, version, created_at, updated_at, name, parent_id) VALUES (?, ?, ?, ?, ?, NULL)')
    for (const d of data.domains) domain.run(d.id, ...META, d.name)
    const parent = c.prepare('UPDATE domains SET parent_id = ? WHERE id = ?')
    for (const d of data.domains) if (d.parentId !== null) parent.run(d.parentId, d.id)
    const initiative = c.prepare(`INSERT INTO initiatives (id, version, created_at, updated_at, title, domain_id, status, decision_rule, decision_due_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    for (const i of data.initiatives) initiative.run(i.id, ...META, i.title, i.domainId, i.status, i.decisionRule, i.decisionDueAt)
    const assignment = c.prepare(`INSERT INTO assignments (id, version, created_at, updated_at, person_id, role, initiative_id, domain_id, valid_from, valid_to)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    for (const a of data.assignments) assignment.run(a.id, ...META, a.personId, a.role, a.initiativeId, a.domainId, a.validFrom, a.validTo)
    const delegation = c.prepare(`INSERT INTO delegations (id, version, created_at, updated_at, from_person_id, to_person_id, initiative_id, domain_id,
      all_scopes, kind, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    for (const d of data.delegations) {
      delegation.run(d.id, ...META, d.fromPersonId, d.toPersonId, d.initiativeId, d.domainId, d.allScopes ? 1 : 0, d.kind, d.validFrom, d.validTo)
    }
    const influence = c.prepare(`INSERT INTO influences (id, version, created_at, updated_at, person_id, initiative_id, domain_id, over_person_id,
      strength, observed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    for (const i of data.influences) influence.run(i.id, ...META, i.personId, i.initiativeId, i.domainId, i.overPersonId, i.strength, i.observedAt)
    const decision = c.prepare(`INSERT INTO decisions (id, version, created_at, updated_at, initiative_id, decided_by, decided_at, outcome, kind, supersedes)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    for (const d of data.decisions) decision.run(d.id, ...META, d.initiativeId, d.decidedBy, d.decidedAt, d.outcome, d.kind, d.supersedes)
  })()
}
