// The slice of the registry that bears on one domain's decider, read by index lookups: focus.ts's slice without an initiative.
import type { Db } from '../store/connection.js'
import { focusRows, readRecord } from '../store/registry-rows.js'
import { domainChain, MAX_DELEGATION_STEPS } from './resolver.js'
import type { RegistryData, RegistrySource } from './types.js'

/** Stands for "no initiative" in focusRows' queries: no record has an empty id (ids match common.ts's ID_PATTERN). */
const NO_INITIATIVE = ''

/**
 * What the rules can see of one domain, or undefined when there is no such domain: the domain and its ancestors,
 * the assignments on them, the people these name (followed through their delegations up to 5 steps), the
 * delegations from or to those people that can cover the domain, the influences on the domains or over those
 * people, and everyone those records name with their whole reporting line. No initiative: the rules about
 * initiatives find nothing here; those about people, roles held on domains, delegations and influences do.
 */
export function loadDomainFocus (db: Db, domainId: string, shape?: RegistrySource): RegistryData | undefined {
  const domain = shape !== undefined ? shape.domain(domainId) : readRecord.domain(db, domainId)
  if (domain === undefined) return undefined
  const domains = shape !== undefined
    ? domainChain(shape, domainId).map((id) => shape.domain(id)).filter((d) => d !== undefined)
    : focusRows.domainLine(db, domainId)
  const domainIds = domains.map((d) => d.id)
  const assignments = focusRows.assignmentsOn(db, NO_INITIATIVE, domainIds)

  const holders = new Set(assignments.map((a) => a.personId))
  let frontier = [...holders]
  for (let step = 0; step < MAX_DELEGATION_STEPS && frontier.length > 0; step++) {
    frontier = focusRows.delegatesOf(db, frontier).filter((id) => !holders.has(id))
    for (const id of frontier) holders.add(id)
  }
  const personIds = [...holders]
  const delegations = focusRows.delegationsCovering(db, personIds, NO_INITIATIVE, domainIds)
  const influences = focusRows.influencesOn(db, NO_INITIATIVE, domainIds, personIds)

  const named = new Set(holders)
  for (const d of delegations) named.add(d.fromPersonId).add(d.toPersonId)
  for (const i of influences) {
    named.add(i.personId)
    if (i.overPersonId !== null) named.add(i.overPersonId)
  }
  const people = focusRows.peopleWithLines(db, [...named])
  if (shape !== undefined) people.forEach((p, i) => { people[i] = shape.person(p.id) ?? p })
  const statuses = focusRows.statusesOf(db, people.map((p) => p.id))
  return { people, statuses, domains, initiatives: [], assignments, delegations, influences, decisions: [] }
}
