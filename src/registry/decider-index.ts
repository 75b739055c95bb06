// What "who decides?" reads, held in memory and kept in step with the database through the change log.
import type { Entity, PersonStatus } from '../../db/schema.js'
import { statement, type Db } from '../store/connection.js'
import { condensed } from './condensed-history.js'
import { holdsAt, statusFromTimeline } from './snapshot.js'
import { SqlSource } from '../store/sql-source.js'
import { SqlSourceAt } from '../store/sql-source-at.js'
import { loadHistories, loadHistory, versionAt, type History } from '../store/versions.js'
import type {
  AssignmentRecord, DelegationRecord, DomainRecord, InitiativeRecord, PersonRecord, RaciRoleName, RegistrySource, StatusPeriod, Target
} from './types.js'

/*
 * A lookup served from SQLite reads a dozen rows scattered over a large file (~35 µs warm, far more cold); served
 * from here it reads a few maps. The index holds every person (with their status timeline), domain and initiative,
 * with the past versions of those that changed (see versions.ts: the registry's shape at a past time), every
 * delegation, and the A assignments only — the resolver asks for nothing else, and the other roles are most of the
 * assignments (those are read from SQL when asked for). asOf(T) answers with the shape as it stood at T.
 *
 * Staying current: every write of the registry appends to the change log in its own transaction (the services'
 * insertRecord/replaceRecord and the import all go through recordChange). Before answering, once anything was
 * written on the connection since it last looked, the index compares the log's last revision with the one it has
 * applied, and reloads from the tables just the records the new entries name — or everything, after a large
 * change. A write that bypasses the change log is not seen: the change log is the registry's one account of what
 * changed. Nor is a write on another connection, unless its writer says so: the import process, whose commit
 * (followCommit) the index reads in steps between requests, about a millisecond each — a large import names hundreds
 * of thousands of records, a second or more of reading — and puts in place at once; meanwhile the index answers as
 * it was (or SQL, with SqlSourceAt, once this connection has written), and the import answers once it has caught up.
 */

/** Past this many changed records, reading all the tables once is cheaper than reading the records one by one. */
const REBUILD_AFTER = 20_000
/** Following a commit made elsewhere: change-log entries read per statement, and time spent per turn at most. */
const FOLLOW_CHUNK = 64
const FOLLOW_STEP_MS = 1

const PERSON = 'SELECT id, name, status, tags, stake_percent AS stakePercent, manager_id AS managerId FROM people'
const STATUS = 'SELECT person_id AS personId, status, valid_from AS validFrom FROM person_statuses'
const DOMAIN = 'SELECT id, name, parent_id AS parentId FROM domains'
const INITIATIVE = `SELECT id, title, domain_id AS domainId, status, decision_rule AS decisionRule, decision_due_at AS decisionDueAt
  FROM initiatives`
const ASSIGNMENT = `SELECT id, person_id AS personId, role, initiative_id AS initiativeId, domain_id AS domainId,
  valid_from AS validFrom, valid_to AS validTo FROM assignments`
const DELEGATION = `SELECT id, from_person_id AS fromPersonId, to_person_id AS toPersonId, initiative_id AS initiativeId,
  domain_id AS domainId, all_scopes AS allScopes, valid_from AS validFrom, valid_to AS validTo FROM delegations`
const LAST_REVISION = 'SELECT coalesce(max(revision), 0) FROM changes'
// Passed over: the entries of assignments that are not an A before the change nor after it (most of a large import):
// the index holds none of them. An entry that does not say its role is read.
const CHANGED_SINCE = `SELECT DISTINCT entity, entity_id AS id FROM changes WHERE revision > ? AND revision <= ?
  AND NOT (entity = 'assignments' AND coalesce(json_extract(after, '$.role'), '') IN ('R', 'C', 'I')
    AND (before IS NULL OR coalesce(json_extract(before, '$.role'), '') IN ('R', 'C', 'I')))`

type PersonRow = Omit<PersonRecord, 'tags'> & { tags: string }
type StatusRow = StatusPeriod & { personId: string }
type DelegationRow = Omit<DelegationRecord, 'allScopes'> & { allScopes: number }

