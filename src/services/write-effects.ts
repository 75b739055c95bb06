// What a write does to the boundaries it touches: the live findings of the initiatives it affects, before and after.
import { runRules, type EngineFinding, type RuleConfig } from '../audit/engine.js'
import { now } from '../clock.js'
import { decidingScopes } from '../registry/authority.js'
import { loadFocusedData } from '../registry/focus.js'
import { createReadModel } from '../registry/read-model.js'
import { createSnapshot } from '../registry/snapshot.js'
import type { AssignmentRecord, DelegationRecord } from '../registry/types.js'
import type { Effect, WriteEffects } from '../schemas/effects.js'
import { affectedRows } from '../store/affected.js'
import { transact } from '../store/change-log.js'
import type { Db } from '../store/connection.js'
import { readRecord } from '../store/registry-rows.js'
import { ruleConfigs } from './rule-settings.js'

/** Initiatives judged for one write at most: past it, the first ones in id order, and the answer says `truncated`. */
export const MAX_JUDGED_INITIATIVES = 50
/** Changes listed in an answer at most; `more` counts the rest. */
export const MAX_LISTED_EFFECTS = 20

/**
 * A record a write touches, and what it reaches: an initiative itself; a domain, the live initiatives in it and
 * under it; a person, the initiatives they may decide (their A, directly or through a domain, and what is delegated
 * to them).
 */
export type Touched = { kind: 'initiative' | 'domain' | 'person', id: string }

/**
 * What a write touches: called before the write (`written` undefined), with the records as they stand and the change
 * asked for, and after it, with what it wrote (a created record's id is known only then).
 */
export type Touches<T> = (db: Db, written?: T) => readonly Touched[]

/** The initiatives the touched records reach at `at`, in id order, at most MAX_JUDGED_INITIATIVES (truncated: more). */
function reach (db: Db, touched: readonly Touched[], at: string): { ids: string[], truncated: boolean } {
  const initiatives = new Set<string>()
  const domains = new Set<string>()
  for (const t of touched) {
    if (t.kind === 'initiative') initiatives.add(t.id)
    else if (t.kind === 'domain') domains.add(t.id)
    else {
      const scopes = decidingScopes(db, t.id, at)
      for (const id of scopes.initiatives) initiatives.add(id)
      for (const id of scopes.domains) domains.add(id)
    }
  }
  const all = [...new Set([...initiatives, ...affectedRows.liveInitiativesUnder(db, [...domains], MAX_JUDGED_INITIATIVES + 1)])].sort()
  return { ids: all.slice(0, MAX_JUDGED_INITIATIVES), truncated: all.length > MAX_JUDGED_INITIATIVES }
}

