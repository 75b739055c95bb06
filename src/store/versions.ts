// The past versions of the records that give the registry its shape — people, domains, initiatives — read from the
// history, so that "who decides at T?" sees the domain tree, the initiatives' places and rules as they stood at T.
import { statement, type Db } from './connection.js'
import type { DomainRecord, InitiativeRecord, PersonRecord, RegistryData } from '../registry/types.js'

/*
 * Time travel has two clocks, kept apart on purpose. Effective-dated facts — assignments, delegations, a person's
 * status timeline — carry their own validity, entered by HR and often back-dated: they are read as known now and
 * evaluated at T. The shape of the registry — which domain an initiative sits in, its rule, a domain's parent,
 * a person's name and tags — has no dates of its own: it is read as it was recorded at T, from the history
 * (src/store/change-log.ts keeps one interval per version, in the same transaction as the change).
 * For a time before the registry recorded a record at all, what it knows of the record now applies — as it does for
 * back-dated effective dates — so a back-dated appointment on a new initiative answers for T with the initiative as
 * it is now. A record deleted by T is gone.
 */

export type Structural = 'people' | 'domains' | 'initiatives'
export interface StructuralRecord { people: PersonRecord, domains: DomainRecord, initiatives: InitiativeRecord }

/** A version that is no longer current: the record as recorded over [from, to). */
interface PastVersion<T> { record: T, from: string, to: string }

/** The versions of one record before its current one (or its deletion), which holds from `currentFrom`. */
export interface History<T> { past: PastVersion<T>[], currentFrom: string }

type View = Record<string, unknown>
const FROM_VIEW: { [E in Structural]: (view: View) => StructuralRecord[E] } = {
  people: (v) => ({
    id: v.id as string, name: v.name as string, status: v.status as PersonRecord['status'], tags: v.tags as string[],
    stakePercent: v.stakePercent as number | null, managerId: v.managerId as string | null
  }),
  domains: (v) => ({ id: v.id as string, name: v.name as string, parentId: v.parentId as string | null }),
  initiatives: (v) => ({
    id: v.id as string, title: v.title as string, domainId: v.domainId as string | null, status: v.status as InitiativeRecord['status'],
    decisionRule: v.decisionRule as InitiativeRecord['decisionRule'], decisionDueAt: v.decisionDueAt as string | null
  })
}

// Served by history_entity_idx (entity, entity_id, sys_from): the closed intervals are the past versions.
const PAST = `SELECT h.entity_id AS id, h.sys_from AS "from", h.sys_to AS "to", c.after AS after
  FROM history h JOIN changes c ON c.revision = h.revision WHERE h.entity = ? AND h.sys_to IS NOT NULL`
const CURRENT_FROM = 'SELECT sys_from FROM history WHERE entity = ? AND entity_id = ? AND sys_to IS NULL'

interface PastRow { id: string, from: string, to: string, after: string }

function histories<E extends Structural> (db: Db, entity: E, rows: PastRow[]): Map<string, History<StructuralRecord[E]>> {
  const found = new Map<string, History<StructuralRecord[E]>>()
  for (const row of rows) {
    let history = found.get(row.id)
    if (history === undefined) found.set(row.id, history = { past: [], currentFrom: row.to })
    history.past.push({ record: FROM_VIEW[entity](JSON.parse(row.after) as View), from: row.from, to: row.to })
  }
  for (const [id, history] of found) {
    history.past.sort((a, b) => a.from < b.from ? -1 : a.from > b.from ? 1 : 0)
    // The current version starts where the last past one ended, unless the record was deleted and made again.
    const open = statement(db, CURRENT_FROM).pluck().get(entity, id) as string | undefined
    history.currentFrom = open ?? history.past.at(-1)!.to
  }
  return found
}

/** Every record of the entity that has past versions, with them. Most records have none. */
export const loadHistories = <E extends Structural>(db: Db, entity: E): Map<string, History<StructuralRecord[E]>> =>
  histories(db, entity, statement(db, PAST).all(entity) as PastRow[])

/** One record's past versions, or undefined when it has none. */
export const loadHistory = <E extends Structural>(db: Db, entity: E, id: string): History<StructuralRecord[E]> | undefined =>
  histories(db, entity, statement(db, `${PAST} AND h.entity_id = ?`).all(entity, id) as PastRow[]).get(id)

/**
 * The record at `at`, given its current version (undefined when deleted) and its past ones: the version then; the
 * current one if it was first recorded after `at`; undefined between a deletion and the record's next making.
 */
export function versionAt<T> (current: T | undefined, history: History<T> | undefined, at: string): T | undefined {
  if (history === undefined || at >= history.currentFrom || at < history.past[0]!.from) return current
  let found = history.past[0]!
  for (const version of history.past) {
    if (version.from > at) break
    found = version
  }
  return at < found.to ? found.record : undefined
}

/** The records of one entity as they stood at `at`: current ones replaced by their version then, deleted ones back. */
function reshape<E extends Structural> (db: Db, entity: E, records: StructuralRecord[E][], at: string): StructuralRecord[E][] {
  const histories = loadHistories(db, entity)
  // Nothing recorded since `at`: the records as they are now are the records as they were then.
  if (![...histories.values()].some((h) => h.currentFrom > at)) return records
  const shaped: StructuralRecord[E][] = []
  for (const record of records) {
    const version = versionAt(record, histories.get(record.id), at)
    if (version !== undefined) shaped.push(version)
  }
  const current = new Set(records.map((r) => r.id))
  for (const [id, history] of histories) {
    const version = current.has(id) ? undefined : versionAt(undefined, history, at)
    if (version !== undefined) shaped.push(version)
  }
  return shaped
}

/**
 * The registry's data with its shape as recorded at `at` (see above); effective-dated rows are left as they are.
 * The same object when nothing of its shape changed after `at`.
 */
export function shapeAt (db: Db, data: RegistryData, at: string): RegistryData {
  const people = reshape(db, 'people', data.people, at)
  const domains = reshape(db, 'domains', data.domains, at)
  const initiatives = reshape(db, 'initiatives', data.initiatives, at)
  if (people === data.people && domains === data.domains && initiatives === data.initiatives) return data
  return { ...data, people, domains, initiatives }
}
