// Domains in SQL: the row as the API shows it, and lists now and at a past instant.
import { domains } from '../../db/schema.js'
import type { Domain, DomainsQuery } from '../schemas/domains.js'
import type { Db } from './connection.js'
import { pageAt } from './history.js'
import { equals, findRecord, selectPage, type Page, type Referrer } from './records.js'
import { equalsAt, equalsNow, searchPage, searchPageAt } from './search.js'

export type DomainRow = typeof domains.$inferSelect

export const domainView = (r: DomainRow): Domain => ({
  id: r.id, name: r.name, description: r.description, parentId: r.parentId, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt
})

/** The records that point at a domain: a domain cannot be deleted while any does. */
export const DOMAIN_REFERRERS: Referrer[] = [
  { entity: 'domains', column: 'parent_id' },
  { entity: 'initiatives', column: 'domain_id' },
  { entity: 'assignments', column: 'domain_id' },
  { entity: 'delegations', column: 'domain_id' },
  { entity: 'influences', column: 'domain_id' }
]

export const findDomain = (db: Db, id: string): DomainRow => findRecord(db, domains, 'domains', id)

/** One page of the domains now, filtered by parent; with q, the best matches first. */
export const pageDomains = (db: Db, q: DomainsQuery): Page<Domain> => q.q !== undefined
  ? searchPage(db, 'domains', q.q, q, equalsNow({ parent_id: q.parentId }),
    (id) => domainView(findDomain(db, id)))
  : selectPage(db, domains, q, [equals(domains.parentId, q.parentId)], domainView)

/** One page of the domains as they stood at `at`, filtered by parent; with q, by their names then. */
export const pageDomainsAt = (db: Db, at: string, q: DomainsQuery): Page<Domain> => q.q !== undefined
  ? searchPageAt<Domain>(db, 'domains', at, q.q, q, { where: equalsAt({ parentId: q.parentId }) })
  : pageAt(db, 'domains', at, q, { equal: { parentId: q.parentId } })
