// The registry's rows as its readers take them: the column lists named as the records name their fields, the decoding
// of the values that change type, and the reads of one record (the decider index's) or of one initiative's slice (focus).
import { byId } from '../registry/assignment-index.js'
import { MAX_DOMAIN_DEPTH } from '../registry/resolver.js'
import { statement, type Db } from './connection.js'
import type {
  AssignmentRecord, DecisionRecord, DelegationRecord, DomainRecord, InfluenceRecord, InitiativeRecord, PersonRecord, StatusPeriod, Target
} from '../registry/types.js'

/*
 * Columns aliased as the records name them: better-sqlite3 builds the objects in C++, so no per-row mapping runs in
 * JS except where a value changes type — a person's tags (JSON text) and a delegation's allScopes (0 or 1).
 */
export const PERSON_COLUMNS = 'id, name, status, tags, stake_percent AS stakePercent, manager_id AS managerId'
export const STATUS_COLUMNS = 'person_id AS personId, status, valid_from AS validFrom'
export const DOMAIN_COLUMNS = 'id, name, parent_id AS parentId'
export const INITIATIVE_COLUMNS = 'id, title, domain_id AS domainId, status, decision_rule AS decisionRule, decision_due_at AS decisionDueAt'
export const ASSIGNMENT_COLUMNS = `id, person_id AS personId, role, initiative_id AS initiativeId, domain_id AS domainId,
  valid_from AS validFrom, valid_to AS validTo`
export const DELEGATION_COLUMNS = `id, from_person_id AS fromPersonId, to_person_id AS toPersonId, initiative_id AS initiativeId,
  domain_id AS domainId, all_scopes AS allScopes, kind, valid_from AS validFrom, valid_to AS validTo`
export const INFLUENCE_COLUMNS = `id, person_id AS personId, initiative_id AS initiativeId, domain_id AS domainId,
  over_person_id AS overPersonId, strength, observed_at AS observedAt`
export const DECISION_COLUMNS = 'id, initiative_id AS initiativeId, decided_by AS decidedBy, decided_at AS decidedAt, outcome, kind, supersedes'

export type PersonRow = Omit<PersonRecord, 'tags'> & { tags: string }
export type StatusRow = StatusPeriod & { personId: string }
export type DelegationRow = Omit<DelegationRecord, 'allScopes'> & { allScopes: number }

export const toPerson = (row: PersonRow): PersonRecord => ({ ...row, tags: JSON.parse(row.tags) as string[] })
export const toDelegation = (row: DelegationRow): DelegationRecord => ({ ...row, allScopes: row.allScopes === 1 })

/** Decodes the people rows in place (no copy per row: a registry has many): the same array, as records. */
export function asPeople (rows: PersonRow[]): PersonRecord[] {
  for (const p of rows) (p as unknown as PersonRecord).tags = JSON.parse(p.tags) as string[]
  return rows as unknown as PersonRecord[]
}

/** Decodes the delegation rows in place: the same array, as records. */
export function asDelegations (rows: DelegationRow[]): DelegationRecord[] {
  for (const d of rows) (d as unknown as DelegationRecord).allScopes = d.allScopes === 1
  return rows as unknown as DelegationRecord[]
}

const PERSON = `SELECT ${PERSON_COLUMNS} FROM people`
const STATUS = `SELECT ${STATUS_COLUMNS} FROM person_statuses`
const DOMAIN = `SELECT ${DOMAIN_COLUMNS} FROM domains`
const INITIATIVE = `SELECT ${INITIATIVE_COLUMNS} FROM initiatives`
const ASSIGNMENT = `SELECT ${ASSIGNMENT_COLUMNS} FROM assignments`
const DELEGATION = `SELECT ${DELEGATION_COLUMNS} FROM delegations`

