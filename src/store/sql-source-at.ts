// What the decider index answers at a time, read from SQL: the lookups' source while the index cannot answer (inside a
// transaction, or while it reads a large commit in steps), giving the same answers it would.
import type { PersonStatus } from '../../db/schema.js'
import { statement, type Db } from './connection.js'
import { statusFromTimeline } from '../registry/snapshot.js'
import { SqlSource } from './sql-source.js'
import type { DomainRecord, InitiativeRecord, PersonRecord, StatusPeriod } from '../registry/types.js'
import { loadHistory, recordAt, type Structural, type StructuralRecord } from './history.js'

const TIMELINE = 'SELECT status, valid_from AS validFrom FROM person_statuses WHERE person_id = ? ORDER BY valid_from'
// Served by changes_at_idx: the time of the latest recorded change, whatever it changed (a deletion too).
const LATEST_CHANGE = 'SELECT max(at) FROM changes'

/**
 * The records with the registry's shape as recorded at `at` — a person, a domain, an initiative as they stood then,
 * read from their history (history.ts) — as DeciderIndex.asOf(at) gives them; effective-dated rows are read as they
 * are and evaluated at the time asked. One per lookup: what it reads, it keeps.
 */
export class SqlSourceAt extends SqlSource {
  private readonly shaped = new Map<string, unknown>()
  /** Whether nothing was recorded after `at` (a lookup at now, as a rule): the shape then is the shape now. */
  private readonly current: boolean

  constructor (private readonly database: Db, private readonly at: string) {
    super(database)
    const latest = statement(database, LATEST_CHANGE).pluck().get() as string | null
    this.current = latest === null || at >= latest
  }

  private version<E extends Structural> (entity: E, id: string, current: StructuralRecord[E] | undefined): StructuralRecord[E] | undefined {
    if (this.current) return current
    const key = `${entity}/${id}`
    if (!this.shaped.has(key)) this.shaped.set(key, recordAt(current, loadHistory(this.database, entity, id), this.at))
    return this.shaped.get(key) as StructuralRecord[E] | undefined
  }

  override person (id: string): PersonRecord | undefined {
    return this.version('people', id, super.person(id))
  }

  override statusAt (personId: string, at: string): PersonStatus {
    const timeline = statement(this.database, TIMELINE).all(personId) as StatusPeriod[]
    return statusFromTimeline(timeline, this.person(personId)?.status, at)
  }

  override initiative (id: string): InitiativeRecord | undefined {
    return this.version('initiatives', id, super.initiative(id))
  }

  override domain (id: string): DomainRecord | undefined {
    return this.version('domains', id, super.domain(id))
  }
}
