// The slice of the registry that one initiative's audit can see, read by index lookups instead of a full load.
import type { Db } from '../store/connection.js'
import { focusRows, readRecord } from '../store/registry-rows.js'
import { domainChain, MAX_DELEGATION_STEPS } from './resolver.js'
import type { RegistryData, RegistrySource } from './types.js'

/**
 * Where the people side of a slice comes from: the store's lookups (the default), the decider index's memory
 * (memory-focus-rows.ts, when the index is current with the change log), or (write effects) the store's lookups
 * remembered over several slices. Every implementation answers with the same rows in the same order for the same state
 * of the database.
 */
export type FocusRows = Pick<typeof focusRows, 'peopleWithLines' | 'statusesOf' | 'delegatesOf' | 'delegationsCovering'>

/**
 * What the rules can see of one initiative, or undefined when there is no such initiative: the initiative, its
 * domain chain, the assignments on it and on those domains, its decisions, the people all of these name (followed
 * through their delegations up to 5 steps), the delegations from or to those people that can cover the initiative,
 * the influences on the initiative, on its domains or over those people, and everyone those records name together
 * with their whole reporting line.
 *
 * `rows` reads the people side: delegates, delegations, people and statuses (by default, the store's lookups).
 *
 * A rule that looks across the registry sees only this slice: decider-overload counts only the initiatives of the
 * slice, so the live findings of one initiative never report it; a full audit does.
 */
export function loadFocusedData (db: Db, initiativeId: string, shape?: RegistrySource, rows: FocusRows = focusRows): RegistryData | undefined {
  // The initiative and its domain chain as they stood at the time judged (store/history.ts), when a shape is given.
  const initiative = shape !== undefined ? shape.initiative(initiativeId) : readRecord.initiative(db, initiativeId)
  if (initiative === undefined) return undefined
  const domains = shape !== undefined
    ? domainChain(shape, initiative.domainId).map((id) => shape.domain(id)).filter((d) => d !== undefined)
    : initiative.domainId === null ? [] : focusRows.domainLine(db, initiative.domainId)
  const domainIds = domains.map((d) => d.id)
  const assignments = focusRows.assignmentsOn(db, initiativeId, domainIds)
  const decisions = focusRows.decisionsOn(db, initiativeId)

  const around = peopleAround(db, [...assignments.map((a) => a.personId), ...decisions.map((d) => d.decidedBy)], initiativeId, domainIds, shape, rows)
  return { ...around, domains, initiatives: [initiative], assignments, decisions }
}

/**
 * The people side of a slice of one initiative (or, with initiativeId '', of the domains alone): the people given,
 * followed through their delegations up to 5 steps; the delegations from or to them that can cover the initiative or
 * the domains; the influences on those or over those people; and everyone these name, with their whole reporting
 * line and status timelines. People as they stood at the time judged, when a shape is given.
 */
export function peopleAround (
  db: Db, start: Iterable<string>, initiativeId: string, domainIds: string[], shape: RegistrySource | undefined, rows: FocusRows = focusRows
): Pick<RegistryData, 'people' | 'statuses' | 'delegations' | 'influences'> {
  const deciders = new Set(start)
  let frontier = [...deciders]
  for (let step = 0; step < MAX_DELEGATION_STEPS && frontier.length > 0; step++) {
    frontier = rows.delegatesOf(db, frontier).filter((id) => !deciders.has(id))
    for (const id of frontier) deciders.add(id)
  }
  const personIds = [...deciders]
  const delegations = rows.delegationsCovering(db, personIds, initiativeId, domainIds)
  const influences = focusRows.influencesOn(db, initiativeId, domainIds, personIds)

  const named = new Set(deciders)
  for (const d of delegations) named.add(d.fromPersonId).add(d.toPersonId)
  for (const i of influences) {
    named.add(i.personId)
    if (i.overPersonId !== null) named.add(i.overPersonId)
  }
  const people = rows.peopleWithLines(db, [...named])
  if (shape !== undefined) people.forEach((p, i) => { people[i] = shape.person(p.id) ?? p })
  const statuses = rows.statusesOf(db, people.map((p) => p.id))
  return { people, statuses, delegations, influences }
}