/** One record as stored now, by id (undefined: there is none): the decider index's reload of what the change log names. */
export const readRecord = {
  person: (db: Db, id: string): PersonRecord | undefined => {
    const row = statement(db, `${PERSON} WHERE id = ?`).get(id) as PersonRow | undefined
    return row === undefined ? undefined : toPerson(row)
  },
  /** A person's status timeline, oldest first. */
  timeline: (db: Db, personId: string): StatusPeriod[] =>
    (statement(db, `${STATUS} WHERE person_id = ? ORDER BY valid_from`).all(personId) as StatusRow[]).map(({ status, validFrom }) => ({ status, validFrom })),
  domain: (db: Db, id: string): DomainRecord | undefined => statement(db, `${DOMAIN} WHERE id = ?`).get(id) as DomainRecord | undefined,
  initiative: (db: Db, id: string): InitiativeRecord | undefined => statement(db, `${INITIATIVE} WHERE id = ?`).get(id) as InitiativeRecord | undefined,
  assignment: (db: Db, id: string): AssignmentRecord | undefined => statement(db, `${ASSIGNMENT} WHERE id = ?`).get(id) as AssignmentRecord | undefined,
  delegation: (db: Db, id: string): DelegationRecord | undefined => {
    const row = statement(db, `${DELEGATION} WHERE id = ?`).get(id) as DelegationRow | undefined
    return row === undefined ? undefined : toDelegation(row)
  }
} as const

/**
 * Every record the decider index holds, a row at a time, for its rebuild; call inside one read transaction. Statuses
 * come by person, oldest first; A assignments and delegations in id order.
 */
export const eachRecord = {
  person: (db: Db): IterableIterator<PersonRecord> => mapped(db.$client.prepare(PERSON).iterate() as IterableIterator<PersonRow>, toPerson),
  status: (db: Db): IterableIterator<StatusRow> => db.$client.prepare(`${STATUS} ORDER BY person_id, valid_from`).iterate() as IterableIterator<StatusRow>,
  domain: (db: Db): IterableIterator<DomainRecord> => db.$client.prepare(DOMAIN).iterate() as IterableIterator<DomainRecord>,
  initiative: (db: Db): IterableIterator<InitiativeRecord> => db.$client.prepare(INITIATIVE).iterate() as IterableIterator<InitiativeRecord>,
  decidingAssignment: (db: Db): IterableIterator<AssignmentRecord> =>
    db.$client.prepare(`${ASSIGNMENT} WHERE role = 'A' ORDER BY id`).iterate() as IterableIterator<AssignmentRecord>,
  delegation: (db: Db): IterableIterator<DelegationRecord> =>
    mapped(db.$client.prepare(`${DELEGATION} ORDER BY id`).iterate() as IterableIterator<DelegationRow>, toDelegation)
} as const

function * mapped<R, T> (rows: IterableIterator<R>, map: (row: R) => T): IterableIterator<T> {
  for (const row of rows) yield map(row)
}

/**
 * Guards the recursive walks against a loop already in the data (the services refuse new ones): a reporting line is
 * followed this many steps up from each person at most.
 */
export const MAX_LINE_DEPTH = 1000
const MAX_DEPTH = MAX_LINE_DEPTH

