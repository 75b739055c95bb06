// The waivers an audit applies: those live at a time, by the fingerprint of the finding each accepts.
import { liveWaiverRows } from '../store/audit-runs.js'
import type { Db } from '../store/connection.js'

export interface AppliedWaiver { waiverId: string, reason: string }

/**
 * The waivers live at `at`, by fingerprint. Where several accept one finding, the one that lasts longest wins
 * (rows come in expiry order, so it is the last one set), and then the latest created.
 */
export function liveWaivers (db: Db, at: string): Map<string, AppliedWaiver> {
  return new Map(liveWaiverRows(db, at).map((r) => [r.fingerprint, { waiverId: r.id, reason: r.reason }]))
}
