// The rule findings of one target's slice, kept between lookups for as long as they cannot change.
import type { EngineFinding } from '../audit/engine.js'
import { commitsElsewhere, inOpenTransaction, writesOnConnection } from '../store/change-feed.js'
import type { Db } from '../store/connection.js'
import type { RegistryData } from '../registry/types.js'

/** The findings of a slice judged at one time, and the span of times over which the slice gives the same ones. */
export interface Judged {
  findings: readonly EngineFinding[]
  /** The latest time of any record of the slice at or before the time judged ('' if none). */
  from: string
  /** The earliest time of any record of the slice after the time judged; undefined: none. */
  until: string | undefined
}

/** Beyond this many targets the cache starts again empty: it holds the hot ones back again within a few lookups. */
const MAX_TARGETS = 100_000

interface Entry extends Judged { asked: string | undefined }

/**
 * Contract: `judged` answers what `judge` would answer now. Invariant: an entry is reused only while nothing was
 * written to the database — by this connection (total_changes) or by any other (data_version) — since it was made,
 * and only for a time at which its slice's records give the same findings: for a lookup "now", any time in
 * [from, until), the span between the slice's own dates (a status change, an assignment or delegation starting or
 * ending, a due date, an observation, a decision), since the rules depend on the time only through those dates and
 * the registry's shape "now" stays the current one; for a time asked, that same time only (the shape then may be
 * an older version of a record). Inside an open transaction nothing is kept: what it wrote may yet roll back.
 */
export class CaveatCache {
  #generation = ''
  readonly #entries = new Map<string, Entry[]>()

  constructor (private readonly db: Db) {}

  /** The judgement for the target at `at` (`asked`: the time asked for, undefined for now), from the cache or judged afresh. */
  judged (key: string, at: string, asked: string | undefined, judge: () => Judged): Judged {
    if (inOpenTransaction(this.db)) return judge()
    const generation = `${writesOnConnection(this.db)}/${commitsElsewhere(this.db)}`
    if (generation !== this.#generation) {
      this.#entries.clear()
      this.#generation = generation
    }
    const entries = this.#entries.get(key)
    const hit = entries?.find((e) => asked === undefined
      ? e.asked === undefined && e.from <= at && (e.until === undefined || at < e.until)
      : e.asked === asked)
    if (hit !== undefined) return hit
    const fresh: Entry = { ...judge(), asked }
    if (this.#entries.size >= MAX_TARGETS) this.#entries.clear()
    // One entry for "now" and one for the last time asked, per target.
    this.#entries.set(key, [fresh, ...(entries ?? []).filter((e) => (e.asked === undefined) !== (asked === undefined))])
    return fresh
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
