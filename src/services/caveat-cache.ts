// The rule findings of one target's slice, kept between lookups for as long as they cannot change.
import type { EngineFinding } from '../audit/engine.js'
import { Interner } from '../registry/interner.js'
import { changedKeys } from '../registry/slice-keys.js'
import { liveWaiversUntil, type AppliedWaiver } from '../audit/live-waivers.js'
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
  /**
   * The change-log revision of the oldest part of the slice, when part of it was read from memory that may be behind
   * the log (the decider index following another connection's commit); undefined: all of it as the database is now.
   */
  readAt?: number
}

/** Beyond this many targets the cache starts again empty: every initiative and domain of a large registry fits. */
const MAX_TARGETS = 500_000
/** Past this many change-log entries since the last look, the cache starts again empty rather than read them all. */
const MAX_FOLLOWED = 2000

const NO_FINDINGS: readonly EngineFinding[] = Object.freeze([])

interface Entry extends Judged {
  asked: string | undefined
  /** The change log's revision the slice was read at. */
  revision: number
}

/** The waivers live at a time, read once and reused until the next write anywhere or the first of them expires. */
interface KeptWaivers { generation: string, from: string, until: string | undefined, byFingerprint: Map<string, AppliedWaiver> }

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
 * The change log is followed only when something was written since the last look: total_changes on this
 * connection; for the others, the revision the decider index holds when one is given (`heldRevision`: a commit made
 * elsewhere reaches the caveats when it reaches the index, as it reaches the deciders they are about — the runtime
 * has the index follow within COMMITS_ELSEWHERE_POLL_MS), else data_version (4 µs a look, against 0.15 for
 * total_changes). Then only the entries after the revision followed are read, and each key they name is marked with
 * that revision: an entry read at an earlier revision that holds a marked key is stale.
 */
export class CaveatCache {
  #generation = ''
  /** The change log's revision the marks are current with. */
  #revision = -1
  readonly #entries = new Map<string, Entry[]>()
  /** Slice key → the last revision followed whose entries named it, since the cache last started empty. */
  readonly #namedAt = new Map<string, number>()
  /** The greatest revision in #namedAt: an entry read at or after it is current whatever it reads. */
  #lastNamed = -1
  /** The revision the cache last started empty at: an entry read before it is stale, what it holds unknown. */
  #floor = -1
  /** Moves whenever the change log moved or the cache started again (see `moves`). */
  #moves = 0
  /** The earliest end of span among the judgements for now that `fill` has passed since `beginPass`. */
  #passUntil: string | undefined
  #waivers: KeptWaivers | undefined
  /**
   * One string per slice key or time and one object per distinct finding, shared by every entry that holds them: the same
   * people head every reporting line, and a finding about a domain recurs in every slice under it.
   */
  #keys = new Interner()
  readonly #findings = new Map<string, EngineFinding[]>()

  constructor (private readonly db: Db, private readonly heldRevision?: () => number) {}

  /**
   * The judgement for the target at `at` (`asked`: the time asked for, undefined for now), from the cache or judged
   * afresh. For a time asked, the judgement for now serves too when `at` lies in its span and `unchangedSince` says
   * every record its slice holds stood at `at` as it stands now: the slice then is the same rows, judged at a time
   * on the same side of every date in it.
   */
  judged (key: string, at: string, asked: string | undefined, judge: () => Judged, unchangedSince?: (reads: readonly string[]) => boolean): Judged {
    if (inOpenTransaction(this.db)) return judge()
    this.#follow()
    const kept = this.#kept(key, at, asked)
    if (kept !== undefined) return kept
    if (asked !== undefined && unchangedSince !== undefined) {
      const now = this.#kept(key, at, undefined)
      if (now !== undefined && unchangedSince(now.reads)) return now
    }
    return this.#judge(key, asked, judge)
  }

  /** Whether a judgement of the target for "now" at `at` is kept (what `judged` would reuse), after following the change log. */
  holds (key: string, at: string): boolean {
    this.#follow()
    return this.#kept(key, at, undefined) !== undefined
  }

