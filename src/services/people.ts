// Use cases for people: list, get, create, change (with the status timeline and reporting-loop check), delete.
import { BEGINNING_OF_TIME, people } from '../../db/schema.js'
import { now, toInstant } from '../clock.js'
import type { Db } from '../store/connection.js'
import { conflict, invalidRecord } from '../errors.js'
import type { PeopleQuery, Person, PersonCreate, PersonPatch } from '../schemas/people.js'
import { transact, type Actor } from '../store/change-log.js'
import {
  emailTaken, externalIdTaken, findPerson, findPersonAt, pagePeople, pagePeopleAt, PERSON_REFERRERS, personView, recordStatus,
  statusPeriods, type PersonRow
} from '../store/people.js'
import { chainReaches } from '../store/chains.js'
import { newId } from './ids.js'
import { assertNewId, assertReference, assertUnreferenced, checkIfMatch, deleteRecord, insertRecord, replaceRecord, type Page, type Written } from '../store/records.js'

export { recordStatus }

export const listPeople = (db: Db, q: PeopleQuery): Page<Person> => q.at === undefined ? pagePeople(db, q) : pagePeopleAt(db, q.at, q)

/** The person now, or as they stood in the registry at `at`. */
export const getPerson = (db: Db, id: string, at?: string): Person =>
  at === undefined ? personView(findPerson(db, id)) : findPersonAt(db, id, at)

function assertUniqueContact (db: Db, id: string, email: string | undefined, externalId: string | null | undefined): void {
  if (email !== undefined && emailTaken(db, email, id)) {
    throw conflict('/email', `another person already has the email "${email}"`)
  }
  if (externalId != null && externalIdTaken(db, externalId, id)) {
    throw conflict('/externalId', `another person already has the externalId "${externalId}"`)
  }
}

/** Refuses a manager that does not exist, or whose reporting line leads back to the person. */
function assertManager (db: Db, id: string, managerId: string | null | undefined): void {
  if (managerId == null) return
  assertReference(db, '/managerId', 'people', managerId)
  if (chainReaches(db, 'managers', managerId, id)) throw invalidRecord('/managerId', `"${managerId}" reports to "${id}": that would make a reporting loop`)
}

export function createPerson (db: Db, actor: Actor, input: PersonCreate): Written<Person> {
  return transact(db, () => {
    const at = now()
    const id = input.id ?? newId()
    if (input.id !== undefined) assertNewId(db, 'people', id)
    assertUniqueContact(db, id, input.email, input.externalId)
    assertManager(db, id, input.managerId)
    const row: PersonRow = {
      id, name: input.name, email: input.email, title: input.title ?? null, status: input.status ?? 'active',
      statusSince: input.statusSince == null ? null : toInstant(input.statusSince), tags: input.tags ?? [],
      stakePercent: input.stakePercent ?? null, managerId: input.managerId ?? null, externalId: input.externalId ?? null,
      version: 1, createdAt: at, updatedAt: at
    }
    const written = insertRecord(db, actor, at, 'people', people, row, personView)
    recordStatus(db, id, row.status, row.statusSince ?? BEGINNING_OF_TIME)
    return written
  })
}

export function updatePerson (db: Db, actor: Actor, id: string, patch: PersonPatch, ifMatch?: string): Written<Person> {
  return transact(db, () => {
    const current = findPerson(db, id)
    checkIfMatch(current.version, ifMatch)
    assertUniqueContact(db, id, patch.email, patch.externalId)
    if (patch.managerId !== undefined) assertManager(db, id, patch.managerId)
    const at = now()
    const statusChanged = (patch.status !== undefined && patch.status !== current.status) || patch.statusSince !== undefined
    const statusSince = patch.statusSince != null ? toInstant(patch.statusSince) : statusChanged ? at : current.statusSince
    const row: PersonRow = {
      ...current,
      ...patch,
      statusSince,
      version: current.version + 1,
      updatedAt: at
    }
    const written = replaceRecord(db, actor, at, 'people', people, current, row, personView)
    if (statusChanged) recordStatus(db, id, row.status, statusSince ?? at)
    return written
  })
}

export function deletePerson (db: Db, actor: Actor, id: string, ifMatch?: string): { revision: number } {
  return transact(db, () => {
    const current = findPerson(db, id)
    checkIfMatch(current.version, ifMatch)
    assertUnreferenced(db, 'people', id, PERSON_REFERRERS)
    return { revision: deleteRecord(db, actor, now(), 'people', people, current, personView) }
  })
}

/** The status timeline, oldest first: each status with the period it held. */
export function listPersonStatuses (db: Db, id: string): { status: PersonRow['status'], from: string | null, to: string | null }[] {
  findPerson(db, id)
  const periods = statusPeriods(db, id)
  return periods.map((p, i) => ({
    status: p.status,
    from: p.validFrom === BEGINNING_OF_TIME ? null : p.validFrom,
    to: periods[i + 1]?.validFrom ?? null
  }))
}
