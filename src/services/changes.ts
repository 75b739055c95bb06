// Reads the change log: entries after a revision, filtered by collection and record, paged in revision order.
import type { Db } from '../store/connection.js'
import type { Change, ChangesQuery } from '../schemas/changes.js'
import { changesAfter } from '../store/changes.js'
import { DEFAULT_PAGE_SIZE, revisionAfter, toRevisionPage, type Page } from '../store/records.js'

export function listChanges (db: Db, q: ChangesQuery): Page<Change> {
  const limit = q.limit ?? DEFAULT_PAGE_SIZE
  const after = Math.max(q.since ?? 0, revisionAfter(q.cursor) ?? 0)
  return toRevisionPage(changesAfter(db, { after, limit: limit + 1, entity: q.entity, entityId: q.entityId }), limit)
}
