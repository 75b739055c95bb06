// The idempotency_keys table: one row per caller and key, claimed by a request and then holding its answer.
import { statement, type Db } from './connection.js'

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

/** A key's row: claimed by the request with this fingerprint, and once it is done, its answer (the body maybe sealed). */
export type KeyRecord = { fingerprint: string, expiresAt: string } & (
  | { state: 'in_progress' }
  | { state: 'done', answer: StoredAnswer, sealed: boolean }
)

interface Row {
  fingerprint: string
  state: 'in_progress' | 'done'
  status: number | null
  headers: string | null
  body: Buffer | null
  sealed: number
  expiresAt: string
}

/** Deletes at most `limit` rows expired at `at`. */
export function purgeExpiredKeys (db: Db, at: string, limit: number): void {
  statement(db, `DELETE FROM idempotency_keys WHERE rowid IN
      (SELECT rowid FROM idempotency_keys WHERE expires_at <= ? LIMIT ?)`).run(at, limit)
}

/** The key's row, expired or not. */
export function findKey (db: Db, keyId: string, idempotencyKey: string): KeyRecord | undefined {
  const row = statement(db, `SELECT fingerprint, state, status, headers, body, sealed, expires_at AS expiresAt
      FROM idempotency_keys WHERE key_id = ? AND idempotency_key = ?`).get(keyId, idempotencyKey) as Row | undefined
  if (row === undefined) return undefined
  const { fingerprint, expiresAt } = row
  if (row.state === 'in_progress') return { fingerprint, expiresAt, state: 'in_progress' }
  const answer = { status: row.status ?? 200, headers: JSON.parse(row.headers ?? '{}') as Record<string, string>, body: row.body ?? Buffer.alloc(0) }
  return { fingerprint, expiresAt, state: 'done', answer, sealed: row.sealed === 1 }
}

/** Claims the key for this request, in progress until `expiresAt`, replacing the key's row if it has one. */
export function insertClaim (db: Db, request: IdempotentRequest, at: string, expiresAt: string): void {
  statement(db, `INSERT OR REPLACE INTO idempotency_keys (key_id, idempotency_key, fingerprint, state, sealed, created_at, expires_at)
      VALUES (?, ?, ?, 'in_progress', 0, ?, ?)`).run(request.keyId, request.idempotencyKey, request.fingerprint, at, expiresAt)
}

/** Stores the answer of the key's claim, if it is still in progress: the key is then done. */
export function storeAnswer (db: Db, request: IdempotentRequest, answer: StoredAnswer, sealed: boolean): void {
  statement(db, `UPDATE idempotency_keys SET state = 'done', status = ?, headers = ?, body = ?, sealed = ?
    WHERE key_id = ? AND idempotency_key = ? AND state = 'in_progress'`)
    .run(answer.status, JSON.stringify(answer.headers), answer.body, sealed ? 1 : 0, request.keyId, request.idempotencyKey)
}

/** Deletes the key's claim if it is still in progress. */
export function deleteClaim (db: Db, request: IdempotentRequest): void {
  statement(db, "DELETE FROM idempotency_keys WHERE key_id = ? AND idempotency_key = ? AND state = 'in_progress'")
    .run(request.keyId, request.idempotencyKey)
}

/** Deletes every claim in progress; returns how many there were. */
export function deleteAllClaims (db: Db): number {
  return statement(db, "DELETE FROM idempotency_keys WHERE state = 'in_progress'").run().changes
}
