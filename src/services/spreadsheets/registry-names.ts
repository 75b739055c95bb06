// Records found by the names people write in spreadsheets: an id, an email or external id, a title or a name.
import type { StoredRecord } from '../../store/bundle.js'

/** One way of naming a record: the keys it answers to, compared exactly or without case. */
export interface Naming { keys: (record: StoredRecord) => ReadonlyArray<unknown>, ignoreCase?: boolean }

export type Found = { record: StoredRecord } | { matches: number }

/**
 * Looks records up by a text, trying each naming in turn: the first that names exactly one record finds it; one that
 * names several makes the text ambiguous (`matches` > 1); none of them naming any is `matches` 0.
 */
export function namesOf (records: readonly StoredRecord[], namings: readonly Naming[]): (text: string) => Found {
  const tiers = namings.map(({ keys, ignoreCase = false }) => {
    const byKey = new Map<string, StoredRecord[]>()
    for (const record of records) {
      for (const raw of new Set(keys(record))) {
        if (typeof raw !== 'string' || raw === '') continue
        const key = ignoreCase ? raw.toLowerCase() : raw
        const list = byKey.get(key)
        if (list === undefined) byKey.set(key, [record])
        else list.push(record)
      }
    }
    return { byKey, ignoreCase }
  })
  const lookUp = (text: string): Found => {
    for (const { byKey, ignoreCase } of tiers) {
      const found = byKey.get(ignoreCase ? text.toLowerCase() : text)
      if (found === undefined) continue
      return found.length === 1 ? { record: found[0]! } : { matches: found.length }
    }
    return { matches: 0 }
  }
  // An export writes a text that could run as a formula with a leading ' (escapeFormula): read back, it names the
  // record whose text it escaped, unless a record answers to it as it is.
  return (text) => {
    const found = lookUp(text)
    return 'record' in found || found.matches > 0 || !ESCAPED.test(text) ? found : lookUp(text.slice(1))
  }
}

const ESCAPED = /^'[=+\-@\t\r]/

/** People by id, then email (any case) or external id, then name (any case). */
export const PERSON_NAMINGS: readonly Naming[] = [
  { keys: (p) => [p.id] },
  { keys: (p) => [p.email], ignoreCase: true },
  { keys: (p) => [p.externalId] },
  { keys: (p) => [p.name], ignoreCase: true }
]

/** Initiatives by id, then title (exactly, then in any case). */
export const INITIATIVE_NAMINGS: readonly Naming[] = [
  { keys: (i) => [i.id] },
  { keys: (i) => [i.title] },
  { keys: (i) => [i.title], ignoreCase: true }
]

/** Domains by id, then name (exactly, then in any case). */
export const DOMAIN_NAMINGS: readonly Naming[] = [
  { keys: (d) => [d.id] },
  { keys: (d) => [d.name] },
  { keys: (d) => [d.name], ignoreCase: true }
]

/**
 * The label to write for each record so that namesOf reads it back as that record: `preferred` when it names that
 * record alone (no other record has it as id or preferred label, in any case), else the id.
 */
export function labelsOf<T extends { id: string }> (records: readonly T[], preferred: (record: T) => string): Map<string, string> {
  const uses = new Map<string, number>()
  const bump = (text: string): void => { uses.set(text.toLowerCase(), (uses.get(text.toLowerCase()) ?? 0) + 1) }
  for (const record of records) {
    bump(record.id)
    if (preferred(record).toLowerCase() !== record.id.toLowerCase()) bump(preferred(record))
  }
  return new Map(records.map((record) => {
    const label = preferred(record)
    return [record.id, label !== '' && uses.get(label.toLowerCase()) === 1 ? label : record.id]
  }))
}
