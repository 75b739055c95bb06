// How a write route answers: its write run in the next group commit, then Location on create, ETag of the new
// version and X-Revision of the change.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../database.js'
import { queueWrite } from '../services/group-commit.js'
import { etagOf } from '../services/records.js'

/**
 * Runs a write in the next group commit (src/services/group-commit.ts): its answer waits for the commit. A request
 * with an Idempotency-Key runs its write at once, in a transaction of its own, as its key is claimed just before
 * and completed just after in the same turn — so a concurrent retry finds the answer stored, not a claim in progress.
 */
export async function commitWrite<T> (request: FastifyRequest, db: Db, write: () => T): Promise<T> {
  return request.headers['idempotency-key'] === undefined ? await queueWrite(db, write) : write()
}

export function created<T extends { id: string, version: number }> (reply: FastifyReply, collection: string, result: { record: T, revision: number }): T {
  reply.code(201).header('location', `/v1/${collection}/${result.record.id}`)
  return written(reply, result)
}

export function written<T extends { version: number }> (reply: FastifyReply, result: { record: T, revision: number }): T {
  reply.header('etag', etagOf(result.record.version)).header('x-revision', String(result.revision))
  return result.record
}

export function deleted (reply: FastifyReply, result: { revision: number }): void {
  reply.code(204).header('x-revision', String(result.revision))
}

export function withEtag<T extends { version: number }> (reply: FastifyReply, record: T): T {
  reply.header('etag', etagOf(record.version))
  return record
}

/**
 * A read of one record: the current version with its ETag; a version read `at` a time gets none, so that it cannot
 * be sent back as If-Match — a change always starts from the current version.
 */
export function asRead<T extends { version: number }> (reply: FastifyReply, record: T, at: string | undefined): T {
  return at === undefined ? withEtag(reply, record) : record
}
