// The import benchmarks' baseline, and a measure of the machine's speed at the time: the rows inserted bare into
// SQLite (a key and the row's JSON, one prepared statement, one transaction, WAL and synchronous = FULL as the
// registry runs), with no checks, no change log and no indexes but the key.
import { join } from 'node:path'
import Database from 'better-sqlite3'

/** Seconds to insert every row of every collection, in a database of its own under `dir`. */
export function bareInserts (collections: Record<string, ReadonlyArray<{ id: string }>>, dir: string): number {
  const db = new Database(join(dir, 'bare-inserts.db'))
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.exec('CREATE TABLE rows (collection TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (collection, id))')
    const insert = db.prepare('INSERT INTO rows VALUES (?, ?, ?)')
    const started = performance.now()
    const body = JSON.parse(JSON.stringify(collections)) as Record<string, Array<{ id: string }>>
    db.transaction(() => {
      for (const [collection, rows] of Object.entries(body)) for (const row of rows) insert.run(collection, row.id, JSON.stringify(row))
    })()
    return (performance.now() - started) / 1000
  } finally {
    db.close()
  }
}
