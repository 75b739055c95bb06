// POST /v1/import: validates a whole bundle in memory, then applies it as upserts (or a replace) in one transaction.
import { BEGINNING_OF_TIME, type PersonStatus } from '../../db/schema.js'
import { now } from '../clock.js'
import type { Db } from '../store/connection.js'
import { invalidField, ProblemError } from '../errors.js'
import type { Role } from '../schemas/common.js'
import { BUNDLE_COLLECTIONS, bundleWriters, deferForeignKeys, readAll, toBundleRow, toStoredRecord, type BundleCollection, type BundleRow, type StoredRecord } from '../store/bundle.js'
import { recordChange, transact, type Actor } from '../store/change-log.js'
import { newId } from './ids.js'
import { assertMayImport, IMPORT_WRITES, type OperationCounts } from './import-permissions.js'
import { PERSON_REFERENCES, resolvePersonReferences } from './import-references.js'
import { invariantErrors, normalizeRow, rowSchemaErrors, RULES, type FinalState, type InvalidRow, type Located } from './import-rules.js'
import { recordStatus } from './people.js'

export interface ImportOptions {
  mode: 'upsert' | 'replace'
  dryRun: boolean
  /** The caller's role: the import creates, changes and deletes only what the role's single-record routes may. */
  role: Role
}