const toPerson = (row: PersonRow): PersonRecord => ({ ...row, tags: JSON.parse(row.tags) as string[] })
const toDelegation = (row: DelegationRow): DelegationRecord => ({ ...row, allScopes: row.allScopes === 1 })
const NONE: readonly never[] = Object.freeze([])

/** Adds the row to the list kept in id order under the key, replacing a row with its id. */
function put<T extends { id: string }> (lists: Map<string, T[]>, key: string, row: T): void {
  const list = lists.get(key)
  if (list === undefined) {
    lists.set(key, [row])
    return
  }
  let i = 0
  while (i < list.length && list[i]!.id < row.id) i++
  list.splice(i, list[i]?.id === row.id ? 1 : 0, row)
}

function take<T extends { id: string }> (lists: Map<string, T[]>, key: string, id: string): void {
  const list = lists.get(key)
  if (list === undefined) return
  const i = list.findIndex((row) => row.id === id)
  if (i >= 0) list.splice(i, 1)
  if (list.length === 0) lists.delete(key)
}

function keep<T> (histories: Map<string, History<T>>, id: string, history: History<T> | undefined): void {
  if (history === undefined) histories.delete(id)
  else histories.set(id, history)
}

function set<T> (records: Map<string, T>, id: string, record: T | undefined): void {
  if (record === undefined) records.delete(id)
  else records.set(id, record)
}

/** One record as the index holds it, read from its table (undefined: gone), not yet put in place. */
type Fresh =
  | { entity: 'people', id: string, record: PersonRecord | undefined, history: History<PersonRecord> | undefined, timeline: StatusPeriod[] }
  | { entity: 'domains', id: string, record: DomainRecord | undefined, history: History<DomainRecord> | undefined }
  | { entity: 'initiatives', id: string, record: InitiativeRecord | undefined, history: History<InitiativeRecord> | undefined }
  | { entity: 'assignments', id: string, record: AssignmentRecord | undefined }
  | { entity: 'delegations', id: string, record: DelegationRecord | undefined }

const targetKey = (row: { initiativeId: string | null, domainId: string | null }): string =>
  row.initiativeId !== null ? row.initiativeId : `/${row.domainId!}`

export class DeciderIndex implements RegistrySource {
  private readonly people = new Map<string, PersonRecord>()
  private readonly timelines = new Map<string, StatusPeriod[]>()
  private readonly domains = new Map<string, DomainRecord>()
  private readonly initiatives = new Map<string, InitiativeRecord>()
  private readonly pastPeople = new Map<string, History<PersonRecord>>()
  private readonly pastDomains = new Map<string, History<DomainRecord>>()
  private readonly pastInitiatives = new Map<string, History<InitiativeRecord>>()
  /** A assignments by target: an initiative's id, or "/" and a domain's id. */
  private readonly deciders = new Map<string, AssignmentRecord[]>()
  private readonly assignments = new Map<string, AssignmentRecord>()
  private readonly delegationsByFrom = new Map<string, DelegationRecord[]>()
  private readonly delegations = new Map<string, DelegationRecord>()
  /** The last change-log revision applied; -1 before the first load. */
  private revision = -1
  /** The connection's total_changes() when the change log was last looked at. */
  private writesSeen = -1
  /** The last source asOf gave, with its time. */
  private lastAsOf: { at: string, source: RegistrySource } | undefined
  /**
   * While the index reads a commit made elsewhere, step by step: the records read so far, up to which revision, the
   * connection's total_changes() when it began, and who waits for which revision.
   */
  private following: {
    read: Fresh[], upTo: number, writes: number, waiting: Array<{ revision: number, resolve: () => void, reject: (error: Error) => void }>
  } | undefined

  constructor (private readonly db: Db) {}

  /** The index, current with the change log; undefined inside a transaction (read SQL then). */
  current (): DeciderIndex | undefined {
    return this.refresh() ? this : undefined
  }

