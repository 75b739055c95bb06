// POST /v1/import: validates a whole bundle in memory, then applies it as upserts (or a replace) in one transaction.
import { BEGINNING_OF_TIME, type PersonStatus } from '../../db/schema.js'
import { now } from '../clock.js'
import type { Db } from '../database.js'
import { invalidField, ProblemError } from '../errors.js'
import { BUNDLE_COLLECTIONS, readAll, tableWriter, toBundleRow, type BundleCollection, type BundleRow, type StoredRecord } from './bundle-tables.js'
import { recordChange, transact, type Actor } from './change-log.js'
import { newId } from './ids.js'
import { invariantErrors, normalizeRow, rowSchemaErrors, RULES, type FinalState, type InvalidRow, type Located } from './import-rules.js'
import { recordStatus } from './people.js'

export interface ImportOptions { mode: 'upsert' | 'replace', dryRun: boolean }

export interface CollectionOutcome {
  created: number
  updated: number
  removed: number
  unchanged: number
  /** Ids of each kind, the first LISTED_IDS of them. */
  ids: { created: string[], updated: string[], removed: string[] }
}

export interface ImportReport {
  mode: ImportOptions['mode']
  dryRun: boolean
  /** The revision of the last change written; null when nothing was written. */
  revision: number | null
  collections: Record<BundleCollection, CollectionOutcome>
  invalidCount: number
  /** The invalid rows, the first LISTED_INVALID of them. */
  invalid: InvalidRow[]
}

export const MAX_ROWS_PER_COLLECTION = 1_000_000
const LISTED_IDS = 1000
const LISTED_INVALID = 1000

interface Plan {
  located: Located[]
  existing: Record<BundleCollection, Map<string, StoredRecord>>
  invalid: InvalidRow[]
}

/** The bundle's arrays, or a 400 when it is not a bundle at all. */
function collectionsOf (bundle: unknown): Partial<Record<BundleCollection, unknown[]>> {
  if (typeof bundle !== 'object' || bundle === null || Array.isArray(bundle)) {
    throw invalidField('', `must be an object with the arrays ${BUNDLE_COLLECTIONS.join(', ')}`)
  }
  for (const [name, rows] of Object.entries(bundle)) {
    if (!(BUNDLE_COLLECTIONS as readonly string[]).includes(name)) throw invalidField(`/${name}`, 'is not a collection of the bundle')
    if (!Array.isArray(rows)) throw invalidField(`/${name}`, 'must be an array')
    if (rows.length > MAX_ROWS_PER_COLLECTION) throw invalidField(`/${name}`, `must not have more than ${MAX_ROWS_PER_COLLECTION} rows`)
  }
  return bundle as Partial<Record<BundleCollection, unknown[]>>
}

function plan (db: Db, bundle: Partial<Record<BundleCollection, unknown[]>>, at: string): Plan {
  const invalid: InvalidRow[] = []
  const located: Located[] = []
  const existing = {} as Plan['existing']
  for (const collection of BUNDLE_COLLECTIONS) {
    const records = new Map(readAll(db, collection).map((r) => [r.id, r]))
    existing[collection] = records
    const byNaturalKey = new Map([...records.values()].map((r) => [RULES[collection].naturalKey(toBundleRow(r)), r.id]))
    const seen = new Map<string, number>()
    ;(bundle[collection] ?? []).forEach((raw, index) => {
      const errors = rowSchemaErrors(collection, raw)
      if (errors.length > 0) {
        for (const e of errors) invalid.push({ collection, index, ...e })
        return
      }
      const input = raw as Record<string, unknown>
      const provisional = normalizeRow(collection, input, '', at)
      const id = (input.id as string | undefined) ?? byNaturalKey.get(RULES[collection].naturalKey(provisional)) ?? newId()
      const first = seen.get(id)
      if (first !== undefined) {
        invalid.push({ collection, index, field: '/id', reason: `"${id}" is already at index ${first} of ${collection}` })
        return
      }
      seen.set(id, index)
      const row: BundleRow = { ...provisional, id }
      const before = records.get(id)
      // A status change without its own date holds from now, as a PATCH would record it.
      if (collection === 'people' && before !== undefined && row.status !== before.status && row.statusSince === before.statusSince) row.statusSince = at
      located.push({ collection, index, row })
    })
  }
  return { located, existing, invalid }
}

