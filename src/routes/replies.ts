// How a write route answers: its write committed (Runtime.commit), then Location on create, ETag of the new
// version and X-Revision of the change; a write that may change a boundary also says which findings it raised or
// cleared (`effects`), with a Link rel="findings" to each initiative judged.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { WriteEffects } from '../schemas/effects.js'
import { judgeWrite, MAX_LISTED_EFFECTS, type Touches } from '../services/write-effects.js'
import { etagOf } from '../store/records.js'

/** Commits the request's write as the runtime decides (Runtime.commit); settles once it is durable. */
export async function commitWrite<T> (request: FastifyRequest, write: () => T): Promise<T> {
  return await request.server.runtime.commit({ idempotencyKey: request.headers['idempotency-key'] }, write)
}

/** A write's result with what it did to the boundaries: undefined when the runtime judges no write. */
export type WithEffects<T> = T & { effects?: WriteEffects | null }

/**
 * Commits the write as commitWrite does, judging the initiatives it touches before and after it in the same
 * transaction (services/write-effects.ts). Judging never fails the write: its error is logged and effects are null.
 */
export async function commitJudged<T extends object> (request: FastifyRequest, touches: Touches<T>, write: () => T): Promise<WithEffects<T>> {
  const { runtime } = request.server
  if (!runtime.writeEffects) return await commitWrite(request, write)
  const judged = await commitWrite(request, () => judgeWrite(runtime.db, touches, write))
  if (judged.failure !== undefined) request.log.error({ err: judged.failure }, 'the effects of a write could not be computed; the write stands')
  return { ...judged.value, effects: judged.effects }
}

/** Link rel="findings" to the live findings of each initiative judged (at most as many as effects are listed). */
function linkFindings (reply: FastifyReply, effects: WriteEffects | null | undefined): void {
  const links = (effects?.initiatives ?? []).slice(0, MAX_LISTED_EFFECTS).map((id) => `</v1/initiatives/${encodeURIComponent(id)}/findings>; rel="findings"`)
  if (links.length > 0) reply.header('link', links.join(', '))
}

type Answer<T> = T | (T & { effects: WriteEffects | null })

export function created<T extends { id: string, version: number }> (reply: FastifyReply, collection: string, result: WithEffects<{ record: T, revision: number }>): Answer<T> {
  reply.code(201).header('location', `/v1/${collection}/${result.record.id}`)
  return written(reply, result)
}

export function written<T extends { version: number }> (reply: FastifyReply, result: WithEffects<{ record: T, revision: number }>): Answer<T> {
  reply.header('etag', etagOf(result.record.version)).header('x-revision', String(result.revision))
  if (result.effects === undefined) return result.record
  linkFindings(reply, result.effects)
  return { ...result.record, effects: result.effects }
}

/** 204 has no body: a deletion's effects go only as its Link rel="findings" headers. */
export function deleted (reply: FastifyReply, result: WithEffects<{ revision: number }>): void {
  linkFindings(reply, result.effects)
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
