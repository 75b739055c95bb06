// Waivers in SQL: the row as the API shows it, and lists filtered by whether they still hold and by fingerprint.
import { gt, lte } from 'drizzle-orm'
import { waivers } from '../../db/schema.js'
import type { Waiver, WaiversQuery } from '../schemas/waivers.js'
import type { Db } from './connection.js'
import { equals, findRecord, selectPage, type Page } from './records.js'

export type WaiverRow = typeof waivers.$inferSelect

export const waiverView = (r: WaiverRow): Waiver => ({
  id: r.id, fingerprint: r.fingerprint, reason: r.reason, expiresAt: r.expiresAt, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt
})

export const findWaiver = (db: Db, id: string): WaiverRow => findRecord(db, waivers, 'waivers', id)

/** One page of the waivers; `active`: those that expire after `now` (or, false, those expired by then). */
export const pageWaivers = (db: Db, q: WaiversQuery, now: string): Page<Waiver> => selectPage(db, waivers, q, [
  q.active === undefined ? undefined : q.active ? gt(waivers.expiresAt, now) : lte(waivers.expiresAt, now),
  equals(waivers.fingerprint, q.fingerprint)
], waiverView)
