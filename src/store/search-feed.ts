// Feeding the search indexes once at the end of a bulk write instead of row by row (db/migrations/0010, the
// search_pending table): the rows a bulk write creates are queued by the triggers while its marker is down, and
// indexed by feedPendingSearch inside the same transaction, before it commits. In step at every commit either way.
import { statement, type Db } from './connection.js'

const INDEXED: Record<'people' | 'domains' | 'initiatives', string[]> = {
  people: ['id', 'name', 'title', 'email'],
  domains: ['id', 'name'],
  initiatives: ['id', 'title']
}

/**
 * Inside a transaction about to write many records: from here to feedPendingSearch (at the end of the store's
 * transact), new records and versions wait in search_pending instead of entering the indexes one by one.
 */
export function deferSearchFeeding (db: Db): void {
  // Outside a transaction the marker would commit at once, and nothing would ever feed what it held back.
  if (!db.$client.inTransaction) throw new Error('deferSearchFeeding outside a transaction')
  statement(db, `INSERT INTO search_pending (entity, row) SELECT '', coalesce(max(revision), 0) FROM history
    WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE entity = '')`).run()
}

/**
 * Indexes what deferSearchFeeding held back — the queued rows as they are now (a queued row deleted since is not
 * there to index), every version written since the marker — and empties the queue. A no-op (one read) when nothing
 * was deferred. Call inside the transaction that deferred, before it commits.
 */
export function feedPendingSearch (db: Db): void {
  const marker = statement(db, 'SELECT row FROM search_pending WHERE entity = \'\'').get() as { row: number } | undefined
  if (marker === undefined) return
  for (const [entity, columns] of Object.entries(INDEXED)) {
    const list = columns.join(', ')
    statement(db, `INSERT INTO ${entity}_search (rowid, ${list}) SELECT t.rowid, ${columns.map((c) => `t.${c}`).join(', ')}
      FROM search_pending p CROSS JOIN ${entity} t ON t.rowid = p.row WHERE p.entity = '${entity}' ORDER BY p.row`).run()
    statement(db, `INSERT INTO ${entity}_versions_search (rowid, ${list})
      SELECT h.revision, ${columns.map((c) => `json_extract(c.after, '$.${c}')`).join(', ')}
      FROM history h CROSS JOIN changes c ON c.revision = h.revision WHERE h.revision > ? AND h.entity = '${entity}' ORDER BY h.revision`).run(marker.row)
  }
  statement(db, 'DELETE FROM search_pending').run()
}
