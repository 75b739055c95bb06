// The slice of the registry that bears on one domain's decider, read by index lookups: focus.ts's slice without an initiative.
import type { Db } from '../store/connection.js'
import { focusRows, readRecord } from '../store/registry-rows.js'
import { peopleAround, type FocusRows } from './focus.js'
import { domainChain } from './resolver.js'
import type { RegistryData, RegistrySource } from './types.js'

/** Stands for "no initiative" in focusRows' queries: no record has an empty id (ids match common.ts's ID_PATTERN). */
const NO_INITIATIVE = ''

/**
 * What the rules can see of one domain, or undefined when there is no such domain: the domain and its ancestors,
 * the assignments on them, the people these name (followed through their delegations up to 5 steps), the
 * delegations from or to those people that can cover the domain, the influences on the domains or over those
 * people, and everyone those records name with their whole reporting line. No initiative: the rules about
 * initiatives find nothing here; those about people, roles held on domains, delegations and influences do.
 * `rows` reads the people side, as for loadFocusedData.
 */
export function loadDomainFocus (db: Db, domainId: string, shape?: RegistrySource, rows: FocusRows = focusRows): RegistryData | undefined {
  const domain = shape !== undefined ? shape.domain(domainId) : readRecord.domain(db, domainId)
  if (domain === undefined) return undefined
  const domains = shape !== undefined
    ? domainChain(shape, domainId).map((id) => shape.domain(id)).filter((d) => d !== undefined)
    : focusRows.domainLine(db, domainId)
  const domainIds = domains.map((d) => d.id)
  const assignments = focusRows.assignmentsOn(db, NO_INITIATIVE, domainIds)

  const around = peopleAround(db, assignments.map((a) => a.personId), NO_INITIATIVE, domainIds, shape, rows)
  return { ...around, domains, initiatives: [], assignments, decisions: [] }
}