/** What an import did to one collection; each row of the bundle counts once: created, updated, ended or unchanged. */
export interface CollectionOutcome {
  created: number
  updated: number
  /** Assignments and delegations that held at the import's time and no longer do (their validTo set to it or before). */
  ended: number
  removed: number
  unchanged: number
  /** Ids of each kind, the first LISTED_IDS of them. */
  ids: { created: string[], updated: string[], ended: string[], removed: string[] }
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

/** A person reference that resolvePersonReferences left as written (no one has that id, email or external id), said so. */
function namedNoOne (collection: BundleCollection, raw: unknown, error: { field: string, reason: string }): { field: string, reason: string } {
  if (typeof raw !== 'object' || raw === null) return error
  const field = error.field.slice(1)
  const value = (raw as Record<string, unknown>)[field]
  if (!(PERSON_REFERENCES[collection] ?? []).includes(field) || typeof value !== 'string' || value.length > 320) return error
  return { field: error.field, reason: `no person with the id, email or external id "${value}" in the bundle or the registry` }
}

/** Whether a record with a period holds at `at`. */
const holdsAt = (r: StoredRecord, at: string): boolean => (r.validFrom as string) <= at && (r.validTo === null || (r.validTo as string) > at)

/**
 * The stored records a row that leaves out its time field (validFrom, observedAt) is matched to, by its key without
 * that time: the assignment or delegation that holds now, or the latest influence.
 */
function undatedMatches (collection: BundleCollection, records: Iterable<StoredRecord>, at: string): Map<string, StoredRecord> {
  const rules = RULES[collection]
  const matches = new Map<string, StoredRecord>()
  if (rules.undatedKey === undefined || rules.timeField === undefined) return matches
  const field = rules.timeField
  for (const r of records) {
    if (field === 'validFrom' ? !holdsAt(r, at) : (r[field] as string) > at) continue
    const k = rules.undatedKey(r)
    const before = matches.get(k)
    if (before === undefined || (before[field] as string) < (r[field] as string)) matches.set(k, r)
  }
  return matches
}

/**
 * Each row located: its id (given; else the record it names by natural key; else a new one). A row that leaves out
 * its time field (an assignment's or delegation's validFrom, an influence's observedAt) is the same record as the one
 * of the same person, role and target that holds now (the latest influence) and keeps that record's time: importing
 * the same file twice changes nothing, where a new period from now would overlap the current one. A row of a record
 * on record keeps its time when it leaves it out.
 */
function plan (db: Db, bundle: Partial<Record<BundleCollection, unknown[]>>, at: string): Plan {
  const invalid: InvalidRow[] = []
  const located: Located[] = []
  const existing = {} as Plan['existing']
  for (const collection of BUNDLE_COLLECTIONS) {
    const records = new Map(readAll(db, collection).map((r) => [r.id, r]))
    existing[collection] = records
    const byNaturalKey = new Map([...records.values()].map((r) => [RULES[collection].naturalKey(toBundleRow(r)), r.id]))
    const timeField = RULES[collection].timeField
    let undated: Map<string, StoredRecord> | undefined
    const seen = new Map<string, number>()
    ;(bundle[collection] ?? []).forEach((raw, index) => {
      const errors = rowSchemaErrors(collection, raw).map((e) => namedNoOne(collection, raw, e))
      if (errors.length > 0) {
        for (const e of errors) invalid.push({ collection, index, ...e })
        return
      }
      const input = raw as Record<string, unknown>
      const provisional = normalizeRow(collection, input, '', at)
      const untimed = timeField !== undefined && input[timeField] === undefined
      let current: StoredRecord | undefined
      if (untimed && input.id === undefined) {
        undated ??= undatedMatches(collection, records.values(), at)
        current = undated.get(RULES[collection].undatedKey!(provisional))
      }
      const id = (input.id as string | undefined) ?? current?.id ?? byNaturalKey.get(RULES[collection].naturalKey(provisional)) ?? newId()
      if (untimed) {
        const stored = records.get(id)
        if (stored !== undefined) provisional[timeField] = stored[timeField]
      }
      const first = seen.get(id)
      if (first !== undefined) {
        invalid.push({ collection, index, field: '/id', reason: `"${id}" is already at index ${first} of ${collection}` })
        return
      }
      seen.set(id, index)
      provisional.id = id
      const row = provisional
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

/** The fields of a bundle row whose value differs from the stored record's, in the record's field order. */
const changedFields = (row: BundleRow, stored: StoredRecord): string[] =>
  [...new Set([...Object.keys(stored), ...Object.keys(row)])].filter((k) => k in row && JSON.stringify(row[k]) !== JSON.stringify(stored[k]))

function emptyOutcome (): CollectionOutcome {
  return { created: 0, updated: 0, ended: 0, removed: 0, unchanged: 0, ids: { created: [], updated: [], ended: [], removed: [] } }
}

/** Whether the row ends, at `at` or before, a period that held at `at`. */
const ends = (row: BundleRow, before: StoredRecord, at: string): boolean =>
  'validTo' in before && typeof row.validTo === 'string' && row.validTo <= at && (before.validTo === null || (before.validTo as string) > at)

function count (outcome: CollectionOutcome, kind: 'created' | 'updated' | 'ended' | 'removed', id: string): void {
  outcome[kind]++
  if (outcome.ids[kind].length < LISTED_IDS) outcome.ids[kind].push(id)
}

const operationsOf = (collections: ImportReport['collections']): OperationCounts =>
  Object.fromEntries(BUNDLE_COLLECTIONS.map((c) => [c, { create: collections[c].created, change: collections[c].updated + collections[c].ended, delete: collections[c].removed }])) as OperationCounts

interface Removal { collection: BundleCollection, record: StoredRecord }

/**
 * Validates and, unless a dry run, applies the bundle. Refused whole, with nothing written, dry run or not: a 403 when
 * the role may not make one of its changes, a 422 carrying the report when a row is invalid (a changed append-only
 * record among them), a 409 when mode=replace would delete append-only records.
 */
export function importBundle (db: Db, actor: Actor, bundle: unknown, options: ImportOptions): ImportReport {
  const at = now()
  const p = plan(db, resolvePersonReferences(collectionsOf(bundle), readAll(db, 'people')), at)
  const collections = Object.fromEntries(BUNDLE_COLLECTIONS.map((c) => [c, emptyOutcome()])) as ImportReport['collections']
  const updates: Located[] = []
  const creates: Located[] = []
  const appendOnly: InvalidRow[] = []
  for (const l of p.located) {
    const before = p.existing[l.collection].get(l.row.id)
    if (before === undefined) {
      creates.push(l)
      count(collections[l.collection], 'created', l.row.id)
    } else if (sameRow(l.row, before)) {
      collections[l.collection].unchanged++
    } else {
      updates.push(l)
      count(collections[l.collection], ends(l.row, before, at) ? 'ended' : 'updated', l.row.id)
      if (IMPORT_WRITES[l.collection].change === null) {
        const changed = changedFields(l.row, before)
        appendOnly.push({ collection: l.collection, index: l.index, field: `/${changed[0]!}`, reason: neverChanged(l.collection, l.row.id, changed) })
      }
    }
  }
  const removals: Removal[] = []
  if (options.mode === 'replace') {
    const kept = new Set(p.located.map((l) => `${l.collection}/${l.row.id}`))
    for (const collection of BUNDLE_COLLECTIONS) {
      for (const record of p.existing[collection].values()) {
        if (kept.has(`${collection}/${record.id}`)) continue
        removals.push({ collection, record })
        count(collections[collection], 'removed', record.id)
      }
    }
  }
  assertMayImport(options.role, operationsOf(collections))

  const invalid = [...p.invalid, ...invariantErrors(p.located, finalState(p, options.mode)), ...appendOnly]
  const report: ImportReport = {
    mode: options.mode, dryRun: options.dryRun, revision: null, collections, invalidCount: invalid.length, invalid: invalid.slice(0, LISTED_INVALID)
  }
  if (invalid.length > 0) {
    throw new ProblemError('WHODECIDES_ERR_INVALID_BUNDLE', `${invalid.length} invalid row(s); nothing was imported`, { report })
  }
  assertKeepsAppendOnly(removals)
  if (options.dryRun) return report
  report.revision = apply(db, actor, at, p, creates, updates, removals)
  return report
}

const neverChanged = (collection: BundleCollection, id: string, fields: string[]): string =>
  `"${id}" is already on record, and ${collection} are never changed (append-only); this row differs in ${fields.join(', ')}`

/** A 409 naming the append-only records that mode=replace would delete because the bundle leaves them out. */
function assertKeepsAppendOnly (removals: Removal[]): void {
  const kept = removals.filter((r) => IMPORT_WRITES[r.collection].delete === null)
  if (kept.length === 0) return
  const named = kept.slice(0, LISTED_IDS).map((r) => ({ entity: r.collection, id: r.record.id }))
  throw new ProblemError('WHODECIDES_ERR_CONFLICT',
    `mode=replace would delete ${kept.length} record(s) that are never deleted (${[...new Set(kept.map((r) => r.collection))].join(', ')}): ` +
      named.slice(0, 5).map((r) => `${r.entity}/${r.id}`).join(', ') + (kept.length > 5 ? ', …' : '') +
      '; keep them in the bundle. Nothing was imported',
    { blockedBy: named })
}

function apply (db: Db, actor: Actor, at: string, p: Plan, creates: Located[], updates: Located[],
  removals: Removal[]): number | null {
  return transact(db, () => {
    deferForeignKeys(db)
    const writers = bundleWriters(db)
    let revision: number | null = null
    for (const { collection, row } of creates) {
      const record = toStoredRecord(row, 1, at, at)
      writers[collection].insert(record)
      if (collection === 'people') recordStatus(db, row.id, row.status as PersonStatus, (row.statusSince as string | null) ?? BEGINNING_OF_TIME)
      revision = recordChange(db, actor, at, { entity: collection, entityId: row.id, action: 'create', before: null, after: record })
    }
    for (const { collection, row } of updates) {
      const before = p.existing[collection].get(row.id)!
      const record = toStoredRecord(row, before.version + 1, before.createdAt, at)
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