  /**
   * The source for lookups at `at`: the index as of `at`; when it cannot answer (inside a transaction; after this
   * connection wrote while the index follows a commit made elsewhere), SQL, with the registry's shape as recorded at
   * `at` too.
   */
  sourceAt (at: string): RegistrySource {
    return this.current()?.asOf(at) ?? new SqlSourceAt(this.db, at)
  }

  /**
   * Brings the index up to the change log; false inside an open transaction, whose changes may yet roll back — the
   * caller then reads SQL instead. While it follows a commit made elsewhere, the index answers as it was before that
   * commit (whose writer has not answered yet), until this connection writes: then SQL answers, which has the write.
   */
  refresh (): boolean {
    if (this.db.$client.inTransaction) return false
    if (this.following !== undefined) return statement(this.db, 'SELECT total_changes()').pluck().get() === this.following.writes
    // Nothing written on this connection, nothing to read: total_changes() costs a tenth of a microsecond, the
    // change log's last revision forty times that.
    const writes = statement(this.db, 'SELECT total_changes()').pluck().get() as number
    if (writes === this.writesSeen) return true
    this.writesSeen = writes
    const last = statement(this.db, LAST_REVISION).pluck().get() as number
    if (last === this.revision) return true
    const changed = this.revision < 0 || last < this.revision
      ? undefined
      : statement(this.db, CHANGED_SINCE).all(this.revision, last) as { entity: Entity, id: string }[]
    if (changed === undefined || changed.length > REBUILD_AFTER) this.rebuild()
    else for (const { entity, id } of changed) this.reload(entity, id)
    this.revision = last
    return true
  }

  /**
   * Settles once the index holds the change log up to `revision`, written on another connection (or on this one):
   * the records it names are read in steps of about FOLLOW_STEP_MS between requests, and put in place at once when
   * all are read, so that a lookup meanwhile sees the registry before the commit or after it, never half of it.
   */
  async follow (revision: number): Promise<void> {
    if (this.following === undefined && revision <= this.revision) return
    await new Promise<void>((resolve, reject) => {
      if (this.following === undefined) {
        // Not yet built: built now, whole, as on a first lookup.
        if (this.revision < 0) this.refresh()
        // What this connection wrote since the index last looked is not in it: SQL answers until it is.
        this.following = { read: [], upTo: this.revision, writes: this.writesSeen, waiting: [] }
        setImmediate(() => { this.step() })
      }
      this.following.waiting.push({ revision, resolve, reject })
    })
  }

  /** One step of following: the next change-log entries read, until all are or the step's time is up; then applied. */
  private step (): void {
    const following = this.following!
    const sqlite = this.db.$client
    if (!sqlite.open) {
      this.following = undefined
      for (const { reject } of following.waiting) reject(new Error('the database was closed while the decider index followed a commit'))
      return
    }
    // A transaction left open between turns (none should be) would hide what it has not committed yet.
    if (sqlite.inTransaction) {
      setImmediate(() => { this.step() })
      return
    }
    const last = statement(this.db, LAST_REVISION).pluck().get() as number
    const until = performance.now() + FOLLOW_STEP_MS
    while (following.upTo < last && performance.now() < until) {
      const to = Math.min(last, following.upTo + FOLLOW_CHUNK)
      for (const { entity, id } of statement(this.db, CHANGED_SINCE).all(following.upTo, to) as { entity: Entity, id: string }[]) {
        const fresh = this.read(entity, id)
        if (fresh !== undefined) following.read.push(fresh)
      }
      following.upTo = to
    }
    if (following.upTo < last) {
      setImmediate(() => { this.step() })
      return
    }
    // In the order read: a record read twice (changed again meanwhile) ends as read last.
    if (last < this.revision) this.rebuild()
    else for (const fresh of following.read) this.apply(fresh)
    this.revision = last
    // Whatever this connection wrote is in the log read up to `last`.
    this.writesSeen = statement(this.db, 'SELECT total_changes()').pluck().get() as number
    this.following = undefined
    for (const { revision, resolve, reject } of following.waiting) {
      if (revision <= last) resolve()
      else reject(new Error(`the change log ends at revision ${last}, before ${revision}`))
    }
  }

