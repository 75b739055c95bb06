// Stores an audit run where it ran — in the audit process, on its own connection; for an in-memory database, on the
// request thread. Contract: one run at a time per database, compared with the previous done run of its scope (new,
// persisting, resolved) and with the waivers live when it started; written in short paced transactions that do not
// sync, then one sync of the log before it is answered. Invariant: no reader sees a run until its last transaction
// marks it done, together with its change-log entry; one cut off half way is removed by the next store.
// Why, and the measurements behind the pace: docs/audit-process.md.
import {
  copyResolved, findingIds, findingPage, insertFindings, insertRun, lastDoneRun, markDone, removeFindings, removeRun, syncLog, transactUnsynced,
  unfinishedRuns, type RunRow
} from '../store/audit-runs.js'
import { recordChange, type Actor, type Written } from '../store/change-log.js'
import { now } from '../clock.js'
import type { Db } from '../store/connection.js'
import type { AuditRun } from '../schemas/audits.js'
import type { AuditScope } from './engine.js'
import { isFingerprint } from './fingerprint.js'
import { rowSlices, type FindingRow } from './finding-row.js'
import { liveWaivers, type AppliedWaiver } from './live-waivers.js'

/** A stored run as the API shows it. */
export const runView = (r: RunRow): AuditRun => ({
  id: r.id,
  scope: r.scope as AuditRun['scope'],
  at: r.at,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt ?? r.startedAt,
  counts: r.counts,
  new: r.newCount,
  persisting: r.persistingCount,
  resolved: r.resolvedCount,
  waived: r.waivedCount
})

/**
 * How storing a run shares the database and the thread it runs on: it writes in transactions of at most `rows`
 * steps (a slice of findings, a resolved finding copied, or a row removed) and about `ms` milliseconds, and between
 * them pauses `pauseMs` — or, without it, lets the requests waiting on the thread have their turn before the next.
 */
export interface StorePace { rows: number, ms: number, pauseMs?: number }
/** On the request thread (an in-memory database, which no other process can reach): ~1 ms at a time between requests. */
export const STORE_PACE: StorePace = { rows: 1000, ms: 1 }
/**
 * In the audit process: ~2 ms transactions with the write lock free for 1 ms after each, so that the server's group
 * commit, which asks again 1 ms after it found the lock taken, finds it free.
 */
export const AUDIT_PROCESS_PACE: StorePace = { rows: 1000, ms: 2, pauseMs: 1 }

const pause = async (pace: StorePace): Promise<void> => {
  await new Promise((resolve) => pace.pauseMs === undefined ? setImmediate(resolve) : setTimeout(resolve, pace.pauseMs))
}

/** The runs this process is storing, whatever the connection: never taken for ones left unfinished. */
const inProgress = new Set<string>()

/*
 * Every transaction of a store commits without waiting for the disk (transactUnsynced), its last one too: syncLog then
 * makes them all durable with one sync of the write-ahead log, on the thread pool, before the run is answered — where
 * a synchronous commit would hold up the thread storing the run for each sync. A crash before that sync leaves the
 * run unfinished, or loses it: it was not answered yet.
 */

/**
 * Runs `step` (a bounded piece of work, which says whether there is more) in transactions of at most `pace.rows`
 * steps and about `pace.ms`, pausing between them (see StorePace).
 */
async function paced (db: Db, pace: StorePace, step: () => boolean): Promise<void> {
  for (let more = true; more;) {
    transactUnsynced(db, () => {
      const until = performance.now() + pace.ms
      for (let n = 0; n < pace.rows && (more = step()); n++) {
        if (performance.now() > until) break
      }
    })
    if (more) await pause(pace)
  }
}

/**
 * Runs left by a store that never finished (the process stopped, or the database failed, half way): never shown,
 * removed a step at a time before the next run is stored.
 */
async function removeUnfinished (db: Db, pace: StorePace): Promise<void> {
  for (const runId of unfinishedRuns(db).filter((id) => !inProgress.has(id))) {
    while (transactUnsynced(db, () => removeFindings(db, runId, pace.rows)) > 0) await pause(pace)
    transactUnsynced(db, () => { removeRun(db, runId) })
  }
}

/** Rows read per query while the previous run's findings are read back: each read a fraction of a millisecond. */
const HELD_PAGE = 100
/** Scopes whose last run's fingerprints are kept (the whole registry's, and a few narrower ones). */
const REMEMBERED_SCOPES = 8

/**
 * What `held` is: per fingerprint that still held in a run, its first row id (the ids ascend in the order the run
 * stored them). A plain Map: the store runs in the audit process, and the typed-array table it once was saved the
 * request thread nothing here (bench/fingerprint-table.ts, docs/audit-process.md).
 */
type Held = Map<string, number>

function addIfAbsent (held: Held, fingerprint: string, id: number): void {
  if (!held.has(fingerprint)) held.set(fingerprint, id)
}

/** The ids of the fingerprints held before that do not hold now, ascending: the order the run stored them. */
function idsMissingFrom (before: Held, now: Held): number[] {
  const missing: number[] = []
  for (const [fingerprint, id] of before) if (!now.has(fingerprint)) missing.push(id)
  return missing.sort((a, b) => a - b)
}

/** Per scope, the last run stored on a connection, with its held fingerprints: the next run then reads none. */
type LastStored = Map<string, { runId: string, held: Held }>

function remember (scopes: LastStored, scopeKey: string, runId: string, held: Held): void {
  scopes.delete(scopeKey)
  scopes.set(scopeKey, { runId, held })
  for (const oldest of scopes.keys()) {
    if (scopes.size <= REMEMBERED_SCOPES) break
    scopes.delete(oldest)
  }
}

