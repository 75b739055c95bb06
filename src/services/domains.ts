// Use cases for domains: list, get, create, change (refusing a parent that would close a loop), delete.
import { eq } from 'drizzle-orm'
import { domains } from '../../db/schema.js'
import { now } from '../clock.js'
import { statement, type Db } from '../store/connection.js'
import { invalidRecord } from '../errors.js'
import type { Domain, DomainCreate, DomainPatch, DomainsQuery } from '../schemas/domains.js'
import { recordChange, transact, type Actor } from '../store/change-log.js'
import { findVersionAt, pageAt } from '../store/history.js'
import { newId } from './ids.js'
import { assertNewId, assertReference, assertUnreferenced, checkIfMatch, equals, findRecord, insertRecord, replaceRecord, selectPage, type Page, type Written } from '../store/records.js'

type Row = typeof domains.$inferSelect

export const domainView = (r: Row): Domain => ({
  id: r.id, name: r.name, description: r.description, parentId: r.parentId, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt
})

export const listDomains = (db: Db, q: DomainsQuery): Page<Domain> => q.at === undefined
  ? selectPage(db, domains, q, [equals(domains.parentId, q.parentId)], domainView)
  : pageAt(db, 'domains', q.at, q, { equal: { parentId: q.parentId } })

const findDomain = (db: Db, id: string): Row => findRecord(db, domains, 'domains', id)

/** The domain now, or as it stood in the registry at `at`. */
export const getDomain = (db: Db, id: string, at?: string): Domain =>
  at === undefined ? domainView(findDomain(db, id)) : findVersionAt(db, 'domains', id, at)

/** Refuses a parent that does not exist, or whose chain of parents leads back to the domain itself. */
function assertParent (db: Db, id: string, parentId: string | null | undefined): void {
  if (parentId == null) return
  assertReference(db, '/parentId', 'domains', parentId)
  // The depth bound only guards against a loop already in the data; the check below keeps new ones out.
  const chain = statement(db, `WITH RECURSIVE up(id, depth) AS (
      SELECT ?, 0 UNION ALL SELECT d.parent_id, up.depth + 1 FROM domains d JOIN up ON d.id = up.id
      WHERE d.parent_id IS NOT NULL AND up.depth < 10000)
    SELECT 1 FROM up WHERE id = ? LIMIT 1`)
  if (chain.get(parentId, id) !== undefined) {
    throw invalidRecord('/parentId', parentId === id ? 'a domain cannot be its own parent' : `"${parentId}" lies under "${id}": that would make a loop`)
  }
}

export function createDomain (db: Db, actor: Actor, input: DomainCreate): Written<Domain> {
  return transact(db, () => {
    const at = now()
    const id = input.id ?? newId()
    if (input.id !== undefined) assertNewId(db, 'domains', id)
    assertParent(db, id, input.parentId)
    const row: Row = {
      id, name: input.name, description: input.description ?? null, parentId: input.parentId ?? null, version: 1, createdAt: at, updatedAt: at
    }
    return insertRecord(db, actor, at, 'domains', domains, row, domainView)
  })
}

export function updateDomain (db: Db, actor: Actor, id: string, patch: DomainPatch, ifMatch?: string): Written<Domain> {
  return transact(db, () => {
    const current = findDomain(db, id)
    checkIfMatch(current.version, ifMatch)
    if (patch.parentId !== undefined) assertParent(db, id, patch.parentId)
    const at = now()
    const row: Row = { ...current, ...patch, version: current.version + 1, updatedAt: at }
    return replaceRecord(db, actor, at, 'domains', domains, current, row, domainView)
  })
}

export function deleteDomain (db: Db, actor: Actor, id: string, ifMatch?: string): { revision: number } {
  return transact(db, () => {
    const current = findDomain(db, id)
    checkIfMatch(current.version, ifMatch)
    assertUnreferenced(db, 'domains', id, [
      { entity: 'domains', column: 'parent_id' },
      { entity: 'initiatives', column: 'domain_id' },
      { entity: 'assignments', column: 'domain_id' },
      { entity: 'delegations', column: 'domain_id' },
      { entity: 'influences', column: 'domain_id' }
    ])
    db.delete(domains).where(eq(domains.id, id)).run()
    return { revision: recordChange(db, actor, now(), { entity: 'domains', entityId: id, action: 'delete', before: domainView(current), after: null }) }
  })
}
