// The waivers an audit applies: those live at a time, by the fingerprint of the finding each accepts.
import { liveWaiverRows } from '../store/audit-runs.js'
import type { Db } from '../store/connection.js'

export interface AppliedWaiver { waiverId: string, reason: string }

/**
 * The waivers live at `at`, by fingerprint. Where several accept one finding, the one that lasts longest wins
 * (rows come in expiry order, so it is the last one set), and then the latest created.
 */
export function liveWaivers (db: Db, at: string): Map<string, AppliedWaiver> {
  return liveWaiversUntil(db, at).byFingerprint
}

/** liveWaivers, and the time the first of them expires (undefined: none is live): the same waivers are live until then. */
export function liveWaiversUntil (db: Db, at: string): { byFingerprint: Map<string, AppliedWaiver>, firstExpiry: string | undefined } {
  const rows = liveWaiverRows(db, at)
  return { byFingerprint: new Map(rows.map((r) => [r.fingerprint, { waiverId: r.id, reason: r.reason }])), firstExpiry: rows[0]?.expiresAt }
}
