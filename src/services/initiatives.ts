// Use cases for initiatives: list, get, create, change, delete.
import { eq } from 'drizzle-orm'
import { initiatives } from '../../db/schema.js'
import { now, toInstant } from '../clock.js'
import type { Db } from '../store/connection.js'
import type { Initiative, InitiativeCreate, InitiativePatch, InitiativesQuery } from '../schemas/initiatives.js'
import { recordChange, transact, type Actor } from '../store/change-log.js'
import { findVersionAt, pageAt } from '../store/history.js'
import { newId } from './ids.js'
import { assertNewId, assertReference, assertUnreferenced, checkIfMatch, equals, findRecord, insertRecord, replaceRecord, selectPage, type Page, type Written } from '../store/records.js'

type Row = typeof initiatives.$inferSelect

export const initiativeView = (r: Row): Initiative => ({
  id: r.id, title: r.title, destination: r.destination, description: r.description, domainId: r.domainId, status: r.status,
  decisionRule: r.decisionRule, decisionDueAt: r.decisionDueAt, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt
})

export const listInitiatives = (db: Db, q: InitiativesQuery): Page<Initiative> => q.at === undefined
  ? selectPage(db, initiatives, q, [
    equals(initiatives.status, q.status), equals(initiatives.domainId, q.domainId), equals(initiatives.decisionRule, q.decisionRule)
  ], initiativeView)
  : pageAt(db, 'initiatives', q.at, q, { equal: { status: q.status, domainId: q.domainId, decisionRule: q.decisionRule } })

export const findInitiative = (db: Db, id: string): Row => findRecord(db, initiatives, 'initiatives', id)

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
    const row: Row = {
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
    const row: Row = {
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
    assertUnreferenced(db, 'initiatives', id, [
      { entity: 'assignments', column: 'initiative_id' },
      { entity: 'delegations', column: 'initiative_id' },
      { entity: 'influences', column: 'initiative_id' },
      { entity: 'decisions', column: 'initiative_id' }
    ])
    db.delete(initiatives).where(eq(initiatives.id, id)).run()
    return { revision: recordChange(db, actor, now(), { entity: 'initiatives', entityId: id, action: 'delete', before: initiativeView(current), after: null }) }
  })
}
