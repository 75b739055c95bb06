// The rule findings of one target's slice, kept between lookups for as long as they cannot change.
import type { EngineFinding } from '../audit/engine.js'
import { changedKeys } from '../registry/slice-keys.js'
import { changeEntries, commitsElsewhere, inOpenTransaction, lastRevision, writesOnConnection } from '../store/change-feed.js'
import type { Db } from '../store/connection.js'
import type { RegistryData } from '../registry/types.js'

/** The findings of a slice judged at one time, and the span of times over which the slice gives the same ones. */
export interface Judged {
  findings: readonly EngineFinding[]
  /** The latest time of any record of the slice at or before the time judged ('' if none). */
  from: string
  /** The earliest time of any record of the slice after the time judged; undefined: none. */
  until: string | undefined
  /** The slice's keys (registry/slice-keys.ts): a change that names one of them may change the findings. */
  reads: readonly string[]
}

/** Beyond this many targets the cache starts again empty: it holds the hot ones back again within a few lookups. */
const MAX_TARGETS = 100_000
/** Past this many change-log entries since the last look, the cache starts again empty rather than read them all. */
const MAX_FOLLOWED = 2000

interface Entry extends Judged { asked: string | undefined }

/**
 * Contract: `judged` answers what `judge` would answer now. Invariants: an entry is reused only while no change-log
 * entry written since it was made — on this connection or any other — names a key of its slice (slice-keys.ts; a
 * change of a rule's settings names every slice), and only for a time at which its slice's records give the same
 * findings: for a lookup "now", any time in [from, until), the span between the slice's own dates (a status change,
 * an assignment or delegation starting or ending, a due date, an observation, a decision), since the rules depend on
 * the time only through those dates and the registry's shape "now" stays the current one; for a time asked, that
 * same time only (the shape then may be an older version of a record). Inside an open transaction nothing is kept:
 * what it wrote may yet roll back.
 *
 * The change log is followed only when something was written since the last look (total_changes on this
 * connection, data_version for the others: a fraction of a microsecond each); then only the entries after the
 * revision followed are read, and only the targets whose slices they name are dropped.
 */
export class CaveatCache {
  #generation = ''
  /** The change log's revision the entries are current with. */
  #revision = -1
  readonly #entries = new Map<string, Entry[]>()
  /** Slice key → the targets whose entries read it ('*' is never a key here: it empties the cache). */
  readonly #readers = new Map<string, Set<string>>()

  constructor (private readonly db: Db) {}

  /** The judgement for the target at `at` (`asked`: the time asked for, undefined for now), from the cache or judged afresh. */
  judged (key: string, at: string, asked: string | undefined, judge: () => Judged): Judged {
    if (inOpenTransaction(this.db)) return judge()
    this.#follow()
    const entries = this.#entries.get(key)
    const hit = entries?.find((e) => asked === undefined
      ? e.asked === undefined && e.from <= at && (e.until === undefined || at < e.until)
      : e.asked === asked)
    if (hit !== undefined) return hit
    const fresh: Entry = { ...judge(), asked }
    if (this.#entries.size >= MAX_TARGETS) this.#clear()
    // One entry for "now" and one for the last time asked, per target.
    this.#entries.set(key, [fresh, ...(entries ?? []).filter((e) => (e.asked === undefined) !== (asked === undefined))])
    for (const read of fresh.reads) {
      const readers = this.#readers.get(read)
      if (readers === undefined) this.#readers.set(read, new Set([key]))
      else readers.add(key)
    }
    return fresh
  }

  /** Whether a judgement of the target for "now" at `at` is kept (what `judged` would reuse), after following the change log. */
  holds (key: string, at: string): boolean {
    this.#follow()
    return this.#entries.get(key)?.some((e) => e.asked === undefined && e.from <= at && (e.until === undefined || at < e.until)) ?? false
  }

  /** Drops the entries whose slices the change log names since the revision followed. */
  #follow (): void {
    const generation = `${writesOnConnection(this.db)}/${commitsElsewhere(this.db)}`
    if (generation === this.#generation) return
    this.#generation = generation
    const revision = lastRevision(this.db)
    if (revision === this.#revision) return
    const changes = this.#entries.size === 0 || revision < this.#revision
      ? undefined
      : changeEntries(this.db, this.#revision, revision, MAX_FOLLOWED)
    this.#revision = revision
    if (changes === undefined) return this.#clear()
    for (const change of changes) {
      for (const read of changedKeys(change)) {
        if (read === '*') return this.#clear()
        const readers = this.#readers.get(read)
        if (readers === undefined) continue
        for (const target of readers) this.#entries.delete(target)
        this.#readers.delete(read)
      }
    }
  }

  #clear (): void {
    this.#entries.clear()
    this.#readers.clear()
  }
}

/** The span of times around `at` over which the records' own dates are all on the same side of it. */
export function spanOf (data: RegistryData, at: string): { from: string, until: string | undefined } {
  let from = ''
  let until: string | undefined
  const see = (time: string | null): void => {
    if (time === null) return
    if (time <= at) { if (time > from) from = time } else if (until === undefined || time < until) until = time
  }
  for (const s of data.statuses) see(s.validFrom)
  for (const r of [...data.assignments, ...data.delegations]) { see(r.validFrom); see(r.validTo) }
  for (const i of data.influences) see(i.observedAt)
  for (const d of data.decisions) see(d.decidedAt)
  for (const i of data.initiatives) see(i.decisionDueAt)
  return { from, until }
}
