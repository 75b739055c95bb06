// API keys: issue, list, revoke, authenticate, and the admin key created on first start.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto'
import { closeSync, constants, existsSync, fchmodSync, fsyncSync, lstatSync, openSync, rmSync, writeSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { now } from '../clock.js'
import { ConfigError } from '../config.js'
import type { Db } from '../store/connection.js'
import { notFound, ProblemError } from '../errors.js'
import type { Role } from '../schemas/common.js'
import { recordChange, transact, type Actor } from '../store/change-log.js'
import { lastRevisionOf } from '../store/changes.js'
import { allKeys, anyKey, findKey, insertKey, keyView, liveAdminCount, liveKeyByHash, markRevoked, type AuthenticatedKey, type KeyRow, type KeyView } from '../store/keys.js'
import { newId } from './ids.js'

export const TOKEN_PREFIX = 'wd_'

export type { AuthenticatedKey, KeyView }

// One-shot: createHash made a native Hash object per request, each one the young-generation collector had to
// finalize — about 0.35 ms of every scavenge under lookups (pauses 1.0–2.1 ms, 0.6–0.8 ms without).
const hashToken = (token: string): string => hash('sha256', token, 'hex')

function issueKey (db: Db, actor: Actor, label: string, role: Role, token: string): { key: KeyView, revision: number } {
  const at = now()
  const row: KeyRow = { id: newId(), label, role, tokenHash: hashToken(token), createdAt: at, revokedAt: null }
  return transact(db, () => {
    insertKey(db, row)
    const key = keyView(row)
    return { key, revision: recordChange(db, actor, at, { entity: 'keys', entityId: row.id, action: 'create', before: null, after: key }) }
  })
}

const newToken = (): string => TOKEN_PREFIX + randomBytes(32).toString('base64url')

export function createKey (db: Db, actor: Actor, input: { label: string, role: Role }): { key: KeyView & { token: string }, revision: number } {
  const token = newToken()
  const { key, revision } = issueKey(db, actor, input.label, input.role, token)
  return { key: { ...key, token }, revision }
}

/** Every key, oldest first; keys issued within the same millisecond keep their insertion order. */
export const listKeys = (db: Db): KeyView[] => allKeys(db)

/**
 * Revokes a key at once. Revoking a revoked key changes nothing and answers with the revision that revoked it;
 * the last live admin key cannot be revoked, since no one could then issue keys again.
 */
export function revokeKey (db: Db, live: LiveKeys, actor: Actor, id: string): { key: KeyView, revision: number } {
  return transact(db, () => {
    const row = findKey(db, id)
    if (row === undefined) throw notFound('keys', id)
    const before = keyView(row)
    if (row.revokedAt !== null) return { key: before, revision: lastRevisionOf(db, 'keys', id) }
    if (row.role === 'admin' && liveAdminCount(db) === 1) {
      throw new ProblemError('WHODECIDES_ERR_CONFLICT', `key "${id}" is the last live admin key; issue another admin key before revoking it`)
    }
    const at = now()
    markRevoked(db, id, at)
    live.forget()
    const key = { ...before, revokedAt: at }
    return { key, revision: recordChange(db, actor, at, { entity: 'keys', entityId: id, action: 'revoke', before, after: key }) }
  })
}

const LIVE_KEYS_CACHED = 10_000

/** Live keys by token hash, so a request costs one hash and no query; a revocation empties it at once (forget). */
export class LiveKeys {
  private readonly cache = new Map<string, AuthenticatedKey>()

  constructor (private readonly db: Db) {}

  /** The live key for a bearer token, or undefined; the hash is compared in constant time. */
  authenticate (token: string): AuthenticatedKey | undefined {
    const tokenHash = hashToken(token)
    const cached = this.cache.get(tokenHash)
    if (cached !== undefined) return cached
    const row = liveKeyByHash(this.db, tokenHash)
    if (row === undefined) return undefined
    if (!timingSafeEqual(Buffer.from(row.tokenHash, 'hex'), Buffer.from(tokenHash, 'hex'))) return undefined
    const key = { id: row.id, label: row.label, role: row.role }
    if (this.cache.size >= LIVE_KEYS_CACHED) this.cache.clear()
    this.cache.set(tokenHash, key)
    return key
  }

  forget (): void {
    this.cache.clear()
  }
}

/**
 * Why a file found at admin.key cannot be the service's own private file, or undefined when it can: a regular file
 * (not a link, which could point anywhere), owned by the service's user, readable and writable by that user only.
 */
function notPrivate (file: string): string | undefined {
  const stat = lstatSync(file, { throwIfNoEntry: false })
  if (stat === undefined) return undefined
  if (stat.isSymbolicLink()) return `${file} is a symbolic link: admin.key must be a file of its own; remove the link`
  if (!stat.isFile()) return `${file} is not a regular file: remove it`
  const uid = process.getuid?.()
  if (uid !== undefined && stat.uid !== uid) {
    return `${file} is owned by user ${stat.uid}, not by the service's user ${uid}: remove it, or run the service as that user`
  }
  const mode = stat.mode & 0o777
  if (mode !== 0o600) {
    return `${file} has mode ${mode.toString(8).padStart(4, '0')}, not 0600: others may have read the key in it; ` +
      'chmod 600 it (and revoke that key if it is live), or remove it'
  }
  return undefined
}

const heldByAnother = (file: string): string =>
  `${file} exists, but the database holds no keys: it holds another database's key; ` +
  'move it away or remove it to have a new one written, or set WHODECIDES_BOOTSTRAP_KEY'

/**
 * Writes the secret to a file that did not exist (never through a link, never into someone else's file), readable
 * and writable by its owner only whatever the umask. Returns the way to remove it again.
 */
function writeSecret (file: string, content: string): () => void {
  let fd: number
  try {
    fd = openSync(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, 0o600)
  } catch (err) {
    // Made between the check and here: the same answer as if it had been there at the check.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new ConfigError(notPrivate(file) ?? heldByAnother(file))
    throw err
  }
  const remove = (): void => { rmSync(file, { force: true }) }
  try {
    fchmodSync(fd, 0o600)
    writeSync(fd, content)
    fsyncSync(fd)
  } catch (err) {
    remove()
    throw err
  } finally {
    closeSync(fd)
  }
  return remove
}

export const SYSTEM_ACTOR: Actor = { keyId: null, label: 'system' }

/**
 * On a database with no keys: the bootstrap token becomes an admin key, or a new admin key is written to a new
 * admin.key beside the database file (mode 0600). Returns that file's path when one was written.
 *
 * A file already at admin.key must be the service's own private file (notPrivate), or the start stops with a
 * ConfigError saying why. Beside a database with no keys it is never overwritten: it holds the key of another
 * database (one moved or restored elsewhere), which its owner may still need.
 */
export function ensureAdminKey (db: Db, dbPath: string, bootstrapKey: string | undefined): string | undefined {
  const file = dbPath === ':memory:' ? undefined : resolve(join(dirname(dbPath), 'admin.key'))
  const problem = file === undefined ? undefined : notPrivate(file)
  if (problem !== undefined) throw new ConfigError(problem)
  if (anyKey(db)) return undefined
  if (bootstrapKey !== undefined) {
    issueKey(db, SYSTEM_ACTOR, 'bootstrap admin', 'admin', bootstrapKey)
    return undefined
  }
  if (file === undefined) return undefined
  if (existsSync(file)) throw new ConfigError(heldByAnother(file))
  // The file first: should the write fail, no key exists that nobody can read. Should the key not be stored, the
  // file goes too: the next start then finds neither, and tries again.
  const token = newToken()
  const remove = writeSecret(file, token + '\n')
  try {
    issueKey(db, SYSTEM_ACTOR, 'first admin', 'admin', token)
  } catch (err) {
    remove()
    throw err
  }
  return file
}
