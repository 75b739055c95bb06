// The slice of the registry that one initiative's audit can see, read by index lookups instead of a full load.
import { statement, type Db } from '../store/connection.js'
import { domainChain, MAX_DELEGATION_STEPS } from './resolver.js'
import type {
  AssignmentRecord, DecisionRecord, DelegationRecord, DomainRecord, InfluenceRecord, InitiativeRecord, PersonRecord, RegistryData, RegistrySource,
  StatusPeriod
} from './types.js'

/** Guards the recursive walks against a loop already in the data (the services refuse new ones). */
const MAX_DEPTH = 1000

// Column lists as the records name them; a list of ids travels as one JSON array read by json_each. CROSS JOIN keeps
// the short walk outside, so the domains table is probed by key instead of scanned.
const IDS = 'SELECT value FROM json_each(?)'
const SQL = {
  initiative: `SELECT id, title, domain_id AS domainId, status, decision_rule AS decisionRule, decision_due_at AS decisionDueAt
    FROM initiatives WHERE id = ?`,
  domains: `WITH RECURSIVE up(id, depth) AS (SELECT ?, 0 UNION ALL SELECT d.parent_id, up.depth + 1 FROM domains d JOIN up ON d.id = up.id
      WHERE d.parent_id IS NOT NULL AND up.depth < ${MAX_DEPTH})
    SELECT DISTINCT d.id, d.name, d.parent_id AS parentId FROM up CROSS JOIN domains d ON d.id = up.id`,
  assignments: `SELECT id, person_id AS personId, role, initiative_id AS initiativeId, domain_id AS domainId, valid_from AS validFrom,
    valid_to AS validTo FROM assignments WHERE initiative_id = @initiativeId UNION ALL
    SELECT id, person_id, role, initiative_id, domain_id, valid_from, valid_to FROM assignments WHERE domain_id IN (SELECT value FROM json_each(@domainIds))`,
  decisions: 'SELECT id, initiative_id AS initiativeId, decided_by AS decidedBy, decided_at AS decidedAt, outcome FROM decisions WHERE initiative_id = ?',
  delegates: `SELECT DISTINCT to_person_id AS id FROM delegations WHERE from_person_id IN (${IDS})`,
  // Only delegations whose scope can cover the initiative: its own, a domain of its chain, or everything.
  delegations: `SELECT id, from_person_id AS fromPersonId, to_person_id AS toPersonId, initiative_id AS initiativeId, domain_id AS domainId,
    all_scopes AS allScopes, valid_from AS validFrom, valid_to AS validTo FROM delegations
    WHERE (from_person_id IN (SELECT value FROM json_each(@personIds)) OR to_person_id IN (SELECT value FROM json_each(@personIds)))
      AND (all_scopes = 1 OR initiative_id = @initiativeId OR domain_id IN (SELECT value FROM json_each(@domainIds)))`,
  influences: `SELECT id, person_id AS personId, initiative_id AS initiativeId, domain_id AS domainId, over_person_id AS overPersonId,
    strength, observed_at AS observedAt FROM influences
    WHERE initiative_id = @initiativeId OR domain_id IN (SELECT value FROM json_each(@domainIds)) OR over_person_id IN (SELECT value FROM json_each(@personIds))`,
  people: `WITH RECURSIVE line(id, depth) AS (SELECT value, 0 FROM json_each(?)
      UNION SELECT p.manager_id, line.depth + 1 FROM people p JOIN line ON p.id = line.id WHERE p.manager_id IS NOT NULL AND line.depth < ${MAX_DEPTH})
    SELECT DISTINCT p.id, p.name, p.status, p.tags, p.stake_percent AS stakePercent, p.manager_id AS managerId FROM line JOIN people p ON p.id = line.id`,
  statuses: `SELECT person_id AS personId, status, valid_from AS validFrom FROM person_statuses WHERE person_id IN (${IDS})`
} as const

const all = <T>(db: Db, source: string, ...params: unknown[]): T[] => statement(db, source).all(...params) as T[]

/**
 * What the rules can see of one initiative, or undefined when there is no such initiative: the initiative, its
 * domain chain, the assignments on it and on those domains, its decisions, the people all of these name (followed
 * through their delegations up to 5 steps), the delegations from or to those people that can cover the initiative,
 * the influences on the initiative, on its domains or over those people, and everyone those records name together
 * with their whole reporting line.
 *
 * A rule that looks across the registry sees only this slice: decider-overload counts only the initiatives of the
 * slice, so the live findings of one initiative never report it; a full audit does.
 */
export function loadFocusedData (db: Db, initiativeId: string, shape?: RegistrySource): RegistryData | undefined {
  // The initiative and its domain chain as they stood at the time judged (versions.ts), when a shape is given.
  const initiative = shape !== undefined ? shape.initiative(initiativeId) : statement(db, SQL.initiative).get(initiativeId) as InitiativeRecord | undefined
  if (initiative === undefined) return undefined
  const domains = shape !== undefined
    ? domainChain(shape, initiative.domainId).map((id) => shape.domain(id)).filter((d) => d !== undefined)
    : initiative.domainId === null ? [] : all<DomainRecord>(db, SQL.domains, initiative.domainId)
  const domainIds = JSON.stringify(domains.map((d) => d.id))
  const assignments = all<AssignmentRecord>(db, SQL.assignments, { initiativeId, domainIds })
  const decisions = all<DecisionRecord>(db, SQL.decisions, initiativeId)

  const deciders = new Set([...assignments.map((a) => a.personId), ...decisions.map((d) => d.decidedBy)])
  let frontier = [...deciders]
  for (let step = 0; step < MAX_DELEGATION_STEPS && frontier.length > 0; step++) {
    frontier = all<{ id: string }>(db, SQL.delegates, JSON.stringify(frontier)).map((r) => r.id).filter((id) => !deciders.has(id))
    for (const id of frontier) deciders.add(id)
  }
  const personIds = JSON.stringify([...deciders])
  const delegations = all<Omit<DelegationRecord, 'allScopes'> & { allScopes: number | boolean }>(db, SQL.delegations, { personIds, initiativeId, domainIds })
  for (const d of delegations) d.allScopes = d.allScopes === 1
  const influences = all<InfluenceRecord>(db, SQL.influences, { initiativeId, domainIds, personIds })

  const named = new Set(deciders)
  for (const d of delegations) named.add(d.fromPersonId).add(d.toPersonId)
  for (const i of influences) {
    named.add(i.personId)
    if (i.overPersonId !== null) named.add(i.overPersonId)
  }
  const people = all<Omit<PersonRecord, 'tags'> & { tags: string | readonly string[] }>(db, SQL.people, JSON.stringify([...named]))
  for (const p of people) p.tags = JSON.parse(p.tags as string) as string[]
  if (shape !== undefined) people.forEach((p, i) => { people[i] = shape.person(p.id) ?? p })
  const statuses = all<StatusPeriod & { personId: string }>(db, SQL.statuses, JSON.stringify(people.map((p) => p.id)))
  return {
    people: people as PersonRecord[],
    statuses,
    domains,
    initiatives: [initiative],
    assignments,
    delegations: delegations as DelegationRecord[],
    influences,
    decisions
  }
}
