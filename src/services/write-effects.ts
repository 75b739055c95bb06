// What a write does to the boundaries it touches: the live findings of the initiatives it affects, before and after.
import { runRules, type EngineFinding, type RuleConfig } from '../audit/engine.js'
import type { Rule } from '../audit/rule.js'
import { now } from '../clock.js'
import { decidingScopes } from '../registry/authority.js'
import { loadFocusedData } from '../registry/focus.js'
import { createReadModel } from '../registry/read-model.js'
import { createSnapshot } from '../registry/snapshot.js'
import type { AssignmentRecord, DelegationRecord, InfluenceRecord, RegistryData } from '../registry/types.js'
import type { Effect, WriteEffects } from '../schemas/effects.js'
import { affectedRows } from '../store/affected.js'
import { transact } from '../store/change-log.js'
import type { Db } from '../store/connection.js'
import { focusRows, readRecord } from '../store/registry-rows.js'
import { ruleConfigs } from './rule-settings.js'
import { rememberingRows } from './slice-rows.js'
import { ANY_CHANGE, fieldsOf, reshapes, rulesSeeing, type Changes } from './write-changes.js'

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
 * asked for, and after it, with what it wrote (a created record's id is known only then); and what it changes.
 */
export interface Touches<T> {
  (db: Db, written?: T): readonly Touched[]
  /** The read-model fields the write changes: which rules are run (write-changes.ts). */
  readonly changes: Changes
}

const touching = <T>(touched: (db: Db, written?: T) => readonly Touched[], changes: Changes): Touches<T> => Object.assign(touched, { changes })

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

type Found = Map<string, { finding: EngineFinding, initiativeId: string }>

/** Each judged initiative's slice (registry/focus.ts), by id; none for an id that names no initiative. */
type Slices = Map<string, RegistryData>

/** The slices of the initiatives (those kept, as they are); the people and statuses they share read once. */
function loadSlices (db: Db, ids: readonly string[], kept?: Slices): Slices {
  const slices: Slices = new Map()
  const rows = rememberingRows()
  for (const id of ids) {
    const data = kept?.get(id) ?? loadFocusedData(db, id, undefined, rows)
    if (data !== undefined) slices.set(id, data)
  }
  return slices
}

/**
 * The slices read before a write of one record's values (Changes.person or .initiative, nothing that reshapes a
 * slice), as they are after it: the same records, that one read again wherever a slice holds it.
 */
function refreshSlices (db: Db, before: Slices, changes: Changes): Slices {
  const personId = changes.person
  const person = personId === undefined ? undefined : focusRows.peopleWithLines(db, [personId]).find((p) => p.id === personId)
  const statuses = personId === undefined ? [] : focusRows.statusesOf(db, [personId])
  const initiative = changes.initiative === undefined ? undefined : readRecord.initiative(db, changes.initiative)
  const after: Slices = new Map()
  for (const [id, data] of before) {
    let next = data
    if (personId !== undefined && data.people.some((p) => p.id === personId)) {
      next = {
        ...next,
        people: person === undefined ? next.people.filter((p) => p.id !== personId) : next.people.map((p) => p.id === personId ? person : p),
        statuses: [...next.statuses.filter((s) => s.personId !== personId), ...statuses]
      }
    }
    if (changes.initiative !== undefined && data.initiatives.some((i) => i.id === changes.initiative)) {
      if (initiative === undefined) continue
      next = { ...next, initiatives: next.initiatives.map((i) => i.id === initiative.id ? initiative : i) }
    }
    after.set(id, next)
  }
  return after
}

/** The live findings of the rules about each initiative (by fingerprint; a finding about two is kept with the first in id order). */
function findingsOf (slices: Slices, ids: readonly string[], at: string, configs: ReadonlyMap<string, RuleConfig>, rules: readonly Rule[]): Found {
  const found: Found = new Map()
  if (rules.length === 0) return found
  for (const initiativeId of ids) {
    const data = slices.get(initiativeId)
    if (data === undefined) continue
    for (const finding of runRules(createReadModel(createSnapshot(data), at), configs, { initiativeIds: [initiativeId] }, rules)) {
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
 *
 * Only the rules that read a field the write changes are run (write-changes.ts, each rule's `reads`): the others give
 * the same findings before and after, so they could raise or clear nothing. A write no rule can see (a title, a
 * description) runs none, and answers the initiatives it touches with no change. Each slice is read once: after a
 * write of one record's values, the slices read before it are used again with that record read anew.
 */
export function judgeWrite<T> (db: Db, touches: Touches<T>, write: () => T): Judged<T> {
  const { changes } = touches
  const rules = rulesSeeing(changes)
  return transact(db, () => {
    let failure: unknown
    let before: { judged: { ids: string[], truncated: boolean }, slices: Slices, findings: Found, configs: Map<string, RuleConfig> } | undefined
    try {
      const at = now()
      const judged = reach(db, touches(db), at)
      const configs = rules.length === 0 ? new Map<string, RuleConfig>() : ruleConfigs(db)
      const slices = rules.length === 0 ? new Map() : loadSlices(db, judged.ids)
      before = { judged, configs, slices, findings: findingsOf(slices, judged.ids, at, configs, rules) }
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
      const slices = rules.length === 0 ? new Map() : loadSlices(db, judged.ids, reshapes(changes) ? undefined : refreshSlices(db, before.slices, changes))
      return { value, effects: compareFindings(before.findings, findingsOf(slices, judged.ids, at, before.configs, rules), judged) }
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

type Target = Pick<InfluenceRecord, 'initiativeId' | 'domainId' | 'overPersonId'>

export const touchedBy = {
  /** An initiative: itself. Made or removed (no change given): every field; changed: the fields the change sets. */
  initiative: (id: string | undefined, change?: object): Touches<object> => touching((_db, written) => {
    const target = written !== undefined && 'record' in written ? (written.record as { id: string }).id : id
    return target === undefined ? [] : [{ kind: 'initiative', id: target }]
  }, change === undefined || id === undefined ? ANY_CHANGE : { fields: fieldsOf('initiative', change), initiative: id }),
  /** An assignment: its target before and after (a domain reaches the initiatives that inherit from it). */
  assignment: (id: string | undefined, change: object | undefined): Touches<{ record?: Place }> =>
    touching((db, written) => written !== undefined
      ? placeOf(written.record)
      : beforeAndAsked(id === undefined ? undefined : readRecord.assignment(db, id), change).flatMap(placeOf), { fields: ['assignment'] }),
  /** A delegation: its scope for its delegator, before and after (everything: wherever the delegator may decide). */
  delegation: (id: string | undefined, change: object | undefined): Touches<{ record?: DelegationRecord }> =>
    touching((db, written) => (written !== undefined
      ? written.record === undefined ? [] : [written.record]
      : beforeAndAsked<DelegationRecord>(id === undefined ? undefined : readRecord.delegation(db, id), change))
      .flatMap((d): Touched[] => d.allScopes === true && d.fromPersonId !== undefined ? [{ kind: 'person', id: d.fromPersonId }] : placeOf(d)), { fields: ['delegation'] }),
  /**
   * An observed influence: what it is observed on, before and after — an initiative, a domain (the initiatives under
   * it), or a person (wherever they decide: the findings of an influence over a decider are about what they decide).
   */
  influence: (id: string | undefined, change: object | undefined): Touches<{ record?: Target }> =>
    touching((db, written) => (written !== undefined
      ? written.record === undefined ? [] : [written.record]
      : beforeAndAsked<Target>(id === undefined ? undefined : affectedRows.influenceTarget(db, id), change))
      .flatMap((i): Touched[] => i.overPersonId != null ? [{ kind: 'person', id: i.overPersonId }] : placeOf(i)), { fields: ['influence'] }),
  /** A person whose status changes: wherever they may decide. Other changes of a person touch no initiative. */
  person: (id: string, change: { status?: unknown, statusSince?: unknown }): Touches<unknown> =>
    touching(() => change.status !== undefined || change.statusSince !== undefined ? [{ kind: 'person', id }] : [], { fields: fieldsOf('person', change), person: id }),
  /** A domain moved under another parent: the initiatives in it and under it. */
  domain: (id: string, change: { parentId?: unknown }): Touches<unknown> =>
    touching(() => change.parentId !== undefined ? [{ kind: 'domain', id }] : [], { fields: fieldsOf('domain', change) })
} as const
