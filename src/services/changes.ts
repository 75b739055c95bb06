// Reads the change log: entries after a revision, filtered by collection and record, paged in revision order.
import { statement, type Db } from '../store/connection.js'
import type { Change, ChangesQuery } from '../schemas/changes.js'
import { DEFAULT_PAGE_SIZE, revisionAfter, toRevisionPage, type Page } from '../store/records.js'

interface Row {
  revision: number
  at: string
  actorKeyId: string | null
  actorLabel: string
  action: Change['action']
  entity: Change['entity']
  entityId: string
  before: string | null
  after: string | null
}

const parse = (json: string | null): Record<string, unknown> | null => json === null ? null : JSON.parse(json) as Record<string, unknown>

const changeView = (r: Row): Change => ({
  revision: r.revision,
  at: r.at,
  actor: { keyId: r.actorKeyId, label: r.actorLabel },
  action: r.action,
  entity: r.entity,
  entityId: r.entityId,
  before: parse(r.before),
  after: parse(r.after)
})

/**
 * One statement per combination of filters, each prepared once: a filter left out of the SQL (rather than
 * `? IS NULL OR …`) lets SQLite use the (entity, entity_id, revision) index.
 */
function changesStatement (db: Db, byEntity: boolean, byEntityId: boolean) {
  return statement(db, `SELECT revision, at, actor_key_id AS actorKeyId, actor_label AS actorLabel, action, entity,
      entity_id AS entityId, before, after
    FROM changes WHERE revision > @after${byEntity ? ' AND entity = @entity' : ''}${byEntityId ? ' AND entity_id = @entityId' : ''}
    ORDER BY revision LIMIT @limit`)
}

export function listChanges (db: Db, q: ChangesQuery): Page<Change> {
  const limit = q.limit ?? DEFAULT_PAGE_SIZE
  const after = Math.max(q.since ?? 0, revisionAfter(q.cursor) ?? 0)
  const params = { after, limit: limit + 1, ...(q.entity === undefined ? {} : { entity: q.entity }), ...(q.entityId === undefined ? {} : { entityId: q.entityId }) }
  const rows = changesStatement(db, q.entity !== undefined, q.entityId !== undefined).all(params) as Row[]
  return toRevisionPage(rows.map(changeView), limit)
}
