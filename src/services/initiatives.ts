// Use cases for initiatives: list, get, create, change, delete.
import { initiatives } from '../../db/schema.js'
import { now, toInstant } from '../clock.js'
import type { Db } from '../store/connection.js'
import type { Initiative, InitiativeCreate, InitiativePatch, InitiativesQuery } from '../schemas/initiatives.js'
import { transact, type Actor } from '../store/change-log.js'
import { findVersionAt } from '../store/history.js'
import { findInitiative, INITIATIVE_REFERRERS, initiativeView, pageInitiatives, pageInitiativesAt, type InitiativeRow } from '../store/initiatives.js'
import { newId } from './ids.js'
import { assertNewId, assertReference, assertUnreferenced, checkIfMatch, deleteRecord, insertRecord, replaceRecord, type Page, type Written } from '../store/records.js'

export const listInitiatives = (db: Db, q: InitiativesQuery): Page<Initiative> =>
  q.at === undefined ? pageInitiatives(db, q) : pageInitiativesAt(db, q.at, q)

/** The initiative now, or as it stood in the registry at `at`. */
export const getInitiative = (db: Db, id: string, at?: string): Initiative =>
  at === undefined ? initiativeView(findInitiative(db, id)) : findVersionAt(db, 'initiatives', id, at)

const dueAt = (iso: string | null | undefined): string | null => iso == null ? null : toInstant(iso)

export function createInitiative (db: Db, actor: Actor, input: InitiativeCreate): Written<Initiative> {
  return transact(db, () => {
    const at = now()
    const id = input.id ?? newId()
    if (input.id !== undefined) assertNewId(db, 'initiatives', id)
    assertReference(db, '/domainId', 'domains', input.domainId)
    const row: InitiativeRow = {
      id, title: input.title, destination: input.destination ?? null, description: input.description ?? null, domainId: input.domainId ?? null,
      status: input.status ?? 'proposed', decisionRule: input.decisionRule ?? 'single', decisionDueAt: dueAt(input.decisionDueAt),
      version: 1, createdAt: at, updatedAt: at
    }
    return insertRecord(db, actor, at, 'initiatives', initiatives, row, initiativeView)
  })
}

export function updateInitiative (db: Db, actor: Actor, id: string, patch: InitiativePatch, ifMatch?: string): Written<Initiative> {
  return transact(db, () => {
    const current = findInitiative(db, id)
    checkIfMatch(current.version, ifMatch)
    assertReference(db, '/domainId', 'domains', patch.domainId)
    const at = now()
    const row: InitiativeRow = {
      ...current,
      ...patch,
      decisionDueAt: patch.decisionDueAt === undefined ? current.decisionDueAt : dueAt(patch.decisionDueAt),
      version: current.version + 1,
      updatedAt: at
    }
    return replaceRecord(db, actor, at, 'initiatives', initiatives, current, row, initiativeView)
  })
}

export function deleteInitiative (db: Db, actor: Actor, id: string, ifMatch?: string): { revision: number } {
  return transact(db, () => {
    const current = findInitiative(db, id)
    checkIfMatch(current.version, ifMatch)
    assertUnreferenced(db, 'initiatives', id, INITIATIVE_REFERRERS)
    return { revision: deleteRecord(db, actor, now(), 'initiatives', initiatives, current, initiativeView) }
  })
}