/** The live findings about each initiative (by fingerprint; a finding about two is kept with the first in id order). */
function findingsOf (db: Db, ids: readonly string[], at: string, configs: ReadonlyMap<string, RuleConfig>): Map<string, { finding: EngineFinding, initiativeId: string }> {
  const found = new Map<string, { finding: EngineFinding, initiativeId: string }>()
  for (const initiativeId of ids) {
    const data = loadFocusedData(db, initiativeId)
    if (data === undefined) continue
    for (const finding of runRules(createReadModel(createSnapshot(data), at), configs, { initiativeIds: [initiativeId] })) {
      if (!found.has(finding.fingerprint)) found.set(finding.fingerprint, { finding, initiativeId })
    }
  }
  return found
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const

function effectOf (change: Effect['change'], { finding, initiativeId }: { finding: EngineFinding, initiativeId: string }): Effect {
  const { fingerprint, ruleId, severity, subject, message } = finding
  return { change, ruleId, severity, subject: { kind: subject.kind, id: subject.id }, message, remediation: finding.remediation ?? null, fingerprint, initiativeId }
}

/** The changes between two sets of findings: raised then cleared, each by severity, rule and subject; bounded. */
export function compareFindings (
  before: ReadonlyMap<string, { finding: EngineFinding, initiativeId: string }>,
  after: ReadonlyMap<string, { finding: EngineFinding, initiativeId: string }>,
  judged: { ids: string[], truncated: boolean }
): WriteEffects {
  const raised = [...after].filter(([fp]) => !before.has(fp)).map(([, f]) => effectOf('raised', f))
  const cleared = [...before].filter(([fp]) => !after.has(fp)).map(([, f]) => effectOf('cleared', f))
  const order = (a: Effect, b: Effect): number => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    (a.ruleId < b.ruleId ? -1 : Number(a.ruleId > b.ruleId)) || (a.subject.id < b.subject.id ? -1 : Number(a.subject.id > b.subject.id))
  const all = [...raised.sort(order), ...cleared.sort(order)]
  return { items: all.slice(0, MAX_LISTED_EFFECTS), more: Math.max(0, all.length - MAX_LISTED_EFFECTS), initiatives: judged.ids, truncated: judged.truncated }
}

export interface Judged<T> {
  value: T
  /** null: they could not be computed (`failure` says why); the write stands. */
  effects: WriteEffects | null
  failure?: unknown
}

/**
 * Runs the write in one transaction (a savepoint inside a group commit) between two judgements of the initiatives it
 * touches, each at the time it runs (the write's own times, a status or a delegation from now, fall between): the
 * findings raised and cleared. The write's own error rolls it back and is thrown; an error while judging never is —
 * the write stands, with effects null.
 */
export function judgeWrite<T> (db: Db, touches: Touches<T>, write: () => T): Judged<T> {
  return transact(db, () => {
    let failure: unknown
    let before: { judged: { ids: string[], truncated: boolean }, findings: ReturnType<typeof findingsOf>, configs: Map<string, RuleConfig> } | undefined
    try {
      const at = now()
      const judged = reach(db, touches(db), at)
      const configs = ruleConfigs(db)
      before = { judged, configs, findings: findingsOf(db, judged.ids, at, configs) }
    } catch (error) {
      failure = error
    }
    const value = write()
    if (before === undefined) return { value, effects: null, failure }
    try {
      const at = now()
      const later = reach(db, touches(db, value), at)
      const ids = [...new Set([...before.judged.ids, ...later.ids])].sort()
      const judged = { ids: ids.slice(0, MAX_JUDGED_INITIATIVES), truncated: before.judged.truncated || later.truncated || ids.length > MAX_JUDGED_INITIATIVES }
      return { value, effects: compareFindings(before.findings, findingsOf(db, judged.ids, at, before.configs), judged) }
    } catch (error) {
      return { value, effects: null, failure: error }
    }
  })
}

// What each kind of write touches.

type Place = Pick<AssignmentRecord, 'initiativeId' | 'domainId'>
const placeOf = (p: Partial<Place> | undefined): Touched[] =>
  p?.initiativeId != null ? [{ kind: 'initiative', id: p.initiativeId }] : p?.domainId != null ? [{ kind: 'domain', id: p.domainId }] : []

/** A record as stored and as the change asks for it (the change's fields over the stored ones). */
function beforeAndAsked<R extends object> (stored: R | undefined, change: object | undefined): Array<Partial<R>> {
  return [stored ?? {}, { ...stored, ...change } as Partial<R>]
}

export const touchedBy = {
  /** An initiative: itself. */
  initiative: (id: string | undefined): Touches<object> => (_db, written) => {
    const target = written !== undefined && 'record' in written ? (written.record as { id: string }).id : id
    return target === undefined ? [] : [{ kind: 'initiative', id: target }]
  },
  /** An assignment: its target before and after (a domain reaches the initiatives that inherit from it). */
  assignment: (id: string | undefined, change: object | undefined): Touches<{ record?: Place }> =>
    (db, written) => written !== undefined
      ? placeOf(written.record)
      : beforeAndAsked(id === undefined ? undefined : readRecord.assignment(db, id), change).flatMap(placeOf),
  /** A delegation: its scope for its delegator, before and after (everything: wherever the delegator may decide). */
  delegation: (id: string | undefined, change: object | undefined): Touches<{ record?: DelegationRecord }> =>
    (db, written) => (written !== undefined
      ? written.record === undefined ? [] : [written.record]
      : beforeAndAsked<DelegationRecord>(id === undefined ? undefined : readRecord.delegation(db, id), change))
      .flatMap((d): Touched[] => d.allScopes === true && d.fromPersonId !== undefined ? [{ kind: 'person', id: d.fromPersonId }] : placeOf(d)),
  /** A person whose status changes: wherever they may decide. Other changes of a person touch no initiative. */
  person: (id: string, change: { status?: unknown, statusSince?: unknown }): Touches<unknown> =>
    () => change.status !== undefined || change.statusSince !== undefined ? [{ kind: 'person', id }] : [],
  /** A domain moved under another parent: the initiatives in it and under it. */
  domain: (id: string, change: { parentId?: unknown }): Touches<unknown> =>
    () => change.parentId !== undefined ? [{ kind: 'domain', id }] : []
} as const
