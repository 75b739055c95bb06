// People in a bundle named as people write them: a reference to a person (personId, managerId, fromPersonId,
// toPersonId, overPersonId, decidedBy) may be the person's id, email or external id; the import reads it as the id.
import type { BundleCollection, StoredRecord } from '../store/bundle.js'
import { newId } from './ids.js'

/** The fields of each collection that name a person. */
export const PERSON_REFERENCES: Readonly<Partial<Record<BundleCollection, readonly string[]>>> = {
  people: ['managerId'],
  assignments: ['personId'],
  delegations: ['fromPersonId', 'toPersonId'],
  influences: ['personId', 'overPersonId'],
  decisions: ['decidedBy']
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The bundle with every person reference written as an id, and an id on every people row (the one on record with its
 * email, else a new one — what the import would give it): a copy, the input is not touched.
 *
 * A reference is read as, in this order: the id of a person in the bundle or on record; else the email of one (in any
 * case; emails are unique, and no id holds an "@"); else the external id of one (unique too). The first reading that
 * names a person decides, so a text is never ambiguous: an external id that is also some person's id names that
 * person. The people of the bundle count as they will be after the import (a row's email and external id over the
 * stored ones of the same person). A text naming no one is left as it is, for the import to refuse at its field.
 */
export function resolvePersonReferences<T extends Partial<Record<BundleCollection, unknown[]>>> (bundle: T, stored: readonly StoredRecord[]): T {
  const rows = bundle.people
  const storedByEmail = new Map(stored.filter((p) => typeof p.email === 'string').map((p) => [(p.email as string).toLowerCase(), p.id]))
  const people = new Map<string, { email: unknown, externalId: unknown }>(stored.map((p) => [p.id, { email: p.email, externalId: p.externalId }]))
  const withIds = rows?.map((row) => {
    if (!isRecord(row)) return row
    const id = typeof row.id === 'string'
      ? row.id
      : typeof row.email === 'string' ? storedByEmail.get(row.email.toLowerCase()) ?? newId() : undefined
    if (id === undefined) return row
    people.set(id, { email: row.email, externalId: row.externalId })
    return row.id === id ? row : { ...row, id }
  })
  const byEmail = new Map<string, string>()
  const byExternalId = new Map<string, string>()
  for (const [id, { email, externalId }] of people) {
    if (typeof email === 'string') byEmail.set(email.toLowerCase(), id)
    if (typeof externalId === 'string' && externalId !== '') byExternalId.set(externalId, id)
  }
  const idOf = (text: string): string | undefined => people.has(text) ? text : byEmail.get(text.toLowerCase()) ?? byExternalId.get(text)

  const out: Partial<Record<BundleCollection, unknown[]>> = { ...bundle }
  if (withIds !== undefined) out.people = withIds
  for (const [collection, fields] of Object.entries(PERSON_REFERENCES) as Array<[BundleCollection, readonly string[]]>) {
    const list = out[collection]
    if (!Array.isArray(list)) continue
    out[collection] = list.map((row) => {
      if (!isRecord(row)) return row
      let copy: Record<string, unknown> | undefined
      for (const field of fields) {
        const value = row[field]
        if (typeof value !== 'string' || people.has(value)) continue
        const id = idOf(value)
        if (id !== undefined) (copy ??= { ...row })[field] = id
      }
      return copy ?? row
    })
  }
  return out as T
}
