// Domains in SQL: the row as the API shows it, lists now and at a past instant, and the walk up the parent chain.
import { domains } from '../../db/schema.js'
import type { Domain, DomainsQuery } from '../schemas/domains.js'
import { statement, type Db } from './connection.js'
import { pageAt } from './history.js'
import { equals, findRecord, selectPage, type Page, type Referrer } from './records.js'

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

/** One page of the domains now, filtered by parent. */
export const pageDomains = (db: Db, q: DomainsQuery): Page<Domain> =>
  selectPage(db, domains, q, [equals(domains.parentId, q.parentId)], domainView)

/** One page of the domains as they stood at `at`, filtered by parent. */
export const pageDomainsAt = (db: Db, at: string, q: DomainsQuery): Page<Domain> =>
  pageAt(db, 'domains', at, q, { equal: { parentId: q.parentId } })

/**
 * True when `parentId` is `id` or lies under it: its chain of parents, followed up to 10000 domains, reaches `id`.
 * The depth bound only guards against a loop already in the data; the service's check keeps new ones out.
 */
export function liesUnder (db: Db, parentId: string, id: string): boolean {
  const chain = statement(db, `WITH RECURSIVE up(id, depth) AS (
      SELECT ?, 0 UNION ALL SELECT d.parent_id, up.depth + 1 FROM domains d JOIN up ON d.id = up.id
      WHERE d.parent_id IS NOT NULL AND up.depth < 10000)
    SELECT 1 FROM up WHERE id = ? LIMIT 1`)
  return chain.get(parentId, id) !== undefined
}
