// Use cases for delegations: list (with activeAt), get, create, change, delete. A version recorded before delegations
// had a kind reads as a deputy, the only kind there was.
import { delegations } from '../../db/schema.js'
import type { Db } from '../store/connection.js'
import type { Delegation, DelegationCreate, DelegationPatch, DelegationsQuery } from '../schemas/delegations.js'
import type { Actor } from '../store/change-log.js'
import type { Page, Written } from '../store/records.js'
import { createRecord, deleteRecord, getRecord, listRecords, updateRecord, type Kind } from './effective-dated.js'

type Row = typeof delegations.$inferSelect

export const delegationView = (r: Row): Delegation => ({
  id: r.id, fromPersonId: r.fromPersonId, toPersonId: r.toPersonId, initiativeId: r.initiativeId, domainId: r.domainId,
  allScopes: r.allScopes, kind: r.kind, validFrom: r.validFrom, validTo: r.validTo, reason: r.reason,
  version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt
})

const DELEGATIONS: Kind<typeof delegations, Delegation> = {
  entity: 'delegations',
  table: delegations,
  view: delegationView,
  filters: ['fromPersonId', 'toPersonId', 'initiativeId', 'domainId', 'kind'],
  targets: ['initiativeId', 'domainId', 'allScopes'],
  references: [['fromPersonId', 'people'], ['toPersonId', 'people'], ['initiativeId', 'initiatives'], ['domainId', 'domains']],
  instants: ['validFrom', 'validTo'],
  defaults: (at) => ({ initiativeId: null, domainId: null, allScopes: false, kind: 'deputy', validFrom: at, validTo: null, reason: null }),
  added: { kind: 'deputy' },
  notSame: { field: 'toPersonId', as: 'fromPersonId', message: 'a person cannot delegate to themselves' },
  period: true
}

export const listDelegations = (db: Db, q: DelegationsQuery): Page<Delegation> => listRecords(db, DELEGATIONS, q)

/** The delegation now, or as it stood in the registry at `at`. */
export const getDelegation = (db: Db, id: string, at?: string): Delegation => getRecord(db, DELEGATIONS, id, at)

export const createDelegation = (db: Db, actor: Actor, input: DelegationCreate): Written<Delegation> => createRecord(db, DELEGATIONS, actor, input)

export const updateDelegation = (db: Db, actor: Actor, id: string, patch: DelegationPatch, ifMatch?: string): Written<Delegation> =>
  updateRecord(db, DELEGATIONS, actor, id, patch, ifMatch)

export const deleteDelegation = (db: Db, actor: Actor, id: string, ifMatch?: string): { revision: number } => deleteRecord(db, DELEGATIONS, actor, id, ifMatch)