  /** Every record read afresh, in one read transaction so that they are one state of the registry. */
  private rebuild (): void {
    for (const map of [this.people, this.timelines, this.domains, this.initiatives, this.pastPeople, this.pastDomains, this.pastInitiatives,
      this.deciders, this.assignments, this.delegationsByFrom, this.delegations]) map.clear()
    const sqlite = this.db.$client
    sqlite.transaction(() => {
      for (const [id, history] of loadHistories(this.db, 'people')) this.pastPeople.set(id, history)
      for (const [id, history] of loadHistories(this.db, 'domains')) this.pastDomains.set(id, history)
      for (const [id, history] of loadHistories(this.db, 'initiatives')) this.pastInitiatives.set(id, history)
      for (const row of sqlite.prepare(PERSON).iterate() as IterableIterator<PersonRow>) this.people.set(row.id, toPerson(row))
      for (const row of sqlite.prepare(`${STATUS} ORDER BY person_id, valid_from`).iterate() as IterableIterator<StatusRow>) {
        const timeline = this.timelines.get(row.personId)
        if (timeline === undefined) this.timelines.set(row.personId, [{ status: row.status, validFrom: row.validFrom }])
        else timeline.push({ status: row.status, validFrom: row.validFrom })
      }
      for (const row of sqlite.prepare(DOMAIN).iterate() as IterableIterator<DomainRecord>) this.domains.set(row.id, row)
      for (const row of sqlite.prepare(INITIATIVE).iterate() as IterableIterator<InitiativeRecord>) this.initiatives.set(row.id, row)
      for (const [id, history] of this.pastPeople) keep(this.pastPeople, id, condensed(history, this.people.get(id)))
      for (const [id, history] of this.pastDomains) keep(this.pastDomains, id, condensed(history, this.domains.get(id)))
      for (const [id, history] of this.pastInitiatives) keep(this.pastInitiatives, id, condensed(history, this.initiatives.get(id)))
      for (const row of sqlite.prepare(`${ASSIGNMENT} WHERE role = 'A' ORDER BY id`).iterate() as IterableIterator<AssignmentRecord>) this.addAssignment(row)
      for (const row of sqlite.prepare(`${DELEGATION} ORDER BY id`).iterate() as IterableIterator<DelegationRow>) this.addDelegation(toDelegation(row))
    }).deferred()
  }

  /** One record as it is now in its table, or gone. */
  private reload (entity: Entity, id: string): void {
    const fresh = this.read(entity, id)
    if (fresh !== undefined) this.apply(fresh)
  }

  /** What the index holds of one record, read as it is now (undefined: an entity that plays no part in who decides). */
  private read (entity: Entity, id: string): Fresh | undefined {
    switch (entity) {
      case 'people': {
        const row = statement(this.db, `${PERSON} WHERE id = ?`).get(id) as PersonRow | undefined
        const record = row === undefined ? undefined : toPerson(row)
        const timeline = statement(this.db, `${STATUS} WHERE person_id = ? ORDER BY valid_from`).all(id) as StatusRow[]
        return {
          entity, id, record, history: condensed(loadHistory(this.db, 'people', id), record),
          timeline: timeline.map(({ status, validFrom }) => ({ status, validFrom }))
        }
      }
      case 'domains': {
        const record = statement(this.db, `${DOMAIN} WHERE id = ?`).get(id) as DomainRecord | undefined
        return { entity, id, record, history: condensed(loadHistory(this.db, 'domains', id), record) }
      }
      case 'initiatives': {
        const record = statement(this.db, `${INITIATIVE} WHERE id = ?`).get(id) as InitiativeRecord | undefined
        return { entity, id, record, history: condensed(loadHistory(this.db, 'initiatives', id), record) }
      }
      case 'assignments':
        return { entity, id, record: statement(this.db, `${ASSIGNMENT} WHERE id = ?`).get(id) as AssignmentRecord | undefined }
      case 'delegations': {
        const row = statement(this.db, `${DELEGATION} WHERE id = ?`).get(id) as DelegationRow | undefined
        return { entity, id, record: row === undefined ? undefined : toDelegation(row) }
      }
      default:
        // Influences, decisions, keys, audits and the rest play no part in who decides.
        return undefined
    }
  }

