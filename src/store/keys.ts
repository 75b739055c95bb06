// API keys in SQL: the row as the API shows it (never its token hash), the live key for a token hash, revocation.
import { asc, eq, sql } from 'drizzle-orm'
import { apiKeys } from '../../db/schema.js'
import type { Role } from '../schemas/common.js'
import { statement, type Db } from './connection.js'

export type KeyRow = typeof apiKeys.$inferSelect
export interface KeyView { id: string, label: string, role: Role, createdAt: string, revokedAt: string | null }
export interface AuthenticatedKey { id: string, label: string, role: Role }

export const keyView = ({ id, label, role, createdAt, revokedAt }: KeyRow): KeyView => ({ id, label, role, createdAt, revokedAt })

export function insertKey (db: Db, row: KeyRow): void {
  db.insert(apiKeys).values(row).run()
}

/** Every key, oldest first; keys issued within the same millisecond keep their insertion order (rowid). */
export const allKeys = (db: Db): KeyView[] => db.select().from(apiKeys).orderBy(asc(apiKeys.createdAt), sql`rowid`).all().map(keyView)

export const findKey = (db: Db, id: string): KeyRow | undefined => db.select().from(apiKeys).where(eq(apiKeys.id, id)).get()

/** True once any key, live or revoked, has been issued. */
export const anyKey = (db: Db): boolean => db.select({ id: apiKeys.id }).from(apiKeys).limit(1).get() !== undefined

export function markRevoked (db: Db, id: string, at: string): void {
  db.update(apiKeys).set({ revokedAt: at }).where(eq(apiKeys.id, id)).run()
}

export const liveAdminCount = (db: Db): number =>
  (statement(db, "SELECT count(*) AS n FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL").get() as { n: number }).n

/** The live key stored under this token hash, with the hash as stored (for a constant-time comparison). */
export const liveKeyByHash = (db: Db, tokenHash: string): (AuthenticatedKey & { tokenHash: string }) | undefined =>
  statement(db, 'SELECT id, label, role, token_hash AS tokenHash FROM api_keys WHERE token_hash = ? AND revoked_at IS NULL')
    .get(tokenHash) as (AuthenticatedKey & { tokenHash: string }) | undefined
