// Use cases for influences, the change agent's observations: list, get, create, change, delete.
import { influences } from '../../db/schema.js'
import type { Db } from '../store/connection.js'
import type { Influence, InfluenceCreate, InfluencePatch, InfluencesQuery } from '../schemas/influences.js'
import type { Actor } from '../store/change-log.js'
import type { Page, Written } from '../store/records.js'
import { createRecord, deleteRecord, getRecord, listRecords, updateRecord, type Kind } from './effective-dated.js'

type Row = typeof influences.$inferSelect

export const influenceView = (r: Row): Influence => ({
  id: r.id, personId: r.personId, initiativeId: r.initiativeId, domainId: r.domainId, overPersonId: r.overPersonId,
  strength: r.strength, note: r.note, observedAt: r.observedAt, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt
})

const INFLUENCES: Kind<typeof influences, Influence> = {
  entity: 'influences',
  table: influences,
  view: influenceView,
  filters: ['personId', 'initiativeId', 'domainId', 'overPersonId', 'strength'],
  targets: ['initiativeId', 'domainId', 'overPersonId'],
  references: [['personId', 'people'], ['initiativeId', 'initiatives'], ['domainId', 'domains'], ['overPersonId', 'people']],
  instants: ['observedAt'],
  defaults: (at) => ({ initiativeId: null, domainId: null, overPersonId: null, note: null, observedAt: at }),
  notSame: { field: 'overPersonId', as: 'personId', message: 'a person cannot be recorded as influencing themselves' }
}

export const listInfluences = (db: Db, q: InfluencesQuery): Page<Influence> => listRecords(db, INFLUENCES, q)

/** The influence now, or as it stood in the registry at `at`. */
export const getInfluence = (db: Db, id: string, at?: string): Influence => getRecord(db, INFLUENCES, id, at)

export const createInfluence = (db: Db, actor: Actor, input: InfluenceCreate): Written<Influence> => createRecord(db, INFLUENCES, actor, input)

export const updateInfluence = (db: Db, actor: Actor, id: string, patch: InfluencePatch, ifMatch?: string): Written<Influence> =>
  updateRecord(db, INFLUENCES, actor, id, patch, ifMatch)

export const deleteInfluence = (db: Db, actor: Actor, id: string, ifMatch?: string): { revision: number } => deleteRecord(db, INFLUENCES, actor, id, ifMatch)
