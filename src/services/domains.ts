// Use cases for domains: list, get, create, change (refusing a parent that would close a loop), delete.
import { domains } from '../../db/schema.js'
import { now } from '../clock.js'
import type { Db } from '../store/connection.js'
import { invalidRecord } from '../errors.js'
import type { Domain, DomainCreate, DomainPatch, DomainsQuery } from '../schemas/domains.js'
import { transact, type Actor } from '../store/change-log.js'
import { DOMAIN_REFERRERS, domainView, findDomain, pageDomains, pageDomainsAt, type DomainRow } from '../store/domains.js'
import { findVersionAt } from '../store/history.js'
import { chainReaches } from '../store/chains.js'
import { newId } from './ids.js'
import { assertNewId, assertReference, assertUnreferenced, checkIfMatch, deleteRecord, insertRecord, replaceRecord, type Page, type Written } from '../store/records.js'

export const listDomains = (db: Db, q: DomainsQuery): Page<Domain> => q.at === undefined ? pageDomains(db, q) : pageDomainsAt(db, q.at, q)

/** The domain now, or as it stood in the registry at `at`. */
export const getDomain = (db: Db, id: string, at?: string): Domain =>
  at === undefined ? domainView(findDomain(db, id)) : findVersionAt(db, 'domains', id, at)

/** Refuses a parent that does not exist, or whose chain of parents leads back to the domain itself. */
function assertParent (db: Db, id: string, parentId: string | null | undefined): void {
  if (parentId == null) return
  assertReference(db, '/parentId', 'domains', parentId)
  if (chainReaches(db, 'parents', parentId, id)) {
    throw invalidRecord('/parentId', parentId === id ? 'a domain cannot be its own parent' : `"${parentId}" lies under "${id}": that would make a loop`)
  }
}

export function createDomain (db: Db, actor: Actor, input: DomainCreate): Written<Domain> {
  return transact(db, () => {
    const at = now()
    const id = input.id ?? newId()
    if (input.id !== undefined) assertNewId(db, 'domains', id)
    assertParent(db, id, input.parentId)
    const row: DomainRow = {
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
    const row: DomainRow = { ...current, ...patch, version: current.version + 1, updatedAt: at }
    return replaceRecord(db, actor, at, 'domains', domains, current, row, domainView)
  })
}

export function deleteDomain (db: Db, actor: Actor, id: string, ifMatch?: string): { revision: number } {
  return transact(db, () => {
    const current = findDomain(db, id)
    checkIfMatch(current.version, ifMatch)
    assertUnreferenced(db, 'domains', id, DOMAIN_REFERRERS)
    return { revision: deleteRecord(db, actor, now(), 'domains', domains, current, domainView) }
  })
}
