// A RegistrySource over index-backed prepared statements: what one "who decides?" lookup reads, and nothing more.
// Used inside an open transaction (where the in-memory index may not follow: see decider-index.ts), for the roles
// the index does not hold, and as the reference the index and the snapshot are tested against.
import type { PersonStatus } from '../../db/schema.js'
import { statement, type Db } from './connection.js'
import { byId } from '../registry/assignment-index.js'
import { statusFromTimeline } from '../registry/snapshot.js'
import { ASSIGNMENT_COLUMNS, asDelegations, DELEGATION_COLUMNS, DOMAIN_COLUMNS, INITIATIVE_COLUMNS, type DelegationRow } from './registry-rows.js'
import type { AssignmentRecord, DelegationRecord, DomainRecord, InitiativeRecord, PersonRecord, RaciRoleName, RegistrySource, StatusPeriod, Target } from '../registry/types.js'

/*
 * Each statement is served by an index: the primary keys, person_statuses' (person_id, valid_from),
 * assignments_initiative_idx / assignments_domain_idx (target, role) and delegations_from_idx. The few rows of a
 * lookup are put in id order here: an ORDER BY would cost SQLite a temporary b-tree on every lookup.
 */
const PERSON = `SELECT p.id, p.name, p.status, p.tags, p.stake_percent AS stakePercent, p.manager_id AS managerId,
    s.status AS periodStatus, s.valid_from AS periodFrom
  FROM people p LEFT JOIN person_statuses s ON s.person_id = p.id WHERE p.id = ? ORDER BY s.valid_from`
const INITIATIVE = `SELECT ${INITIATIVE_COLUMNS} FROM initiatives WHERE id = ?`
const DOMAIN = `SELECT ${DOMAIN_COLUMNS} FROM domains WHERE id = ?`
const ON_INITIATIVE = `SELECT ${ASSIGNMENT_COLUMNS} FROM assignments
  WHERE initiative_id = ? AND role = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)`
const ON_DOMAIN = `SELECT ${ASSIGNMENT_COLUMNS} FROM assignments
  WHERE domain_id = ? AND role = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)`
const DELEGATIONS_FROM = `SELECT ${DELEGATION_COLUMNS} FROM delegations WHERE from_person_id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)`

interface PersonRow extends Omit<PersonRecord, 'tags'> {
  tags: string
  periodStatus: PersonStatus | null
  periodFrom: string | null
}

interface LoadedPerson { record: PersonRecord, timeline: StatusPeriod[] }

/** One lookup's view of the database: records are read once per instance (make one per lookup). */
export class SqlSource implements RegistrySource {
  private readonly people = new Map<string, LoadedPerson | undefined>()
  private readonly domains = new Map<string, DomainRecord | undefined>()
  private readonly initiatives = new Map<string, InitiativeRecord | undefined>()

  constructor (private readonly db: Db) {}

  private load (id: string): LoadedPerson | undefined {
    if (this.people.has(id)) return this.people.get(id)
    const rows = statement(this.db, PERSON).all(id) as PersonRow[]
    const first = rows[0]
    let loaded: LoadedPerson | undefined
    if (first !== undefined) {
      const { periodStatus: _s, periodFrom: _f, tags, ...rest } = first
      const timeline: StatusPeriod[] = []
      for (const row of rows) if (row.periodFrom !== null) timeline.push({ status: row.periodStatus!, validFrom: row.periodFrom })
      loaded = { record: { ...rest, tags: JSON.parse(tags) as string[] }, timeline }
    }
    this.people.set(id, loaded)
    return loaded
  }

  person (id: string): PersonRecord | undefined {
    return this.load(id)?.record
  }

  statusAt (personId: string, at: string): PersonStatus {
    const loaded = this.load(personId)
    return statusFromTimeline(loaded?.timeline, loaded?.record.status, at)
  }

  initiative (id: string): InitiativeRecord | undefined {
    if (!this.initiatives.has(id)) this.initiatives.set(id, statement(this.db, INITIATIVE).get(id) as InitiativeRecord | undefined)
    return this.initiatives.get(id)
  }

  domain (id: string): DomainRecord | undefined {
    if (!this.domains.has(id)) this.domains.set(id, statement(this.db, DOMAIN).get(id) as DomainRecord | undefined)
    return this.domains.get(id)
  }

  holders (target: Target, role: RaciRoleName, at: string): readonly AssignmentRecord[] {
    const rows = statement(this.db, target.kind === 'initiative' ? ON_INITIATIVE : ON_DOMAIN).all(target.id, role, at, at) as AssignmentRecord[]
    return rows.length > 1 ? rows.sort(byId) : rows
  }

  delegationsFrom (personId: string, at: string): readonly DelegationRecord[] {
    const rows = asDelegations(statement(this.db, DELEGATIONS_FROM).all(personId, at, at) as DelegationRow[])
    return rows.length > 1 ? rows.sort(byId) : rows
  }
}
