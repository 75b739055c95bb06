// Initiatives in SQL: the row as the API shows it, and lists now and at a past instant.
import { initiatives } from '../../db/schema.js'
import type { Initiative, InitiativesQuery } from '../schemas/initiatives.js'
import type { Db } from './connection.js'
import { pageAt } from './history.js'
import { equals, findRecord, selectPage, type Page, type Referrer } from './records.js'
import { equalsAt, equalsNow, searchPage, searchPageAt } from './search.js'

export type InitiativeRow = typeof initiatives.$inferSelect

export const initiativeView = (r: InitiativeRow): Initiative => ({
  id: r.id, title: r.title, destination: r.destination, description: r.description, domainId: r.domainId, status: r.status,
  decisionRule: r.decisionRule, decisionDueAt: r.decisionDueAt, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt
})

/** The records that point at an initiative: an initiative cannot be deleted while any does. */
export const INITIATIVE_REFERRERS: Referrer[] = [
  { entity: 'assignments', column: 'initiative_id' },
  { entity: 'delegations', column: 'initiative_id' },
  { entity: 'influences', column: 'initiative_id' },
  { entity: 'decisions', column: 'initiative_id' }
]

export const findInitiative = (db: Db, id: string): InitiativeRow => findRecord(db, initiatives, 'initiatives', id)

/** One page of the initiatives now, filtered by status, domain and decision rule; with q, the best matches first. */
export const pageInitiatives = (db: Db, q: InitiativesQuery): Page<Initiative> => q.q !== undefined
  ? searchPage(db, 'initiatives', q.q, q, equalsNow({ status: q.status, domain_id: q.domainId, decision_rule: q.decisionRule }),
    (id) => initiativeView(findInitiative(db, id)))
  : selectPage(db, initiatives, q, [
  equals(initiatives.status, q.status), equals(initiatives.domainId, q.domainId), equals(initiatives.decisionRule, q.decisionRule)
], initiativeView)

/** One page of the initiatives as they stood at `at`, with the same filters; with q, by their titles then. */
export const pageInitiativesAt = (db: Db, at: string, q: InitiativesQuery): Page<Initiative> => {
  const equal = { status: q.status, domainId: q.domainId, decisionRule: q.decisionRule }
  return q.q !== undefined
    ? searchPageAt<Initiative>(db, 'initiatives', at, q.q, q, { where: equalsAt(equal) })
    : pageAt(db, 'initiatives', at, q, { equal })
}