  /**
   * Judges, for "now" at `at`, the targets `keys` gives that have no current judgement, until `deadline`
   * (performance.now()); false when `keys` ran out. Nothing inside an open transaction (true: try again later).
   */
  fill (keys: Iterator<string>, at: string, judge: (key: string) => Judged, deadline: number): boolean {
    if (inOpenTransaction(this.db)) return true
    this.#follow()
    do {
      const next = keys.next()
      if (next.done === true) return false
      const entry = this.#kept(next.value, at, undefined) ?? this.#judge(next.value, undefined, () => judge(next.value))
      if (entry.until !== undefined && (this.#passUntil === undefined || entry.until < this.#passUntil)) this.#passUntil = entry.until
    } while (performance.now() < deadline)
    return true
  }

  /**
   * A number that stays as it is while nothing the cache holds can have gone stale by a write: compared before and
   * after, it tells a caller filling the cache whether a write came in between.
   */
  moves (): number {
    if (!inOpenTransaction(this.db)) this.#follow()
    return this.#moves
  }

  /** Starts a pass of `fill` over targets: `passUntil` then gives the earliest time one of their judgements ends. */
  beginPass (): void { this.#passUntil = undefined }

  /** The earliest end of span among the judgements for now that `fill` passed since `beginPass`; undefined: none ends. */
  get passUntil (): string | undefined { return this.#passUntil }

  /** The waivers live at `at` by fingerprint (audit/live-waivers.ts), read again only after a write or an expiry. */
  liveWaivers (at: string): Map<string, AppliedWaiver> {
    if (inOpenTransaction(this.db)) return liveWaiversUntil(this.db, at).byFingerprint
    this.#follow()
    const kept = this.#waivers
    if (kept !== undefined && kept.generation === this.#generation && kept.from <= at && (kept.until === undefined || at < kept.until)) {
      return kept.byFingerprint
    }
    const read = liveWaiversUntil(this.db, at)
    this.#waivers = { generation: this.#generation, from: at, until: read.firstExpiry, byFingerprint: read.byFingerprint }
    return read.byFingerprint
  }

  #kept (key: string, at: string, asked: string | undefined): Entry | undefined {
    return this.#entries.get(key)?.find((e) => (asked === undefined
      ? e.asked === undefined && e.from <= at && (e.until === undefined || at < e.until)
      : e.asked === asked) && this.#current(e))
  }

  /** Whether no change followed since the entry was read names a key of its slice. */
  #current (entry: Entry): boolean {
    if (entry.revision < this.#floor) return false
    if (entry.revision >= this.#lastNamed) return true
    for (const read of entry.reads) if ((this.#namedAt.get(read) ?? -1) > entry.revision) return false
    return true
  }

  #judge (key: string, asked: string | undefined, judge: () => Judged): Entry {
    const judged = judge()
    // Read partly behind the log: stale wherever the changes it has not seen name a key of it, or from before a start again.
    const fresh: Entry = {
      findings: judged.findings.length === 0 ? NO_FINDINGS : judged.findings.map((f) => this.#shared(f)),
      from: this.#keys.get(judged.from, 0, judged.from.length),
      until: judged.until === undefined ? undefined : this.#keys.get(judged.until, 0, judged.until.length),
      reads: judged.reads.map((key) => this.#keys.get(key, 0, key.length)),
      asked,
      revision: Math.min(this.#revision, judged.readAt ?? this.#revision)
    }
    if (this.#entries.size >= MAX_TARGETS) this.#clear()
    // One entry for "now" and one for the last time asked, per target.
    const entries = this.#entries.get(key)
    this.#entries.set(key, [fresh, ...(entries ?? []).filter((e) => (e.asked === undefined) !== (asked === undefined))])
    return fresh
  }

  /** The held finding equal to this one: the fingerprint names its rule, subject and related records; the rest is compared. */
  #shared (finding: EngineFinding): EngineFinding {
    const held = this.#findings.get(finding.fingerprint)
    const same = held?.find((f) => f.message === finding.message && f.remediation === finding.remediation && f.severity === finding.severity)
    if (same !== undefined) return same
    if (held === undefined) this.#findings.set(finding.fingerprint, [finding])
    else held.push(finding)
    return finding
  }

  /** Marks the keys the change log names since the revision followed with the revision it is followed to. */
  #follow (): void {
    const generation = `${writesOnConnection(this.db)}/${this.heldRevision === undefined ? `e${commitsElsewhere(this.db)}` : this.heldRevision()}`
    if (generation === this.#generation) return
    this.#generation = generation
    const revision = lastRevision(this.db)
    if (revision === this.#revision) return
    const changes = this.#entries.size === 0 || revision < this.#revision
      ? undefined
      : changeEntries(this.db, this.#revision, revision, MAX_FOLLOWED)
    this.#revision = revision
    this.#moves++
    if (changes === undefined) return this.#clear()
    for (const change of changes) {
      for (const read of changedKeys(change)) {
        if (read === '*') return this.#clear()
        this.#namedAt.set(read, revision)
        this.#lastNamed = revision
      }
    }
  }

  #clear (): void {
    this.#floor = this.#revision
    this.#moves++
    this.#entries.clear()
    this.#keys = new Interner()
    this.#findings.clear()
    this.#namedAt.clear()
    this.#lastNamed = -1
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
