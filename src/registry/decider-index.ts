// What "who decides?" reads, held in memory and kept in step with the database through the change log.
import type { Entity, PersonStatus } from '../../db/schema.js'
import { deciderChanges, inOpenTransaction, isOpen, lastRevision, readTransaction, REREAD_AFTER, writesOnConnection } from '../store/change-feed.js'
import type { Db } from '../store/connection.js'
import { eachRecord, readRecord } from '../store/registry-rows.js'
import { condensed } from './condensed-history.js'
import { holdsAt, statusFromTimeline } from './snapshot.js'
import { SqlSource } from '../store/sql-source.js'
import { SqlSourceAt } from '../store/sql-source-at.js'
import { loadHistories, loadHistory, recordAt, type History } from '../store/history.js'
import type {
  AssignmentRecord, DelegationRecord, DomainRecord, InitiativeRecord, PersonRecord, RaciRoleName, RegistrySource, StatusPeriod, Target
} from './types.js'

/*
 * Contract: the index answers "who decides?" from memory as SQL (SqlSource, SqlSourceAt) would. It holds every person
 * (with their status timeline), domain and initiative, with the past versions of those that changed (asOf(T): the
 * registry's shape as recorded at T), every delegation, and the A assignments only — other roles are read from SQL.
 * Invariant: it follows the change log (store/change-feed.ts), the registry's one account of what changed. Before
 * answering, once this connection wrote, it reads again the records the new entries name, or everything after a
 * large change; inside an open transaction it does not answer (SQL does). A commit made on another connection (the
 * import process) is seen when its writer calls follow(): read in steps between requests and put in place at once,
 * the index answering as before it meanwhile (or SQL, once this connection has written). Why: docs/decider-index.md.
 */