// A list of ids travels as one JSON array read by json_each. CROSS JOIN keeps the short walk outside, so the domains
// table is probed by key instead of scanned.
const IDS = 'SELECT value FROM json_each(?)'
const FOCUS = {
  domains: `WITH RECURSIVE up(id, depth) AS (SELECT ?, 0 UNION ALL SELECT d.parent_id, up.depth + 1 FROM domains d JOIN up ON d.id = up.id
      WHERE d.parent_id IS NOT NULL AND up.depth < ${MAX_DEPTH})
    SELECT DISTINCT d.id, d.name, d.parent_id AS parentId FROM up CROSS JOIN domains d ON d.id = up.id`,
  assignments: `${ASSIGNMENT} WHERE initiative_id = @initiativeId UNION ALL
    SELECT id, person_id, role, initiative_id, domain_id, valid_from, valid_to FROM assignments WHERE domain_id IN (SELECT value FROM json_each(@domainIds))`,
  decisions: `SELECT ${DECISION_COLUMNS} FROM decisions WHERE initiative_id = ?`,
  delegates: `SELECT DISTINCT to_person_id AS id FROM delegations WHERE from_person_id IN (${IDS})`,
  // Only delegations whose scope can cover the initiative: its own, a domain of its chain, or everything.
  delegations: `${DELEGATION}
    WHERE (from_person_id IN (SELECT value FROM json_each(@personIds)) OR to_person_id IN (SELECT value FROM json_each(@personIds)))
      AND (all_scopes = 1 OR initiative_id = @initiativeId OR domain_id IN (SELECT value FROM json_each(@domainIds)))`,
  influences: `SELECT ${INFLUENCE_COLUMNS} FROM influences
    WHERE initiative_id = @initiativeId OR domain_id IN (SELECT value FROM json_each(@domainIds)) OR over_person_id IN (SELECT value FROM json_each(@personIds))`,
  people: `WITH RECURSIVE line(id, depth) AS (SELECT value, 0 FROM json_each(?)
      UNION SELECT p.manager_id, line.depth + 1 FROM people p JOIN line ON p.id = line.id WHERE p.manager_id IS NOT NULL AND line.depth < ${MAX_DEPTH})
    SELECT DISTINCT p.id, p.name, p.status, p.tags, p.stake_percent AS stakePercent, p.manager_id AS managerId FROM line JOIN people p ON p.id = line.id`,
  statuses: `${STATUS} WHERE person_id IN (${IDS})`
} as const

const all = <T>(db: Db, source: string, ...params: unknown[]): T[] => statement(db, source).all(...params) as T[]
const json = (ids: readonly string[]): string => JSON.stringify(ids)

const byText = (a: string, b: string): number => a < b ? -1 : a > b ? 1 : 0
/** Status rows by person, then oldest first: the one order every implementation of the people lookups gives. */
export const byPersonThenTime = (a: StatusRow, b: StatusRow): number => byText(a.personId, b.personId) || byText(a.validFrom, b.validFrom)

/**
 * What one initiative's audit reads of the registry (registry/focus.ts), by index lookups. The people side (delegatesOf,
 * delegationsCovering, peopleWithLines, statusesOf) answers in a stated order — ids in byte order, statuses by person
 * then oldest first — so that another implementation of it (registry/memory-focus-rows.ts) gives the same slice.
 */
export const focusRows = {
  /** The domain and its ancestors, as stored now. */
  domainLine: (db: Db, domainId: string): DomainRecord[] => all(db, FOCUS.domains, domainId),
  /** The assignments on the initiative itself and on the domains, of any period. */
  assignmentsOn: (db: Db, initiativeId: string, domainIds: readonly string[]): AssignmentRecord[] =>
    all(db, FOCUS.assignments, { initiativeId, domainIds: json(domainIds) }),
  decisionsOn: (db: Db, initiativeId: string): DecisionRecord[] => all(db, FOCUS.decisions, initiativeId),
  /** Whom the people delegate to, of any period and scope: each id once, in id order. */
  delegatesOf: (db: Db, personIds: readonly string[]): string[] =>
    all<{ id: string }>(db, FOCUS.delegates, json(personIds)).map((r) => r.id).sort(byText),
  /** The delegations from or to the people, of any period, whose scope can cover the initiative on the domains; in id order. */
  delegationsCovering: (db: Db, personIds: readonly string[], initiativeId: string, domainIds: readonly string[]): DelegationRecord[] =>
    asDelegations(all<DelegationRow>(db, FOCUS.delegations, { personIds: json(personIds), initiativeId, domainIds: json(domainIds) })).sort(byId),
  /** The influences on the initiative, on the domains, or over the people. */
  influencesOn: (db: Db, initiativeId: string, domainIds: readonly string[], personIds: readonly string[]): InfluenceRecord[] =>
    all(db, FOCUS.influences, { initiativeId, domainIds: json(domainIds), personIds: json(personIds) }),
  /** The people with their whole reporting lines (MAX_LINE_DEPTH steps up at most), each once, in id order; unknown ids left out. */
  peopleWithLines: (db: Db, personIds: readonly string[]): PersonRecord[] => asPeople(all(db, FOCUS.people, json(personIds))).sort(byId),
  /** The status timelines of the people, by person then oldest first. */
  statusesOf: (db: Db, personIds: readonly string[]): StatusRow[] => all<StatusRow>(db, FOCUS.statuses, json(personIds)).sort(byPersonThenTime)
} as const

