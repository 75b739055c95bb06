// Assignments indexed by target and role, each list in id order and frozen: built once as the rows are read (or
// patched by a refresh), and found again by the array the rows are in, so that a snapshot of them does not build it twice.
import type { AssignmentRecord, RaciRoleName } from './types.js'

/** The assignments on one target, by role. */
export type RoleLists = Readonly<Record<RaciRoleName, readonly AssignmentRecord[]>>

// Ids are [a-z0-9._-]: comparing them as JS strings orders them as SQLite's BINARY collation does.
export const byId = (a: { id: string }, b: { id: string }): number => a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/** Assignments by target, then role. */
export interface AssignmentIndex { initiatives: Map<string, RoleLists>, domains: Map<string, RoleLists> }
export type OpenLists = Record<RaciRoleName, AssignmentRecord[]>

/** Sorts each list of the target's by id and freezes it, and them. */
export function closeLists (lists: OpenLists): RoleLists {
  for (const list of [lists.R, lists.A, lists.C, lists.I]) {
    if (list.length > 1) list.sort(byId)
    Object.freeze(list)
  }
  return Object.freeze(lists)
}

/**
 * Builds the index of assignments by target and role, a row at a time; `done` sorts each list by id and freezes it.
 * Rows of one target often come together (written or imported together): reusing the last lists skips a lookup in
 * a map of 100k targets, which dominates indexing time.
 */
export function assignmentIndexer (): { add: (a: AssignmentRecord) => void, done: () => AssignmentIndex } {
  const initiatives = new Map<string, OpenLists>()
  const domains = new Map<string, OpenLists>()
  let lastId: string | null = null
  let lastOnInitiative = false
  let lists: OpenLists | undefined
  return {
    add (a) {
      const onInitiative = a.initiativeId !== null
      const id = onInitiative ? a.initiativeId : a.domainId
      if (id === null) return
      if (lists === undefined || id !== lastId || onInitiative !== lastOnInitiative) {
        const index = onInitiative ? initiatives : domains
        lists = index.get(id)
        if (lists === undefined) index.set(id, lists = { R: [], A: [], C: [], I: [] })
        lastId = id
        lastOnInitiative = onInitiative
      }
      lists[a.role].push(a)
    },
    done () {
      for (const index of [initiatives, domains]) for (const lists of index.values()) closeLists(lists)
      return { initiatives, domains }
    }
  }
}

/**
 * The assignment index built along with the (frozen) assignments — by loadRegistryData while it read them, or by a
 * refresh (snapshot-refresh.ts) — so that a snapshot of them does not build it again.
 */
const indexedOnLoad = new WeakMap<readonly AssignmentRecord[], AssignmentIndex>()

export function adoptAssignmentIndex (assignments: readonly AssignmentRecord[], index: AssignmentIndex): void {
  indexedOnLoad.set(assignments, index)
}

/** The index of the assignments by target and role: the one built with them, or built now. */
export function indexAssignments (assignments: readonly AssignmentRecord[]): AssignmentIndex {
  const built = indexedOnLoad.get(assignments)
  if (built !== undefined) return built
  const indexer = assignmentIndexer()
  for (const a of assignments) indexer.add(a)
  return indexer.done()
}