function finalState (p: Plan, mode: ImportOptions['mode']): FinalState {
  const final = {} as FinalState
  for (const collection of BUNDLE_COLLECTIONS) {
    final[collection] = mode === 'replace' ? new Map() : new Map([...p.existing[collection].values()].map((r) => [r.id, toBundleRow(r)]))
  }
  for (const { collection, row } of p.located) final[collection].set(row.id, row)
  return final
}

const sameRow = (row: BundleRow, stored: StoredRecord): boolean =>
  Object.keys(row).every((k) => JSON.stringify(row[k]) === JSON.stringify(stored[k]))

function emptyOutcome (): CollectionOutcome {
  return { created: 0, updated: 0, removed: 0, unchanged: 0, ids: { created: [], updated: [], removed: [] } }
}

function count (outcome: CollectionOutcome, kind: 'created' | 'updated' | 'removed', id: string): void {
  outcome[kind]++
  if (outcome.ids[kind].length < LISTED_IDS) outcome.ids[kind].push(id)
}

/** Validates and, unless a dry run, applies the bundle; an invalid bundle throws a 422 carrying the report. */
export function importBundle (db: Db, actor: Actor, bundle: unknown, options: ImportOptions): ImportReport {
  const at = now()
  const p = plan(db, collectionsOf(bundle), at)
  const invalid = [...p.invalid, ...invariantErrors(p.located, finalState(p, options.mode))]
  const collections = Object.fromEntries(BUNDLE_COLLECTIONS.map((c) => [c, emptyOutcome()])) as ImportReport['collections']
  const updates: Located[] = []
  const creates: Located[] = []
  for (const l of p.located) {
    const before = p.existing[l.collection].get(l.row.id)
    if (before === undefined) { creates.push(l); count(collections[l.collection], 'created', l.row.id) } else if (sameRow(l.row, before)) collections[l.collection].unchanged++
    else { updates.push(l); count(collections[l.collection], 'updated', l.row.id) }
  }
  const inBundle = new Set(p.located.map((l) => `${l.collection}/${l.row.id}`))
  const removals = options.mode !== 'replace'
    ? []
    : BUNDLE_COLLECTIONS.flatMap((c) => [...p.existing[c].values()].filter((r) => !inBundle.has(`${c}/${r.id}`)).map((record) => ({ collection: c, record })))
  for (const r of removals) count(collections[r.collection], 'removed', r.record.id)

  const report: ImportReport = {
    mode: options.mode, dryRun: options.dryRun, revision: null, collections, invalidCount: invalid.length, invalid: invalid.slice(0, LISTED_INVALID)
  }
  if (invalid.length > 0) {
    throw new ProblemError('WHODECIDES_ERR_INVALID_BUNDLE', `${invalid.length} invalid row(s); nothing was imported`, { report })
  }
  if (options.dryRun) return report
  report.revision = apply(db, actor, at, p, creates, updates, removals)
  return report
}

function apply (db: Db, actor: Actor, at: string, p: Plan, creates: Located[], updates: Located[],
  removals: { collection: BundleCollection, record: StoredRecord }[]): number | null {
  return transact(db, () => {
    // Rows may point at rows later in the bundle (a manager listed after their report): check at commit.
    db.$client.pragma('defer_foreign_keys = ON')
    const writers = Object.fromEntries(BUNDLE_COLLECTIONS.map((c) => [c, tableWriter(db, c)])) as Record<BundleCollection, ReturnType<typeof tableWriter>>
    let revision: number | null = null
    for (const { collection, row } of creates) {
      const record: StoredRecord = { ...row, version: 1, createdAt: at, updatedAt: at }
      writers[collection].insert(record)
      if (collection === 'people') recordStatus(db, row.id, row.status as PersonStatus, (row.statusSince as string | null) ?? BEGINNING_OF_TIME)
      revision = recordChange(db, actor, at, { entity: collection, entityId: row.id, action: 'create', before: null, after: record })
    }
    for (const { collection, row } of updates) {
      const before = p.existing[collection].get(row.id)!
      const record: StoredRecord = { ...row, version: before.version + 1, createdAt: before.createdAt, updatedAt: at }
      writers[collection].update(record)
      if (collection === 'people' && (row.status !== before.status || row.statusSince !== before.statusSince)) {
        recordStatus(db, row.id, row.status as PersonStatus, (row.statusSince as string | null) ?? at)
      }
      revision = recordChange(db, actor, at, { entity: collection, entityId: row.id, action: 'update', before, after: record })
    }
    for (const { collection, record } of [...removals].reverse()) {
      writers[collection].remove(record.id)
      revision = recordChange(db, actor, at, { entity: collection, entityId: record.id, action: 'delete', before: record, after: null })
    }
    return revision
  })
}