/*
 * The delegations that may hand authority to the person: those to them valid at @at, and (up to the resolver's
 * five steps) those to each of their delegators in turn. Served by delegations_to_idx.
 */
const DELEGATIONS_TOWARDS = `WITH RECURSIVE chain(id, fromPersonId, depth) AS (
    SELECT id, from_person_id, 1 FROM delegations
    WHERE to_person_id = @personId AND valid_from <= @at AND (valid_to IS NULL OR valid_to > @at)
    UNION
    SELECT g.id, g.from_person_id, chain.depth + 1 FROM chain JOIN delegations g ON g.to_person_id = chain.fromPersonId
    WHERE chain.depth < @steps AND g.valid_from <= @at AND (g.valid_to IS NULL OR g.valid_to > @at)
  )
  SELECT DISTINCT g.from_person_id AS fromPersonId, g.initiative_id AS initiativeId, g.domain_id AS domainId, g.all_scopes AS allScopes
  FROM chain JOIN delegations g ON g.id = chain.id`

/** The A assignments valid at @at of a list of people (a JSON array): served by assignments_person_idx. */
const A_OF = `SELECT initiative_id AS initiativeId, domain_id AS domainId FROM assignments
  WHERE person_id IN (SELECT value FROM json_each(@people)) AND role = 'A' AND valid_from <= @at AND (valid_to IS NULL OR valid_to > @at)`

/** Every domain under a list of domains (themselves included), and every initiative in them. */
const UNDER = `WITH RECURSIVE under(id, depth) AS (
    SELECT value, 0 FROM json_each(@domains)
    UNION
    SELECT d.id, under.depth + 1 FROM domains d JOIN under ON d.parent_id = under.id WHERE under.depth < ${MAX_DOMAIN_DEPTH}
  )
  SELECT DISTINCT 'domain' AS kind, id FROM under
  UNION ALL
  SELECT DISTINCT 'initiative', i.id FROM initiatives i WHERE i.domain_id IN (SELECT id FROM under)`

/** A delegation's scope, as authority reads it. */
export interface Scope { fromPersonId: string, initiativeId: string | null, domainId: string | null, allScopes: boolean }
type Place = { initiativeId: string | null, domainId: string | null }

/** What "where does this person decide?" reads (registry/authority.ts): the candidates, by index-backed SQL. */
export const authorityRows = {
  /** The scopes of the delegations valid at `at` that reach the person within `steps` steps. */
  delegationsTowards: (db: Db, personId: string, at: string, steps: number): Scope[] =>
    (statement(db, DELEGATIONS_TOWARDS).all({ personId, at, steps }) as (Omit<Scope, 'allScopes'> & { allScopes: number })[])
      .map((d) => ({ ...d, allScopes: d.allScopes === 1 })),
  /** Where the people hold an A valid at `at`. */
  decidingOn: (db: Db, personIds: readonly string[], at: string): Place[] => all(db, A_OF, { people: json(personIds), at }),
  /** The domains under the domains, themselves included, and the initiatives in them. */
  under: (db: Db, domainIds: readonly string[]): Target[] => all(db, UNDER, { domains: json(domainIds) })
} as const
