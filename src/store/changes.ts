// Reads the change log: entries in revision order as the API shows them, and the last revision that wrote a record.
import type { Entity } from '../../db/schema.js'
import type { Change } from '../schemas/changes.js'
import { statement, type Db } from './connection.js'

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

export interface ChangesFilter { after: number, limit: number, entity?: string | undefined, entityId?: string | undefined }

/** Up to `limit` entries after revision `after`, of one collection and one record where given, oldest first. */
export function changesAfter (db: Db, { after, limit, entity, entityId }: ChangesFilter): Change[] {
  const params = { after, limit, ...(entity === undefined ? {} : { entity }), ...(entityId === undefined ? {} : { entityId }) }
  return (changesStatement(db, entity !== undefined, entityId !== undefined).all(params) as Row[]).map(changeView)
}

/** The last revision that wrote the record, or 0 when none did. */
export const lastRevisionOf = (db: Db, entity: Entity, id: string): number =>
  (statement(db, 'SELECT max(revision) AS revision FROM changes WHERE entity = ? AND entity_id = ?').get(entity, id) as { revision: number | null }).revision ?? 0
