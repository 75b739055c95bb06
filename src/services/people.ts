// Use cases for people: list, get, create, change (with the status timeline and reporting-loop check), delete.
import { asc, eq, sql } from 'drizzle-orm'
import { BEGINNING_OF_TIME, people, personStatuses, type PersonStatus } from '../../db/schema.js'
import { now, toInstant } from '../clock.js'
import { statement, type Db } from '../store/connection.js'
import { conflict, invalidRecord } from '../errors.js'
import type { PeopleQuery, Person, PersonCreate, PersonPatch } from '../schemas/people.js'
import { statusFromTimeline } from '../registry/snapshot.js'
import type { StatusPeriod } from '../registry/types.js'
import { recordChange, transact, type Actor } from '../store/change-log.js'
import { findVersionAt, pageAt } from '../store/history.js'
import { newId } from './ids.js'
import { assertNewId, assertReference, assertUnreferenced, checkIfMatch, equals, findRecord, insertRecord, replaceRecord, selectPage, type Page, type Written } from '../store/records.js'

type Row = typeof people.$inferSelect

export const personView = (r: Row): Person => ({
  id: r.id, name: r.name, email: r.email, title: r.title, status: r.status, statusSince: r.statusSince, tags: r.tags,
  stakePercent: r.stakePercent, managerId: r.managerId, externalId: r.externalId, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt
})

export const listPeople = (db: Db, q: PeopleQuery): Page<Person> => q.at === undefined
  ? selectPage(db, people, q, [
    equals(people.status, q.status),
    q.tag === undefined ? undefined : sql`EXISTS (SELECT 1 FROM json_each(${people.tags}) WHERE value = ${q.tag})`
  ], personView)
  : pageAt(db, 'people', q.at, q, {
    where: [q.tag === undefined ? undefined : { sql: 'EXISTS (SELECT 1 FROM json_each(c.after, \'$.tags\') WHERE value = @tag)', params: { tag: q.tag } }],
    asOf: personAsOf,
    // The status at `at` comes from the timeline, which SQL over the version cannot see.
    keep: q.status === undefined ? undefined : (p) => p.status === q.status
  })

const findPerson = (db: Db, id: string): Row => findRecord(db, people, 'people', id)

/** The person now, or as they stood in the registry at `at`. */
export const getPerson = (db: Db, id: string, at?: string): Person =>
  at === undefined ? personView(findPerson(db, id)) : findVersionAt(db, 'people', id, at, personAsOf)

// The timeline of the person who holds this id now, if they are the one the version is of (same createdAt): a
// person deleted and created again under the same id starts a timeline of their own.
const TIMELINE = `SELECT s.status AS status, s.valid_from AS validFrom FROM people p JOIN person_statuses s ON s.person_id = p.id
  WHERE p.id = ? AND p.created_at = ? ORDER BY s.valid_from`

/**
 * A version of a person with the status that held at `at` by the status timeline, as "who decides?" reads it
 * (statusFromTimeline), and statusSince the start of that status: a status recorded late but effective earlier,
 * or recorded ahead for a later date, counts from its statusSince, not from the time it was written. A deleted
 * person has no timeline left: their version's own status stands.
 */
function personAsOf (db: Db, person: Person, at: string, current: boolean): Person {
  // Every status change writes a version, and the timeline ends with that version's status from its statusSince:
  // so while no write came since, and that status had begun by `at`, the timeline can only answer the version's own.
  if (current && (person.statusSince === null || person.statusSince <= at)) return person
  const timeline = statement(db, TIMELINE).all(person.id, person.createdAt) as StatusPeriod[]
  if (timeline.length === 0) return person
  let held = timeline[0]!
  for (const period of timeline) if (period.validFrom <= at) held = period
  return { ...person, status: statusFromTimeline(timeline, person.status, at), statusSince: held.validFrom === BEGINNING_OF_TIME ? null : held.validFrom }
}

function assertUniqueContact (db: Db, id: string, email: string | undefined, externalId: string | null | undefined): void {
  if (email !== undefined && statement(db, 'SELECT 1 FROM people WHERE lower(email) = lower(?) AND id <> ?').get(email, id) !== undefined) {
    throw conflict('/email', `another person already has the email "${email}"`)
  }
  if (externalId != null && statement(db, 'SELECT 1 FROM people WHERE external_id = ? AND id <> ?').get(externalId, id) !== undefined) {
    throw conflict('/externalId', `another person already has the externalId "${externalId}"`)
  }
}

/** Refuses a manager that does not exist, or whose reporting line leads back to the person. */
function assertManager (db: Db, id: string, managerId: string | null | undefined): void {
  if (managerId == null) return
  assertReference(db, '/managerId', 'people', managerId)
  const chain = statement(db, `WITH RECURSIVE line(id, depth) AS (
      SELECT ?, 0 UNION ALL SELECT p.manager_id, line.depth + 1 FROM people p JOIN line ON p.id = line.id
      WHERE p.manager_id IS NOT NULL AND line.depth < 10000)
    SELECT 1 FROM line WHERE id = ? LIMIT 1`)
  if (chain.get(managerId, id) !== undefined) throw invalidRecord('/managerId', `"${managerId}" reports to "${id}": that would make a reporting loop`)
}

/** Records that the status holds from `since` on; later entries are superseded, earlier ones kept. */
export function recordStatus (db: Db, personId: string, status: PersonStatus, since: string): void {
  statement(db, 'DELETE FROM person_statuses WHERE person_id = ? AND valid_from >= ?').run(personId, since)
  db.insert(personStatuses).values({ personId, status, validFrom: since }).run()
}

export function createPerson (db: Db, actor: Actor, input: PersonCreate): Written<Person> {
  return transact(db, () => {
    const at = now()
    const id = input.id ?? newId()
    if (input.id !== undefined) assertNewId(db, 'people', id)
    assertUniqueContact(db, id, input.email, input.externalId)
    assertManager(db, id, input.managerId)
    const row: Row = {
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
    const row: Row = {
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
    assertUnreferenced(db, 'people', id, [
      { entity: 'assignments', column: 'person_id' },
      { entity: 'delegations', column: 'from_person_id' },
      { entity: 'delegations', column: 'to_person_id' },
      { entity: 'influences', column: 'person_id' },
      { entity: 'influences', column: 'over_person_id' },
      { entity: 'people', column: 'manager_id' },
      { entity: 'decisions', column: 'decided_by' }
    ])
    db.delete(people).where(eq(people.id, id)).run()
    return { revision: recordChange(db, actor, now(), { entity: 'people', entityId: id, action: 'delete', before: personView(current), after: null }) }
  })
}

/** The status timeline, oldest first: each status with the period it held. */
export function listPersonStatuses (db: Db, id: string): { status: Row['status'], from: string | null, to: string | null }[] {
  findPerson(db, id)
  const rows = db.select().from(personStatuses).where(eq(personStatuses.personId, id)).orderBy(asc(personStatuses.validFrom)).all()
  return rows.map((r, i) => ({
    status: r.status,
    from: r.validFrom === BEGINNING_OF_TIME ? null : r.validFrom,
    to: rows[i + 1]?.validFrom ?? null
  }))
}
