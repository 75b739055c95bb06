// Use cases for waivers: accept a finding until a date, list, get, withdraw (the live ones an audit applies: audit/live-waivers.ts).
import { waivers } from '../../db/schema.js'
import { now, toInstant } from '../clock.js'
import type { Db } from '../store/connection.js'
import { invalidRecord } from '../errors.js'
import type { Waiver, WaiverCreate, WaiversQuery } from '../schemas/waivers.js'
import { transact, type Actor } from '../store/change-log.js'
import { findWaiver, pageWaivers, waiverView, type WaiverRow } from '../store/waivers.js'
import { newId } from './ids.js'
import { checkIfMatch, deleteRecord, insertRecord, type Page, type Written } from '../store/records.js'

export const listWaivers = (db: Db, q: WaiversQuery): Page<Waiver> => pageWaivers(db, q, now())

export const getWaiver = (db: Db, id: string): Waiver => waiverView(findWaiver(db, id))

export function createWaiver (db: Db, actor: Actor, input: WaiverCreate): Written<Waiver> {
  return transact(db, () => {
    const at = now()
    const expiresAt = toInstant(input.expiresAt)
    if (expiresAt <= at) throw invalidRecord('/expiresAt', `must be in the future (now is ${at})`)
    const row: WaiverRow = { id: newId(), fingerprint: input.fingerprint, reason: input.reason, expiresAt, version: 1, createdAt: at, updatedAt: at }
    return insertRecord(db, actor, at, 'waivers', waivers, row, waiverView)
  })
}

export function deleteWaiver (db: Db, actor: Actor, id: string, ifMatch?: string): { revision: number } {
  return transact(db, () => {
    const current = findWaiver(db, id)
    checkIfMatch(current.version, ifMatch)
    return { revision: deleteRecord(db, actor, now(), 'waivers', waivers, current, waiverView) }
  })
}
