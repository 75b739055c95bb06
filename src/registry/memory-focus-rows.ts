// The people side of a slice (focus.ts's FocusRows) read from the decider index's memory instead of SQL.
import type { Db } from '../store/connection.js'
import { byPersonThenTime, focusRows, MAX_LINE_DEPTH, type StatusRow } from '../store/registry-rows.js'
import { byId } from './assignment-index.js'
import type { DeciderIndex } from './decider-index.js'
import type { FocusRows } from './focus.js'
import type { DelegationRecord, PersonRecord } from './types.js'

/**
 * Lookups that answer exactly as the store's (focusRows) do — the same rows, field for field, in the same order — for
 * the state of the database the index holds. Use only with an index current with the change log
 * (`deciders.current()` defined): inside a transaction it may lag behind what SQL would read, and then SQL must answer.
 * The records handed out are the index's own (never changed in place: a refresh replaces them); the lists are new.
 */
export function memoryFocusRows (index: DeciderIndex): FocusRows {
  return {
    /** Whom the people delegate to, of any period and scope: each id once, in id order. */
    delegatesOf (_db: Db, personIds: readonly string[]): string[] {
      const to = new Set<string>()
      for (const id of new Set(personIds)) for (const d of index.everyDelegationFrom(id)) to.add(d.toPersonId)
      return [...to].sort()
    },

    /** The delegations from or to the people, of any period, on the initiative, on one of the domains, or on everything; in id order. */
    delegationsCovering (_db: Db, personIds: readonly string[], initiativeId: string, domainIds: readonly string[]): DelegationRecord[] {
      const domains = new Set(domainIds)
      const found = new Map<string, DelegationRecord>()
      const consider = (d: DelegationRecord): void => {
        if (d.allScopes || (d.initiativeId !== null && d.initiativeId === initiativeId) || (d.domainId !== null && domains.has(d.domainId))) found.set(d.id, d)
      }
      for (const id of new Set(personIds)) {
        for (const d of index.everyDelegationFrom(id)) consider(d)
        for (const d of index.everyDelegationTo(id)) consider(d)
      }
      return [...found.values()].sort(byId)
    },

    /**
     * The people with their whole reporting lines, each once, in id order; unknown ids left out. As the store's walk:
     * up to MAX_LINE_DEPTH steps above each person given, a loop in the lines ending the walk where it closes.
     */
    peopleWithLines (_db: Db, personIds: readonly string[]): PersonRecord[] {
      // The fewest steps each person was reached in: a walk goes on past someone only if it reached them in fewer.
      const reached = new Map<string, { person: PersonRecord, depth: number }>()
      for (const start of personIds) {
        let person = index.person(start)
        for (let depth = 0; person !== undefined && depth <= MAX_LINE_DEPTH; depth++) {
          const known = reached.get(person.id)
          if (known !== undefined && known.depth <= depth) break
          reached.set(person.id, { person, depth })
          person = person.managerId === null ? undefined : index.person(person.managerId)
        }
      }
      return [...reached.values()].map((r) => r.person).sort(byId)
    },

    /** The status timelines of the people, by person then oldest first. */
    statusesOf (_db: Db, personIds: readonly string[]): StatusRow[] {
      const rows: StatusRow[] = []
      for (const personId of new Set(personIds)) for (const { status, validFrom } of index.timelineOf(personId)) rows.push({ personId, status, validFrom })
      return rows.sort(byPersonThenTime)
    }
  }
}

/** Where a slice's people side is read: the index's memory when it is current with the change log (`current` defined), else SQL. */
export const sliceRowsFor = (current: DeciderIndex | undefined): FocusRows => current === undefined ? focusRows : memoryFocusRows(current)
