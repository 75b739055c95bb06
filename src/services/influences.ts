// Use cases for influences, the change agent's observations: list, get, create, change, delete.
import { eq } from 'drizzle-orm'
import { influences } from '../../db/schema.js'
import { now, toInstant } from '../clock.js'
import type { Db } from '../store/connection.js'
import { invalidRecord } from '../errors.js'
import type { Influence, InfluenceCreate, InfluencePatch, InfluencesQuery } from '../schemas/influences.js'
import { recordChange, transact, type Actor } from '../store/change-log.js'
import { findVersionAt, pageAt } from '../store/history.js'
import { newId } from './ids.js'
import { assertNewId, assertReference, checkIfMatch, equals, findRecord, insertRecord, replaceRecord, selectPage, type Page, type Written } from '../store/records.js'
import { assertOneTarget } from './targets.js'

type Row = typeof influences.$inferSelect

const TARGETS = ['initiativeId', 'domainId', 'overPersonId'] as const

export const influenceView = (r: Row): Influence => ({
  id: r.id, personId: r.personId, initiativeId: r.initiativeId, domainId: r.domainId, overPersonId: r.overPersonId,
  strength: r.strength, note: r.note, observedAt: r.observedAt, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt
})

export const listInfluences = (db: Db, q: InfluencesQuery): Page<Influence> => q.at === undefined
  ? selectPage(db, influences, q, [
    equals(influences.personId, q.personId), equals(influences.initiativeId, q.initiativeId), equals(influences.domainId, q.domainId),
    equals(influences.overPersonId, q.overPersonId), equals(influences.strength, q.strength)
  ], influenceView)
  : pageAt(db, 'influences', q.at, q, {
    equal: { personId: q.personId, initiativeId: q.initiativeId, domainId: q.domainId, overPersonId: q.overPersonId, strength: q.strength }
  })

const findInfluence = (db: Db, id: string): Row => findRecord(db, influences, 'influences', id)

/** The influence now, or as it stood in the registry at `at`. */
export const getInfluence = (db: Db, id: string, at?: string): Influence =>
  at === undefined ? influenceView(findInfluence(db, id)) : findVersionAt(db, 'influences', id, at)

/** Every rule a stored influence keeps, checked on the whole (created or merged) record. */
function assertValid (db: Db, row: Row): void {
  assertOneTarget(row, TARGETS)
  assertReference(db, '/personId', 'people', row.personId)
  assertReference(db, '/initiativeId', 'initiatives', row.initiativeId)
  assertReference(db, '/domainId', 'domains', row.domainId)
  assertReference(db, '/overPersonId', 'people', row.overPersonId)
  if (row.overPersonId === row.personId) throw invalidRecord('/overPersonId', 'a person cannot be recorded as influencing themselves')
}

export function createInfluence (db: Db, actor: Actor, input: InfluenceCreate): Written<Influence> {
  return transact(db, () => {
    const at = now()
    const id = input.id ?? newId()
    const row: Row = {
      id, personId: input.personId, initiativeId: input.initiativeId ?? null, domainId: input.domainId ?? null,
      overPersonId: input.overPersonId ?? null, strength: input.strength, note: input.note ?? null,
      observedAt: input.observedAt === undefined ? at : toInstant(input.observedAt),
      version: 1, createdAt: at, updatedAt: at
    }
    if (input.id !== undefined) assertNewId(db, 'influences', id)
    assertValid(db, row)
    return insertRecord(db, actor, at, 'influences', influences, row, influenceView)
  })
}

export function updateInfluence (db: Db, actor: Actor, id: string, patch: InfluencePatch, ifMatch?: string): Written<Influence> {
  return transact(db, () => {
    const current = findInfluence(db, id)
    checkIfMatch(current.version, ifMatch)
    const at = now()
    const row: Row = {
      ...current,
      ...patch,
      observedAt: patch.observedAt === undefined ? current.observedAt : toInstant(patch.observedAt),
      version: current.version + 1,
      updatedAt: at
    }
    assertValid(db, row)
    return replaceRecord(db, actor, at, 'influences', influences, current, row, influenceView)
  })
}

export function deleteInfluence (db: Db, actor: Actor, id: string, ifMatch?: string): { revision: number } {
  return transact(db, () => {
    const current = findInfluence(db, id)
    checkIfMatch(current.version, ifMatch)
    db.delete(influences).where(eq(influences.id, id)).run()
    return { revision: recordChange(db, actor, now(), { entity: 'influences', entityId: id, action: 'delete', before: influenceView(current), after: null }) }
  })
}
