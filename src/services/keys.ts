// API keys: issue, list, revoke, authenticate, and the admin key created on first start.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto'
import { closeSync, fchmodSync, openSync, writeSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { asc, eq, sql } from 'drizzle-orm'
import { apiKeys } from '../../db/schema.js'
import { now } from '../clock.js'
import { statement, type Db } from '../database.js'
import { notFound, ProblemError } from '../errors.js'
import type { Role } from '../schemas/common.js'
import { recordChange, transact, type Actor } from './change-log.js'
import { newId } from './ids.js'

export const TOKEN_PREFIX = 'wd_'

export interface KeyView { id: string, label: string, role: Role, createdAt: string, revokedAt: string | null }
export interface AuthenticatedKey { id: string, label: string, role: Role }

// One-shot: createHash made a native Hash object per request, each one the young-generation collector had to
// finalize — about 0.35 ms of every scavenge under lookups (pauses 1.0–2.1 ms, 0.6–0.8 ms without).
const hashToken = (token: string): string => hash('sha256', token, 'hex')
const view = ({ id, label, role, createdAt, revokedAt }: typeof apiKeys.$inferSelect): KeyView => ({ id, label, role, createdAt, revokedAt })

function insertKey (db: Db, actor: Actor, label: string, role: Role, token: string): { key: KeyView, revision: number } {
  const at = now()
  const row = { id: newId(), label, role, tokenHash: hashToken(token), createdAt: at, revokedAt: null }
  return transact(db, () => {
    db.insert(apiKeys).values(row).run()
    const key = view(row)
    return { key, revision: recordChange(db, actor, at, { entity: 'keys', entityId: row.id, action: 'create', before: null, after: key }) }
  })
}

const newToken = (): string => TOKEN_PREFIX + randomBytes(32).toString('base64url')

export function createKey (db: Db, actor: Actor, input: { label: string, role: Role }): { key: KeyView & { token: string }, revision: number } {
  const token = newToken()
  const { key, revision } = insertKey(db, actor, input.label, input.role, token)
  return { key: { ...key, token }, revision }
}

/** Every key, oldest first; keys issued within the same millisecond keep their insertion order (rowid). */
export function listKeys (db: Db): KeyView[] {
  return db.select().from(apiKeys).orderBy(asc(apiKeys.createdAt), sql`rowid`).all().map(view)
}

/**
 * Revokes a key at once. Revoking a revoked key changes nothing and answers with the revision that revoked it;
 * the last live admin key cannot be revoked, since no one could then issue keys again.
 */
export function revokeKey (db: Db, actor: Actor, id: string): { key: KeyView, revision: number } {
  return transact(db, () => {
    const row = db.select().from(apiKeys).where(eq(apiKeys.id, id)).get()
    if (row === undefined) throw notFound('keys', id)
    const before = view(row)
    if (row.revokedAt !== null) return { key: before, revision: lastRevisionOf(db, id) }
    if (row.role === 'admin' && liveAdmins(db) === 1) {
      throw new ProblemError('WHODECIDES_ERR_CONFLICT', `key "${id}" is the last live admin key; issue another admin key before revoking it`)
    }
    const at = now()
    db.update(apiKeys).set({ revokedAt: at }).where(eq(apiKeys.id, id)).run()
    forgetLiveKeys(db)
    const key = { ...before, revokedAt: at }
    return { key, revision: recordChange(db, actor, at, { entity: 'keys', entityId: id, action: 'revoke', before, after: key }) }
  })
}

const lastRevisionOf = (db: Db, id: string): number =>
  (statement(db, "SELECT max(revision) AS revision FROM changes WHERE entity = 'keys' AND entity_id = ?").get(id) as { revision: number | null }).revision ?? 0

const liveAdmins = (db: Db): number =>
  (statement(db, "SELECT count(*) AS n FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL").get() as { n: number }).n

// Live keys by token hash, so a request costs one hash and no query; a revocation empties it at once.
const liveKeys = new WeakMap<Db, Map<string, AuthenticatedKey>>()
const LIVE_KEYS_CACHED = 10_000

function forgetLiveKeys (db: Db): void {
  liveKeys.get(db)?.clear()
}

/** The live key for a bearer token, or undefined; the hash is compared in constant time. */
export function authenticate (db: Db, token: string): AuthenticatedKey | undefined {
  const tokenHash = hashToken(token)
  let cache = liveKeys.get(db)
  if (cache === undefined) liveKeys.set(db, cache = new Map())
  const cached = cache.get(tokenHash)
  if (cached !== undefined) return cached
  const row = statement(db, 'SELECT id, label, role, token_hash AS tokenHash FROM api_keys WHERE token_hash = ? AND revoked_at IS NULL')
    .get(tokenHash) as (AuthenticatedKey & { tokenHash: string }) | undefined
  if (row === undefined) return undefined
  if (!timingSafeEqual(Buffer.from(row.tokenHash, 'hex'), Buffer.from(tokenHash, 'hex'))) return undefined
  const key = { id: row.id, label: row.label, role: row.role }
  if (cache.size >= LIVE_KEYS_CACHED) cache.clear()
  cache.set(tokenHash, key)
  return key
}

/** Writes a file only its owner can read: the mode is set before the secret is written, even over an older file. */
function writeSecret (file: string, content: string): void {
  const fd = openSync(file, 'w', 0o600)
  try {
    fchmodSync(fd, 0o600)
    writeSync(fd, content)
  } finally {
    closeSync(fd)
  }
}

export const SYSTEM_ACTOR: Actor = { keyId: null, label: 'system' }

/**
 * On a database with no keys: the bootstrap token becomes an admin key, or a new admin key is written to
 * admin.key beside the database file (mode 0600). Returns that file's path when one was written.
 */
export function ensureAdminKey (db: Db, dbPath: string, bootstrapKey: string | undefined): string | undefined {
  if (db.select({ id: apiKeys.id }).from(apiKeys).limit(1).get() !== undefined) return undefined
  if (bootstrapKey !== undefined) {
    insertKey(db, SYSTEM_ACTOR, 'bootstrap admin', 'admin', bootstrapKey)
    return undefined
  }
  if (dbPath === ':memory:') return undefined
  // The file first: should the write fail, no key exists that nobody can read, and the next start tries again.
  const token = newToken()
  const file = resolve(join(dirname(dbPath), 'admin.key'))
  writeSecret(file, token + '\n')
  insertKey(db, SYSTEM_ACTOR, 'first admin', 'admin', token)
  return file
}
