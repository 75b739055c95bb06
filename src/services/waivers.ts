// Use cases for waivers: accept a finding until a date, list, get, withdraw (the live ones an audit applies: audit/live-waivers.ts).
import { and, asc, eq, gt, lte, type SQL } from 'drizzle-orm'
import { waivers } from '../../db/schema.js'
import { now, toInstant } from '../clock.js'
import type { Db } from '../store/connection.js'
import { invalidRecord, notFound } from '../errors.js'
import type { Waiver, WaiverCreate, WaiversQuery } from '../schemas/waivers.js'
import { recordChange, transact, type Actor } from '../store/change-log.js'
import { newId } from './ids.js'
import { checkIfMatch, cursorAfter, DEFAULT_PAGE_SIZE, insertRecord, toPage, type Page, type Written } from '../store/records.js'

type Row = typeof waivers.$inferSelect

const waiverView = (r: Row): Waiver => ({
  id: r.id, fingerprint: r.fingerprint, reason: r.reason, expiresAt: r.expiresAt, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt
})

export function listWaivers (db: Db, q: WaiversQuery): Page<Waiver> {
  const limit = q.limit ?? DEFAULT_PAGE_SIZE
  const after = cursorAfter(q.cursor)
  const filters: SQL[] = []
  if (q.active !== undefined) filters.push(q.active ? gt(waivers.expiresAt, now()) : lte(waivers.expiresAt, now()))
  if (q.fingerprint !== undefined) filters.push(eq(waivers.fingerprint, q.fingerprint))
  if (after !== undefined) filters.push(gt(waivers.id, after))
  const rows = db.select().from(waivers).where(and(...filters)).orderBy(asc(waivers.id)).limit(limit + 1).all()
  return toPage(rows.map(waiverView), limit)
}

function findWaiver (db: Db, id: string): Row {
  const row = db.select().from(waivers).where(eq(waivers.id, id)).get()
  if (row === undefined) throw notFound('waivers', id)
  return row
}

export const getWaiver = (db: Db, id: string): Waiver => waiverView(findWaiver(db, id))

export function createWaiver (db: Db, actor: Actor, input: WaiverCreate): Written<Waiver> {
  return transact(db, () => {
    const at = now()
    const expiresAt = toInstant(input.expiresAt)
    if (expiresAt <= at) throw invalidRecord('/expiresAt', `must be in the future (now is ${at})`)
    const row: Row = { id: newId(), fingerprint: input.fingerprint, reason: input.reason, expiresAt, version: 1, createdAt: at, updatedAt: at }
    return insertRecord(db, actor, at, 'waivers', waivers, row, waiverView)
  })
}

export function deleteWaiver (db: Db, actor: Actor, id: string, ifMatch?: string): { revision: number } {
  return transact(db, () => {
    const current = findWaiver(db, id)
    checkIfMatch(current.version, ifMatch)
    db.delete(waivers).where(eq(waivers.id, id)).run()
    return { revision: recordChange(db, actor, now(), { entity: 'waivers', entityId: id, action: 'delete', before: waiverView(current), after: null }) }
  })
}
