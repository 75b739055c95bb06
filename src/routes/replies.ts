// How a write route answers: its write committed (Runtime.commit), then Location on create, ETag of the new
// version and X-Revision of the change.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { etagOf } from '../store/records.js'

/** Commits the request's write as the runtime decides (Runtime.commit); settles once it is durable. */
export async function commitWrite<T> (request: FastifyRequest, write: () => T): Promise<T> {
  return await request.server.runtime.commit({ idempotencyKey: request.headers['idempotency-key'] }, write)
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
