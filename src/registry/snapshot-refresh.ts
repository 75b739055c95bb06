// Registry data read for an audit, brought up to date with the records the change log names since, without reading
// it all again: the small tables whose records changed are read again whole; of the assignments — most of a large
// registry — only the named rows are read, and only their targets indexed again.
import type { Entity } from '../../db/schema.js'
import type { ChangedRecords } from '../store/change-feed.js'
import type { Db } from '../store/connection.js'
import { assignmentsById, READ_TABLE, type SmallTable } from '../store/registry-data.js'
import { adoptAssignmentIndex, closeLists, indexAssignments, type AssignmentIndex, type OpenLists } from './assignment-index.js'
import type { AssignmentRecord, RegistryData } from './types.js'

/** The tables that hold each entity's records, but the assignments: a person's status timeline is part of the person. */
const TABLES: Partial<Record<Entity, readonly SmallTable[]>> = {
  people: ['people', 'statuses'],
  domains: ['domains'],
  initiatives: ['initiatives'],
  delegations: ['delegations'],
  influences: ['influences'],
  decisions: ['decisions']
}

/** The data with the changed records as they are stored now; call it inside the read transaction that named them. */
export function refreshedData (db: Db, data: RegistryData, changed: ChangedRecords): RegistryData {
  const fresh: RegistryData = { ...data }
  for (const entity of changed.keys()) {
    for (const table of TABLES[entity] ?? []) (fresh as Record<SmallTable, unknown>)[table] = READ_TABLE[table](db)
  }
  const assignmentIds = changed.get('assignments')
  if (assignmentIds !== undefined && assignmentIds.size > 0) fresh.assignments = patchedAssignments(db, data.assignments, assignmentIds)
  return fresh
}

/**
 * The assignments with the named rows as stored now, in storage order: an edited row where it was, a deleted one
 * gone, a new one at the end (new rows take the next rowid). Frozen, with their index patched from the old one.
 */
function patchedAssignments (db: Db, rows: readonly AssignmentRecord[], ids: ReadonlySet<string>): AssignmentRecord[] {
  const stored = new Map(assignmentsById(db, ids).map((a) => [a.id, a]))
  const before: AssignmentRecord[] = []
  const placed = new Set<string>()
  const patched: AssignmentRecord[] = []
  for (const row of rows) {
    if (!ids.has(row.id)) {
      patched.push(row)
      continue
    }
    before.push(row)
    const now = stored.get(row.id)
    if (now !== undefined) {
      patched.push(now)
      placed.add(now.id)
    }
  }
  for (const row of stored.values()) if (!placed.has(row.id)) patched.push(row)
  Object.freeze(patched)
  adoptAssignmentIndex(patched, patchedIndex(indexAssignments(rows), before, [...stored.values()]))
  return patched
}

/** The index and the map it goes in for the row's target; undefined for a row on no target. */
function targetOf (row: AssignmentRecord, index: AssignmentIndex): { map: AssignmentIndex['initiatives'], id: string } | undefined {
  if (row.initiativeId !== null) return { map: index.initiatives, id: row.initiativeId }
  if (row.domainId !== null) return { map: index.domains, id: row.domainId }
  return undefined
}

/**
 * The index with the lists of each target a changed row was or is on built again: the old lists less the rows as
 * they were, plus the rows as they are. The other targets' lists are shared with the old index (they are frozen).
 */
function patchedIndex (index: AssignmentIndex, before: readonly AssignmentRecord[], after: readonly AssignmentRecord[]): AssignmentIndex {
  const patched: AssignmentIndex = { initiatives: new Map(index.initiatives), domains: new Map(index.domains) }
  const gone = new Set(before.map((a) => a.id))
  const rebuilt = new Map<AssignmentIndex['initiatives'], Map<string, OpenLists>>([[patched.initiatives, new Map()], [patched.domains, new Map()]])
  const listsOf = (row: AssignmentRecord): OpenLists | undefined => {
    const target = targetOf(row, patched)
    if (target === undefined) return undefined
    const targets = rebuilt.get(target.map)!
    let lists = targets.get(target.id)
    if (lists === undefined) {
      const old = target.map.get(target.id)
      const keep = (list: readonly AssignmentRecord[] | undefined): AssignmentRecord[] => (list ?? []).filter((a) => !gone.has(a.id))
      targets.set(target.id, lists = { R: keep(old?.R), A: keep(old?.A), C: keep(old?.C), I: keep(old?.I) })
    }
    return lists
  }
  for (const row of before) listsOf(row)
  for (const row of after) listsOf(row)?.[row.role].push(row)
  for (const [map, targets] of rebuilt) {
    for (const [id, lists] of targets) {
      if (lists.R.length + lists.A.length + lists.C.length + lists.I.length === 0) map.delete(id)
      else map.set(id, closeLists(lists))
    }
  }
  return patched
}