  /** Puts a record as read in place of what the index held of it. */
  private apply (fresh: Fresh): void {
    const { id } = fresh
    switch (fresh.entity) {
      case 'people':
        set(this.people, id, fresh.record)
        keep(this.pastPeople, id, fresh.history)
        set(this.timelines, id, fresh.timeline.length === 0 ? undefined : fresh.timeline)
        return
      case 'domains':
        set(this.domains, id, fresh.record)
        keep(this.pastDomains, id, fresh.history)
        return
      case 'initiatives':
        set(this.initiatives, id, fresh.record)
        keep(this.pastInitiatives, id, fresh.history)
        return
      case 'assignments': {
        const old = this.assignments.get(id)
        if (old !== undefined) {
          this.assignments.delete(id)
          take(this.deciders, targetKey(old), id)
        }
        if (fresh.record?.role === 'A') this.addAssignment(fresh.record)
        return
      }
      case 'delegations': {
        const old = this.delegations.get(id)
        if (old !== undefined) {
          this.delegations.delete(id)
          take(this.delegationsByFrom, old.fromPersonId, id)
        }
        if (fresh.record !== undefined) this.addDelegation(fresh.record)
      }
    }
  }

  private addAssignment (row: AssignmentRecord): void {
    this.assignments.set(row.id, row)
    put(this.deciders, targetKey(row), row)
  }

  private addDelegation (row: DelegationRecord): void {
    this.delegations.set(row.id, row)
    put(this.delegationsByFrom, row.fromPersonId, row)
  }

  person (id: string): PersonRecord | undefined {
    return this.people.get(id)
  }

  statusAt (personId: string, at: string): PersonStatus {
    return statusFromTimeline(this.timelines.get(personId), this.people.get(personId)?.status, at)
  }

  initiative (id: string): InitiativeRecord | undefined {
    return this.initiatives.get(id)
  }

  domain (id: string): DomainRecord | undefined {
    return this.domains.get(id)
  }

  holders (target: Target, role: RaciRoleName, at: string): readonly AssignmentRecord[] {
    if (role !== 'A') return new SqlSource(this.db).holders(target, role, at)
    const held = this.deciders.get(target.kind === 'initiative' ? target.id : `/${target.id}`)
    if (held === undefined) return NONE
    // Most lists hold at any time asked: answered as they are, without a copy.
    return held.every((a) => holdsAt(a, at)) ? held : held.filter((a) => holdsAt(a, at))
  }

  delegationsFrom (personId: string, at: string): readonly DelegationRecord[] {
    return (this.delegationsByFrom.get(personId) ?? NONE).filter((d) => holdsAt(d, at))
  }

  /** The registry with its shape as recorded at `at`; effective-dated rows are evaluated at the time asked. */
  asOf (at: string): RegistrySource {
    // Lookups of the same millisecond share one: it reads the live maps, so it stays right after a refresh.
    if (this.lastAsOf?.at !== at) this.lastAsOf = { at, source: this.shapeAt(at) }
    return this.lastAsOf.source
  }

  private shapeAt (at: string): RegistrySource {
    const person = (id: string): PersonRecord | undefined => versionAt(this.people.get(id), this.pastPeople.get(id), at)
    return {
      person,
      statusAt: (personId, time) => statusFromTimeline(this.timelines.get(personId), person(personId)?.status, time),
      initiative: (id) => versionAt(this.initiatives.get(id), this.pastInitiatives.get(id), at),
      domain: (id) => versionAt(this.domains.get(id), this.pastDomains.get(id), at),
      holders: (target, role, time) => this.holders(target, role, time),
      delegationsFrom: (personId, time) => this.delegationsFrom(personId, time)
    }
  }

  /** The initiatives and domains whose recorded version at `at` is not the current one. */
  changedSince (at: string): { initiatives: string[], domains: string[] } {
    const since = (histories: Map<string, History<unknown>>): string[] => [...histories].filter(([, h]) => h.currentFrom > at).map(([id]) => id)
    return { initiatives: since(this.pastInitiatives), domains: since(this.pastDomains) }
  }
}
