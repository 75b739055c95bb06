// Idempotency-Key records: claim a key for a request, store the answer it got, replay that answer, forget old keys.
import { transact } from '../store/change-log.js'
import type { Db } from '../store/connection.js'
import {
  deleteAllClaims, deleteClaim, findKey, insertClaim, purgeExpiredKeys, storeAnswer, type IdempotentRequest, type StoredAnswer
} from '../store/idempotency.js'
import { seal, unseal } from './replay-seal.js'

export type { IdempotentRequest, StoredAnswer }

/** How long a key holds: a retry after that is a new request. The draft asks servers to publish this. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

/** Expired rows removed per claim: the purge costs every claim a little and never one claim a lot. */
const PURGE_BATCH = 100

export type ClaimResult =
  | { outcome: 'claimed' }
  | { outcome: 'reused' }
  | { outcome: 'in_progress' }
  | { outcome: 'replay', answer: StoredAnswer }

/** What a sealed body is bound to, so that it cannot be moved to another row. */
const sealContext = (r: IdempotentRequest): string => `${r.keyId}\n${r.idempotencyKey}\n${r.fingerprint}`

/**
 * Claims the key for this request, or says why not: the key's live record holds another request (reused), is still
 * being answered (in_progress), or holds the answer to replay. A record past its expiry counts as absent and is
 * replaced; a few expired records are purged on the way, so the table holds about a day of keys.
 */
export function claimIdempotencyKey (db: Db, request: IdempotentRequest, token: string, at: string): ClaimResult {
  return transact(db, () => {
    purgeExpiredKeys(db, at, PURGE_BATCH)
    const record = findKey(db, request.keyId, request.idempotencyKey)
    if (record !== undefined && record.expiresAt > at) {
      if (record.fingerprint !== request.fingerprint) return { outcome: 'reused' }
      if (record.state === 'in_progress') return { outcome: 'in_progress' }
      const { answer } = record
      return { outcome: 'replay', answer: record.sealed ? { ...answer, body: unseal(token, sealContext(request), answer.body) } : answer }
    }
    insertClaim(db, request, at, new Date(Date.parse(at) + IDEMPOTENCY_TTL_MS).toISOString())
    return { outcome: 'claimed' }
  })
}

/**
 * Stores the answer of a claimed request for replay. With `sealFor` (the caller's token), the body is stored
 * encrypted: for an answer no cache may keep, such as a new key's token.
 */
export function completeIdempotencyKey (db: Db, request: IdempotentRequest, answer: StoredAnswer, sealFor?: string): void {
  const body = sealFor === undefined ? answer.body : seal(sealFor, sealContext(request), answer.body)
  storeAnswer(db, request, { ...answer, body }, sealFor !== undefined)
}

/** Gives the key back: the request stored no answer (it failed on the server's side), so a retry runs it afresh. */
export function releaseIdempotencyKey (db: Db, request: IdempotentRequest): void {
  deleteClaim(db, request)
}

/**
 * Forgets the claims of requests that were in flight when the process stopped: nothing is in flight at start, and
 * such a claim would otherwise answer every retry with 409 for a day. Returns how many there were.
 */
export function releaseAbandonedClaims (db: Db): number {
  return deleteAllClaims(db)
}
