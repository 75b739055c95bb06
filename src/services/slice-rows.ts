// The people side of several slices read in one go (write effects judge up to 50 initiatives at once, whose slices
// share most reporting lines): each person's line and timeline read once, remembered.
import { byId } from '../registry/assignment-index.js'
import type { FocusRows } from '../registry/focus.js'
import type { PersonRecord, StatusPeriod } from '../registry/types.js'
import type { Db } from '../store/connection.js'
import { byPersonThenTime, focusRows } from '../store/registry-rows.js'

type StatusRow = StatusPeriod & { personId: string }

/**
 * Lookups that answer as focusRows does (the same rows in the same order) while the database does not change: use one
 * for the reads between two writes, never across one. Delegates and delegations are read from the store each time
 * (the delegations covering a slice depend on its initiative and domains).
 */
export function rememberingRows (): FocusRows {
  const people = new Map<string, PersonRecord | null>()
  const statuses = new Map<string, StatusRow[]>()
  return {
    /** The people and everyone up their reporting lines, each once. */
    peopleWithLines (db: Db, personIds: readonly string[]): PersonRecord[] {
      const unknown = personIds.filter((id) => !people.has(id))
      if (unknown.length > 0) {
        // A line read whole: every manager on it is known from here on.
        for (const p of focusRows.peopleWithLines(db, unknown)) people.set(p.id, p)
        for (const id of unknown) if (!people.has(id)) people.set(id, null)
      }
      const found: PersonRecord[] = []
      const seen = new Set<string>()
      for (const id of personIds) {
        for (let p = people.get(id); p != null && !seen.has(p.id); p = p.managerId === null ? undefined : people.get(p.managerId)) {
          seen.add(p.id)
          found.push(p)
        }
      }
      return found.sort(byId)
    },
    statusesOf (db: Db, personIds: readonly string[]): StatusRow[] {
      const unknown = [...new Set(personIds.filter((id) => !statuses.has(id)))]
      if (unknown.length > 0) {
        for (const id of unknown) statuses.set(id, [])
        for (const row of focusRows.statusesOf(db, unknown)) statuses.get(row.personId)!.push(row)
      }
      return [...new Set(personIds)].flatMap((id) => statuses.get(id)!).sort(byPersonThenTime)
    },
    delegatesOf: focusRows.delegatesOf,
    delegationsCovering: focusRows.delegationsCovering
  }
}
