// Idempotency-Key records: claim a key for a request, store the answer it got, replay that answer, forget old keys.
import { statement, type Db } from '../store/connection.js'
import { transact } from '../store/change-log.js'
import { seal, unseal } from './replay-seal.js'

/** How long a key holds: a retry after that is a new request. The draft asks servers to publish this. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

/** Expired rows removed per claim: the purge costs every claim a little and never one claim a lot. */
const PURGE_BATCH = 100

/** One caller's request under one key: keys are scoped per API key, so two callers never collide. */
export interface IdempotentRequest {
  keyId: string
  idempotencyKey: string
  fingerprint: string
}

/** An answer as stored and replayed: the status, the headers a replay repeats, and the body bytes. */
export interface StoredAnswer {
  status: number
  headers: Record<string, string>
  body: Buffer
}

export type ClaimResult =
  | { outcome: 'claimed' }
  | { outcome: 'reused' }
  | { outcome: 'in_progress' }
  | { outcome: 'replay', answer: StoredAnswer }

interface Row {
  fingerprint: string
  state: 'in_progress' | 'done'
  status: number | null
  headers: string | null
  body: Buffer | null
  sealed: number
  expiresAt: string
}

/** What a sealed body is bound to, so that it cannot be moved to another row. */
const sealContext = (r: IdempotentRequest): string => `${r.keyId}\n${r.idempotencyKey}\n${r.fingerprint}`

/**
 * Claims the key for this request, or says why not: the key's live record holds another request (reused), is still
 * being answered (in_progress), or holds the answer to replay. A record past its expiry counts as absent and is
 * replaced; a few expired records are purged on the way, so the table holds about a day of keys.
 */
export function claimIdempotencyKey (db: Db, request: IdempotentRequest, token: string, at: string): ClaimResult {
  return transact(db, () => {
    statement(db, `DELETE FROM idempotency_keys WHERE rowid IN
      (SELECT rowid FROM idempotency_keys WHERE expires_at <= ? LIMIT ${PURGE_BATCH})`).run(at)
    const row = statement(db, `SELECT fingerprint, state, status, headers, body, sealed, expires_at AS expiresAt
      FROM idempotency_keys WHERE key_id = ? AND idempotency_key = ?`).get(request.keyId, request.idempotencyKey) as Row | undefined
    if (row !== undefined && row.expiresAt > at) {
      if (row.fingerprint !== request.fingerprint) return { outcome: 'reused' }
      if (row.state === 'in_progress') return { outcome: 'in_progress' }
      const body = row.body ?? Buffer.alloc(0)
      return {
        outcome: 'replay',
        answer: {
          status: row.status ?? 200,
          headers: JSON.parse(row.headers ?? '{}') as Record<string, string>,
          body: row.sealed === 1 ? unseal(token, sealContext(request), body) : body
        }
      }
    }
    const expiresAt = new Date(Date.parse(at) + IDEMPOTENCY_TTL_MS).toISOString()
    statement(db, `INSERT OR REPLACE INTO idempotency_keys (key_id, idempotency_key, fingerprint, state, sealed, created_at, expires_at)
      VALUES (?, ?, ?, 'in_progress', 0, ?, ?)`).run(request.keyId, request.idempotencyKey, request.fingerprint, at, expiresAt)
    return { outcome: 'claimed' }
  })
}

/**
 * Stores the answer of a claimed request for replay. With `sealFor` (the caller's token), the body is stored
 * encrypted: for an answer no cache may keep, such as a new key's token.
 */
export function completeIdempotencyKey (db: Db, request: IdempotentRequest, answer: StoredAnswer, sealFor?: string): void {
  const body = sealFor === undefined ? answer.body : seal(sealFor, sealContext(request), answer.body)
  statement(db, `UPDATE idempotency_keys SET state = 'done', status = ?, headers = ?, body = ?, sealed = ?
    WHERE key_id = ? AND idempotency_key = ? AND state = 'in_progress'`)
    .run(answer.status, JSON.stringify(answer.headers), body, sealFor === undefined ? 0 : 1, request.keyId, request.idempotencyKey)
}

/** Gives the key back: the request stored no answer (it failed on the server's side), so a retry runs it afresh. */
export function releaseIdempotencyKey (db: Db, request: IdempotentRequest): void {
  statement(db, "DELETE FROM idempotency_keys WHERE key_id = ? AND idempotency_key = ? AND state = 'in_progress'")
    .run(request.keyId, request.idempotencyKey)
}

/**
 * Forgets the claims of requests that were in flight when the process stopped: nothing is in flight at start, and
 * such a claim would otherwise answer every retry with 409 for a day. Returns how many there were.
 */
export function releaseAbandonedClaims (db: Db): number {
  return statement(db, "DELETE FROM idempotency_keys WHERE state = 'in_progress'").run().changes
}
