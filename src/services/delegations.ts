// Use cases for delegations: list (with activeAt), get, create, change, delete.
import { eq } from 'drizzle-orm'
import { delegations } from '../../db/schema.js'
import { now, toInstant } from '../clock.js'
import type { Db } from '../store/connection.js'
import { invalidRecord } from '../errors.js'
import type { Delegation, DelegationCreate, DelegationPatch, DelegationsQuery } from '../schemas/delegations.js'
import { recordChange, transact, type Actor } from '../store/change-log.js'
import { activeVersionAt, findVersionAt, pageAt } from '../store/history.js'
import { newId } from './ids.js'
import { assertNewId, assertReference, checkIfMatch, equals, findRecord, insertRecord, replaceRecord, selectPage, type Page, type Written } from '../store/records.js'
import { activeAt, assertOneTarget, assertPeriod, periodOf } from './targets.js'

type Row = typeof delegations.$inferSelect

const SCOPES = ['initiativeId', 'domainId', 'allScopes'] as const

export const delegationView = (r: Row): Delegation => ({
  id: r.id, fromPersonId: r.fromPersonId, toPersonId: r.toPersonId, initiativeId: r.initiativeId, domainId: r.domainId,
  allScopes: r.allScopes, validFrom: r.validFrom, validTo: r.validTo, reason: r.reason,
  version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt
})

export const listDelegations = (db: Db, q: DelegationsQuery): Page<Delegation> => q.at === undefined
  ? selectPage(db, delegations, q, [
    equals(delegations.fromPersonId, q.fromPersonId), equals(delegations.toPersonId, q.toPersonId),
    equals(delegations.initiativeId, q.initiativeId), equals(delegations.domainId, q.domainId),
    q.activeAt === undefined ? undefined : activeAt(delegations.validFrom, delegations.validTo, toInstant(q.activeAt))
  ], delegationView)
  : pageAt(db, 'delegations', q.at, q, {
    equal: { fromPersonId: q.fromPersonId, toPersonId: q.toPersonId, initiativeId: q.initiativeId, domainId: q.domainId },
    where: [activeVersionAt(q.activeAt)]
  })

const findDelegation = (db: Db, id: string): Row => findRecord(db, delegations, 'delegations', id)

/** The delegation now, or as it stood in the registry at `at`. */
export const getDelegation = (db: Db, id: string, at?: string): Delegation =>
  at === undefined ? delegationView(findDelegation(db, id)) : findVersionAt(db, 'delegations', id, at)

/** Every rule a stored delegation keeps, checked on the whole (created or merged) record. */
function assertValid (db: Db, row: Row): void {
  assertOneTarget(row, SCOPES)
  assertReference(db, '/fromPersonId', 'people', row.fromPersonId)
  assertReference(db, '/toPersonId', 'people', row.toPersonId)
  assertReference(db, '/initiativeId', 'initiatives', row.initiativeId)
  assertReference(db, '/domainId', 'domains', row.domainId)
  if (row.toPersonId === row.fromPersonId) throw invalidRecord('/toPersonId', 'a person cannot delegate to themselves')
  assertPeriod(row.validFrom, row.validTo)
}

export function createDelegation (db: Db, actor: Actor, input: DelegationCreate): Written<Delegation> {
  return transact(db, () => {
    const at = now()
    const id = input.id ?? newId()
    const row: Row = {
      id, fromPersonId: input.fromPersonId, toPersonId: input.toPersonId, initiativeId: input.initiativeId ?? null,
      domainId: input.domainId ?? null, allScopes: input.allScopes ?? false, ...periodOf(input, { validFrom: at, validTo: null }),
      reason: input.reason ?? null,
      version: 1, createdAt: at, updatedAt: at
    }
    if (input.id !== undefined) assertNewId(db, 'delegations', id)
    assertValid(db, row)
    return insertRecord(db, actor, at, 'delegations', delegations, row, delegationView)
  })
}

export function updateDelegation (db: Db, actor: Actor, id: string, patch: DelegationPatch, ifMatch?: string): Written<Delegation> {
  return transact(db, () => {
    const current = findDelegation(db, id)
    checkIfMatch(current.version, ifMatch)
    const at = now()
    const row: Row = {
      ...current,
      ...patch,
      ...periodOf(patch, current),
      version: current.version + 1,
      updatedAt: at
    }
    assertValid(db, row)
    return replaceRecord(db, actor, at, 'delegations', delegations, current, row, delegationView)
  })
}

export function deleteDelegation (db: Db, actor: Actor, id: string, ifMatch?: string): { revision: number } {
  return transact(db, () => {
    const current = findDelegation(db, id)
    checkIfMatch(current.version, ifMatch)
    db.delete(delegations).where(eq(delegations.id, id)).run()
    return { revision: recordChange(db, actor, now(), { entity: 'delegations', entityId: id, action: 'delete', before: delegationView(current), after: null }) }
  })
}
