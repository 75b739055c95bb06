// "Who decides now?" answers kept in memory until the database is written or a row they read changes with time.
import { statement, type Db } from '../database.js'
import { resolveDecider } from './resolver.js'
import { SqlSource } from './sql-source.js'
import type { DeciderAnswer, Target } from './types.js'

interface Entry {
  answer: DeciderAnswer
  /** The answer holds for every instant before this one (null: for ever), unless the database is written. */
  horizon: string | null
}

/*
 * Validity has two halves. Time: the SQL source reports the earliest validFrom, validTo or status change after the
 * instant it was asked about among the rows it read, so the same question asked later but before then gets the
 * same answer. Writes: SQLite's total_changes() counts every row this connection has inserted, updated or deleted
 * (services, imports, and raw writes alike); any change empties the cache. It is read by a statement that touches
 * no table, so it costs a fraction of a microsecond. The registry has one writing connection: the server's.
 */
export class DeciderCache {
  private readonly entries = new Map<string, Entry>()
  private changes = -1

  // Room for every initiative of a large registry (100k): an answer takes a few hundred bytes.
  constructor (private readonly db: Db, readonly maxEntries = 100_000) {}

  /** The answer for the target at `now`, which must not go backwards between calls (src/clock.ts's now() does not). */
  resolve (target: Target, now: string): DeciderAnswer {
    const changes = statement(this.db, 'SELECT total_changes()').pluck().get() as number
    if (changes !== this.changes) {
      this.entries.clear()
      this.changes = changes
    }
    const key = target.kind === 'initiative' ? target.id : `/${target.id}`
    const hit = this.entries.get(key)
    if (hit !== undefined && (hit.horizon === null || now < hit.horizon)) return { ...hit.answer, at: now }
    const source = new SqlSource(this.db)
    const answer = resolveDecider(source, target, now)
    if (hit !== undefined) this.entries.delete(key)
    else if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string)
    this.entries.set(key, { answer: frozen(answer), horizon: source.horizon })
    return answer
  }

  get size (): number {
    return this.entries.size
  }
}

/** Every answer served from the cache shares its arrays: nothing may change them. */
function frozen (answer: DeciderAnswer): DeciderAnswer {
  for (const d of answer.deciders) Object.freeze(d.via)
  Object.freeze(answer.deciders)
  Object.freeze(answer.absent)
  return Object.freeze(answer)
}

const caches = new WeakMap<Db, DeciderCache>()

/** The cache of the connection, made on first use. */
export function deciderCache (db: Db): DeciderCache {
  let cache = caches.get(db)
  if (cache === undefined) caches.set(db, cache = new DeciderCache(db))
  return cache
}