/**
 * The previous done run of the scope, held: as remembered when this process stored it, else read back from the
 * findings, about `pace.ms` at a time (its findings are written together, so they are contiguous in id).
 */
async function heldBefore (db: Db, lastStored: LastStored, scopeKey: string, pace: StorePace): Promise<Held> {
  const held: Held = new Map()
  const previous = lastDoneRun(db, scopeKey)
  if (previous === undefined) return held
  const known = lastStored.get(scopeKey)
  if (known?.runId === previous) return known.held
  const range = findingIds(db, previous)
  if (range.first === null || range.last === null) return held
  for (let after = range.first - 1; ;) {
    const until = performance.now() + pace.ms
    do {
      const rows = findingPage(db, previous, after, range.last, HELD_PAGE)
      // A row that is not a fingerprint (a file edited by hand) can match no finding: passed over.
      for (const r of rows) if (r.state !== 'resolved' && isFingerprint(r.fingerprint)) addIfAbsent(held, r.fingerprint, r.id)
      if (rows.length < HELD_PAGE) return held
      after = rows[rows.length - 1]!.id
    } while (performance.now() < until)
    await pause(pace)
  }
}

export interface RunStart { id: string, scopeKey: string, scope: AuditScope, at: string, startedAt: string }

/** Where one connection's audit runs are stored: one at a time, so that each run compares with the one before it. */
export class RunStore {
  #storing: Promise<unknown> = Promise.resolve()
  readonly #lastStored: LastStored = new Map()

  constructor (private readonly db: Db) {}

  /**
   * Stores the run, a step at a time (see StorePace), compared with the previous done run of its scope and with the
   * waivers live when it started. Until its last step marks it done — in the same transaction as its change-log
   * entry — the run is `running`, and no reader sees it; one interrupted half way stays so until the next store
   * removes it.
   */
  async store (actor: Actor, start: RunStart, rows: readonly FindingRow[], pace: StorePace): Promise<Written<AuditRun>> {
    const work = async (): Promise<Written<AuditRun>> => await store(this.db, this.#lastStored, actor, start, rows, pace)
    const done = this.#storing.then(work, work)
    this.#storing = done.catch(() => undefined)
    return await done
  }
}

async function store (db: Db, lastStored: LastStored, actor: Actor, start: RunStart, rows: readonly FindingRow[], pace: StorePace): Promise<Written<AuditRun>> {
  await removeUnfinished(db, pace)
  const held = await heldBefore(db, lastStored, start.scopeKey, pace)
  const waivers = liveWaivers(db, start.startedAt)
  const run: RunRow = {
    ...start, finishedAt: null, status: 'running', error: null, counts: { error: 0, warning: 0, info: 0 }, newCount: 0, persistingCount: 0, resolvedCount: 0, waivedCount: 0
  }
  inProgress.add(run.id)
  try {
    transactUnsynced(db, () => { insertRun(db, run) })
    return await storeFindings(db, lastStored, actor, run, held, waivers, rows, pace)
  } finally {
    inProgress.delete(run.id)
  }
}

/** The findings of the run, its resolved ones, and the last step: the run's totals, `done`, and its change-log entry. */
async function storeFindings (db: Db, lastStored: LastStored, actor: Actor, run: RunRow, held: Held, waivers: ReadonlyMap<string, AppliedWaiver>,
  found: readonly FindingRow[], pace: StorePace): Promise<Written<AuditRun>> {
  const counts = { error: 0, warning: 0, info: 0 }
  const totals = { counts, newCount: 0, persistingCount: 0, resolvedCount: 0, waivedCount: 0 }

  // Every fingerprint of this run, with its first row: what the next run compares with, and what tells the resolved.
  const nowHeld: Held = new Map()
  const slices = rowSlices(found)
  await paced(db, pace, () => {
    const next = slices.next()
    if (next.done === true) return false
    const { rows, keys } = next.value
    let states = ''
    let waived: ([string, string] | null)[] | null = null
    keys.forEach(({ fingerprint, severity }, i) => {
      const persisting = held.has(fingerprint)
      states += persisting ? 'p' : 'n'
      if (persisting) totals.persistingCount++
      else totals.newCount++
      const waiver = waivers.get(fingerprint)
      if (waiver === undefined) counts[severity]++
      else {
        totals.waivedCount++
        waived ??= keys.map(() => null)
        waived[i] = [waiver.waiverId, waiver.reason]
      }
    })
    const { count, lastId } = insertFindings(db, { runId: run.id, rows, states, waived: waived === null ? null : JSON.stringify(waived) })
    if (count !== keys.length) throw new Error(`a slice of ${keys.length} findings inserted ${count} rows`)
    const first = lastId - count + 1
    keys.forEach(({ fingerprint }, i) => { addIfAbsent(nowHeld, fingerprint, first + i) })
    return true
  })

  // Findings of the previous run that no longer hold: copied over as they were, marked resolved.
  const resolved = idsMissingFrom(held, nowHeld)
  totals.resolvedCount = resolved.length
  let copied = 0
  await paced(db, pace, () => {
    if (copied === resolved.length) return false
    copyResolved(db, run.id, resolved[copied++]!)
    return true
  })

  const written = transactUnsynced(db, () => {
    const done: RunRow = { ...run, ...totals, finishedAt: now(), status: 'done' }
    if (!markDone(db, done)) throw new Error(`audit run ${run.id} was removed while it was stored`)
    const record = runView(done)
    return { record, revision: recordChange(db, actor, done.finishedAt!, { entity: 'audits', entityId: run.id, action: 'run', before: null, after: record }) }
  })
  await syncLog(db)
  remember(lastStored, run.scopeKey, run.id, nowHeld)
  return written
}

