// Which one-target slices (focus.ts, domain-focus.ts) a change-log entry can alter: the records both name.
import type { ChangeEntry } from '../store/change-feed.js'
import type { RegistryData } from './types.js'

/**
 * The keys of a slice: its initiative, the domains of its chain and every person it holds. Invariant (what makes a
 * cached judgement of the slice safe to keep): every query that builds a slice selects records by one of these —
 * the initiative by id, assignments, decisions, delegations and influences by the initiative, a domain of the chain
 * or a person of the slice they name, people and their status timelines by id, domains by id — so a change that
 * names none of them, in its version before or after, leaves the slice as it was.
 */
export function sliceKeys (data: RegistryData): string[] {
  return [
    ...data.initiatives.map((i) => `i:${i.id}`),
    ...data.domains.map((d) => `d:${d.id}`),
    ...data.people.map((p) => `p:${p.id}`)
  ]
}

/** Fields of a record's API version that no slice holds: a change of these alone alters no slice. */
const UNREAD: Partial<Record<ChangeEntry['entity'], ReadonlySet<string>>> = {
  people: new Set(['email', 'title', 'externalId', 'version', 'createdAt', 'updatedAt']),
  domains: new Set(['description', 'version', 'createdAt', 'updatedAt']),
  initiatives: new Set(['description', 'version', 'createdAt', 'updatedAt'])
}

/**
 * The fields by which a slice's queries select each kind of record that is not a person, domain or initiative, and
 * the kind of key each names (registry/focus.ts, store/registry-rows.ts FOCUS): assignments by their initiative or
 * domain, decisions by their initiative, delegations by either person, influences by their initiative, domain or the
 * person they are over.
 */
const SELECTED_BY: Partial<Record<ChangeEntry['entity'], readonly (readonly [field: string, key: string])[]>> = {
  assignments: [['initiativeId', 'i'], ['domainId', 'd']],
  decisions: [['initiativeId', 'i']],
  delegations: [['fromPersonId', 'p'], ['toPersonId', 'p']],
  influences: [['initiativeId', 'i'], ['domainId', 'd'], ['overPersonId', 'p']]
}

const OWN_KEY: Partial<Record<ChangeEntry['entity'], string>> = { people: 'p', domains: 'd', initiatives: 'i' }

/** Whether two versions differ in a field some slice holds. */
function differsInRead (unread: ReadonlySet<string>, before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!unread.has(field) && JSON.stringify(before[field]) !== JSON.stringify(after[field])) return true
  }
  return false
}

/**
 * The slice keys a change names ('*': every slice — a rule's settings), or none when it alters only fields no slice
 * holds. A person, domain or initiative names itself; an assignment, delegation, influence or decision names the
 * records a slice selects it by, in its version before and after the change. Other entities name nothing.
 */
export function changedKeys (change: ChangeEntry): string[] {
  if (change.entity === 'rules') return ['*']
  const before = change.before === null ? null : JSON.parse(change.before) as Record<string, unknown>
  const after = change.after === null ? null : JSON.parse(change.after) as Record<string, unknown>
  const own = OWN_KEY[change.entity]
  if (own !== undefined) {
    const unread = UNREAD[change.entity]
    if (before !== null && after !== null && unread !== undefined && !differsInRead(unread, before, after)) return []
    return [`${own}:${change.id}`]
  }
  const keys: string[] = []
  for (const version of [before, after]) {
    if (version === null) continue
    for (const [field, kind] of SELECTED_BY[change.entity] ?? []) {
      const value = version[field]
      if (typeof value === 'string') keys.push(`${kind}:${value}`)
    }
  }
  return keys
}