/** Following a commit made elsewhere: change-log entries read per statement, and time spent per turn at most. */
const FOLLOW_CHUNK = 64
const FOLLOW_STEP_MS = 1

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
  /** Every delegation to a person, of any period and scope, in id order (a slice's people side reads both ends). */
  private readonly delegationsByTo = new Map<string, DelegationRecord[]>()
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

  /**
   * The change-log revision the index holds the registry at: behind the log's last one while it follows a commit
   * made on another connection (follow()), which it answers without until it has read it all.
   */
  get heldRevision (): number { return this.revision }

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
    if (inOpenTransaction(this.db)) return false
    if (this.following !== undefined) return writesOnConnection(this.db) === this.following.writes
    // Nothing written on this connection, nothing to read (and asking costs far less than the log's last revision).
    const writes = writesOnConnection(this.db)
    if (writes === this.writesSeen) return true
    this.writesSeen = writes
    const last = lastRevision(this.db)
    if (last === this.revision) return true
    const changed = this.revision < 0 || last < this.revision
      ? undefined
      : deciderChanges(this.db, this.revision, last)
    if (changed === undefined || changed.length > REREAD_AFTER) this.rebuild()
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
    if (!isOpen(this.db)) {
      this.following = undefined
      for (const { reject } of following.waiting) reject(new Error('the database was closed while the decider index followed a commit'))
      return
    }
    // A transaction left open between turns (none should be) would hide what it has not committed yet.
    if (inOpenTransaction(this.db)) {
      setImmediate(() => { this.step() })
      return
    }
    const last = lastRevision(this.db)
    const until = performance.now() + FOLLOW_STEP_MS
    while (following.upTo < last && performance.now() < until) {
      const to = Math.min(last, following.upTo + FOLLOW_CHUNK)
      for (const { entity, id } of deciderChanges(this.db, following.upTo, to)) {
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
    this.writesSeen = writesOnConnection(this.db)
    this.following = undefined
    for (const { revision, resolve, reject } of following.waiting) {
      if (revision <= last) resolve()
      else reject(new Error(`the change log ends at revision ${last}, before ${revision}`))
    }
  }

  /** Every record read afresh, in one read transaction so that they are one state of the registry. */
  private rebuild (): void {
    for (const map of [this.people, this.timelines, this.domains, this.initiatives, this.pastPeople, this.pastDomains, this.pastInitiatives,
      this.deciders, this.assignments, this.delegationsByFrom, this.delegationsByTo, this.delegations]) map.clear()
    readTransaction(this.db, () => {
      for (const [id, history] of loadHistories(this.db, 'people')) this.pastPeople.set(id, history)
      for (const [id, history] of loadHistories(this.db, 'domains')) this.pastDomains.set(id, history)
      for (const [id, history] of loadHistories(this.db, 'initiatives')) this.pastInitiatives.set(id, history)
      for (const person of eachRecord.person(this.db)) this.people.set(person.id, person)
      for (const row of eachRecord.status(this.db)) {
        const timeline = this.timelines.get(row.personId)
        if (timeline === undefined) this.timelines.set(row.personId, [{ status: row.status, validFrom: row.validFrom }])
        else timeline.push({ status: row.status, validFrom: row.validFrom })
      }
      for (const domain of eachRecord.domain(this.db)) this.domains.set(domain.id, domain)
      for (const initiative of eachRecord.initiative(this.db)) this.initiatives.set(initiative.id, initiative)
      for (const [id, history] of this.pastPeople) keep(this.pastPeople, id, condensed(history, this.people.get(id)))
      for (const [id, history] of this.pastDomains) keep(this.pastDomains, id, condensed(history, this.domains.get(id)))
      for (const [id, history] of this.pastInitiatives) keep(this.pastInitiatives, id, condensed(history, this.initiatives.get(id)))
      for (const assignment of eachRecord.decidingAssignment(this.db)) this.addAssignment(assignment)
      for (const delegation of eachRecord.delegation(this.db)) this.addDelegation(delegation)
    })
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
        const record = readRecord.person(this.db, id)
        return { entity, id, record, history: condensed(loadHistory(this.db, 'people', id), record), timeline: readRecord.timeline(this.db, id) }
      }
      case 'domains': {
        const record = readRecord.domain(this.db, id)
        return { entity, id, record, history: condensed(loadHistory(this.db, 'domains', id), record) }
      }
      case 'initiatives': {
        const record = readRecord.initiative(this.db, id)
        return { entity, id, record, history: condensed(loadHistory(this.db, 'initiatives', id), record) }
      }
      case 'assignments':
        return { entity, id, record: readRecord.assignment(this.db, id) }
      case 'delegations':
        return { entity, id, record: readRecord.delegation(this.db, id) }
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
          take(this.delegationsByTo, old.toPersonId, id)
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
    put(this.delegationsByTo, row.toPersonId, row)
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

  // The records as they are now, whatever their period: what a slice's people side reads (memory-focus-rows.ts). Each
  // list is the index's own, read-only and in id order; read it at once — the next refresh may change it.

  /** The person's status timeline as stored now, oldest first (empty: none recorded). */
  timelineOf (personId: string): readonly StatusPeriod[] {
    return this.timelines.get(personId) ?? NONE
  }

  /** Every delegation from the person, of any period and scope, in id order. */
  everyDelegationFrom (personId: string): readonly DelegationRecord[] {
    return this.delegationsByFrom.get(personId) ?? NONE
  }

  /** Every delegation to the person, of any period and scope, in id order. */
  everyDelegationTo (personId: string): readonly DelegationRecord[] {
    return this.delegationsByTo.get(personId) ?? NONE
  }

  /** The registry with its shape as recorded at `at`; effective-dated rows are evaluated at the time asked. */
  asOf (at: string): RegistrySource {
    // Lookups of the same millisecond share one: it reads the live maps, so it stays right after a refresh.
    if (this.lastAsOf?.at !== at) this.lastAsOf = { at, source: this.shapeAt(at) }
    return this.lastAsOf.source
  }

  private shapeAt (at: string): RegistrySource {
    const person = (id: string): PersonRecord | undefined => recordAt(this.people.get(id), this.pastPeople.get(id), at)
    return {
      person,
      statusAt: (personId, time) => statusFromTimeline(this.timelines.get(personId), person(personId)?.status, time),
      initiative: (id) => recordAt(this.initiatives.get(id), this.pastInitiatives.get(id), at),
      domain: (id) => recordAt(this.domains.get(id), this.pastDomains.get(id), at),
      holders: (target, role, time) => this.holders(target, role, time),
      delegationsFrom: (personId, time) => this.delegationsFrom(personId, time)
    }
  }

  /** The initiatives and domains whose recorded version at `at` is not the current one. */
  changedSince (at: string): { initiatives: string[], domains: string[] } {
    const since = (histories: Map<string, History<unknown>>): string[] => [...histories].filter(([, h]) => h.currentFrom > at).map(([id]) => id)
    return { initiatives: since(this.pastInitiatives), domains: since(this.pastDomains) }
  }

  /** Every domain and initiative held now, as 'domain/<id>' and 'initiative/<id>' (the caveat cache's keys), domains first. */
  targetKeys (): string[] {
    const keys: string[] = []
    for (const id of this.domains.keys()) keys.push(`domain/${id}`)
    for (const id of this.initiatives.keys()) keys.push(`initiative/${id}`)
    return keys
  }
}
