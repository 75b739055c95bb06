// The routes of an effective-dated record kind, made from its schemas and service: list, get, create, change, and
// end (200 with the ended record) or delete (204). Operation ids are the service's names; everyone reads.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type, { type Static, type TObject, type TSchema } from 'typebox'
import { actorOf } from '../plugins/auth.js'
import { access, AtOnlyQuery, type idParams, IfMatchHeaders, Page, problems, type Role } from '../schemas/common.js'
import type { Actor } from '../store/change-log.js'
import type { Db } from '../store/connection.js'
import type { Page as PageOf, Written } from '../store/records.js'
import { withEffects } from '../schemas/effects.js'
import type { Touches } from '../services/write-effects.js'
import { asRead, commitJudged, commitWrite, created, deleted, written } from './replies.js'

type IdParamsSchema = ReturnType<typeof idParams>
export interface KindSchemas { record: TSchema, create: TSchema, patch: TSchema, query: TSchema, params: IdParamsSchema }

type Removal<S extends KindSchemas> =
  | { end: (db: Db, actor: Actor, id: string, ifMatch?: string) => Written<Static<S['record']>> }
  | { delete: (db: Db, actor: Actor, id: string, ifMatch?: string) => { revision: number } }

export interface KindRoutes<S extends KindSchemas> {
  /** The path under /v1 and the tag. */
  collection: string
  /** Operation ids: list<plural>, and get/create/update/end/delete<singular>. */
  singular: string
  plural: string
  /** Who may write; everyone who may read the API reads. */
  write: readonly Role[]
  schemas: S
  summaries: { list: string, get: string, create: string, update: string, remove: string }
  /** A change may conflict with another record (409), as a create may. */
  updateConflicts?: boolean
  /**
   * What a write of the kind touches (services/write-effects.ts): given, its writes answer with their effects. Called
   * with the record's id (none on create) and the change asked for (none on removal).
   */
  touches?: (id: string | undefined, change: object | undefined) => Touches<any>
  service: {
    list: (db: Db, q: Static<S['query']>) => PageOf<Static<S['record']>>
    get: (db: Db, id: string, at?: string) => Static<S['record']>
    create: (db: Db, actor: Actor, input: Static<S['create']>) => Written<Static<S['record']>>
    update: (db: Db, actor: Actor, id: string, patch: Static<S['patch']>, ifMatch?: string) => Written<Static<S['record']>>
  } & Removal<S>
}

type Versioned = { id: string, version: number }

export function kindRoutes<S extends KindSchemas> (kind: KindRoutes<S>): FastifyPluginAsyncTypebox {
  const { collection, singular, schemas, summaries, service } = kind
  const tags = [collection]
  const write = { allow: kind.write }
  const { touches } = kind
  const answer = touches === undefined ? schemas.record : withEffects(schemas.record as TObject)
  const { params } = schemas
  /** The write committed, judged when the kind says what it touches. */
  const commit = async <T extends object>(request: Parameters<typeof commitWrite>[0], id: string | undefined, change: object | undefined, fn: () => T) =>
    touches === undefined ? await commitWrite(request, fn) : await commitJudged(request, touches(id, change), fn)
  return async (app) => {
    app.get(`/${collection}`, {
      config: { allow: access.read },
      schema: {
        operationId: `list${kind.plural}`, tags, summary: summaries.list,
        querystring: schemas.query, response: { 200: Page(schemas.record), ...problems() }
      }
    }, async (request) => service.list(app.runtime.db, request.query as Static<S['query']>))

    app.get(`/${collection}/:id`, {
      config: { allow: access.read },
      schema: { operationId: `get${singular}`, tags, summary: summaries.get, params, querystring: AtOnlyQuery, response: { 200: schemas.record, ...problems(404) } }
    }, async (request, reply) => asRead(reply, service.get(app.runtime.db, request.params.id, request.query.at) as Versioned, request.query.at))

    app.post(`/${collection}`, {
      config: write,
      schema: {
        operationId: `create${singular}`, tags, summary: summaries.create,
        body: schemas.create, response: { 201: answer, ...problems(409, 413, 415, 422) }
      }
    }, async (request, reply) => created(reply, collection, await commit(request, undefined, request.body as object,
      () => service.create(app.runtime.db, actorOf(request.key), request.body as Static<S['create']>) as Written<Versioned>)))

    app.patch(`/${collection}/:id`, {
      config: write,
      schema: {
        operationId: `update${singular}`, tags, summary: summaries.update, params, headers: IfMatchHeaders, body: schemas.patch,
        response: { 200: answer, ...problems(404, ...(kind.updateConflicts === true ? [409] : []), 412, 413, 415, 422) }
      }
    }, async (request, reply) => written(reply, await commit(request, request.params.id, request.body as object,
      () => service.update(app.runtime.db, actorOf(request.key), request.params.id, request.body as Static<S['patch']>, request.headers['if-match']) as Written<Versioned>)))

    const ends = 'end' in service
    app.delete(`/${collection}/:id`, {
      config: write,
      schema: {
        operationId: `${ends ? 'end' : 'delete'}${singular}`, tags, summary: summaries.remove, params, headers: IfMatchHeaders,
        response: { ...(ends ? { 200: answer } : { 204: Type.Null({ description: 'Deleted' }) }), ...problems(404, 412, 413, 415) }
      }
    }, async (request, reply) => {
      const args = [app.runtime.db, actorOf(request.key), request.params.id, request.headers['if-match']] as const
      return 'end' in service
        ? written(reply, await commit(request, request.params.id, undefined, () => service.end(...args) as Written<Versioned>))
        : deleted(reply, await commit(request, request.params.id, undefined, () => service.delete(...args)))
    })
  }
}
