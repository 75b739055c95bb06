// People in SQL: the row as the API shows it, lists now and at a past instant, the status timeline, and contact look-ups.
import { asc, eq, sql } from 'drizzle-orm'
import { BEGINNING_OF_TIME, people, personStatuses, type PersonStatus } from '../../db/schema.js'
import type { PeopleQuery, Person } from '../schemas/people.js'
import { statusFromTimeline } from '../registry/snapshot.js'
import type { StatusPeriod } from '../registry/types.js'
import { statement, type Db } from './connection.js'
import { findVersionAt, pageAt } from './history.js'
import { equals, findRecord, selectPage, type Page, type Referrer } from './records.js'
import { searchPage, searchPageAt } from './search.js'

export type PersonRow = typeof people.$inferSelect

export const personView = (r: PersonRow): Person => ({
  id: r.id, name: r.name, email: r.email, title: r.title, status: r.status, statusSince: r.statusSince, tags: r.tags,
  stakePercent: r.stakePercent, managerId: r.managerId, externalId: r.externalId, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt
})

/** The records that point at a person: a person cannot be deleted while any does. */
export const PERSON_REFERRERS: Referrer[] = [
  { entity: 'assignments', column: 'person_id' },
  { entity: 'delegations', column: 'from_person_id' },
  { entity: 'delegations', column: 'to_person_id' },
  { entity: 'influences', column: 'person_id' },
  { entity: 'influences', column: 'over_person_id' },
  { entity: 'people', column: 'manager_id' },
  { entity: 'decisions', column: 'decided_by' }
]

export const findPerson = (db: Db, id: string): PersonRow => findRecord(db, people, 'people', id)

/** One page of the people now, filtered by status and tag; with q, the best matches first. */
export const pagePeople = (db: Db, q: PeopleQuery): Page<Person> => q.q !== undefined
  ? searchPage(db, 'people', q.q, q, [
    ...(q.status === undefined ? [] : [{ sql: 't.status = @status', params: { status: q.status } }]),
    ...(q.tag === undefined ? [] : [{ sql: 'EXISTS (SELECT 1 FROM json_each(t.tags) WHERE value = @tag)', params: { tag: q.tag } }])
  ], (id) => personView(findPerson(db, id)))
  : selectPage(db, people, q, [
  equals(people.status, q.status),
  q.tag === undefined ? undefined : sql`EXISTS (SELECT 1 FROM json_each(${people.tags}) WHERE value = ${q.tag})`
], personView)

/** One page of the people as they stood at `at`, filtered by the status they held then and by tag; with q, by their names then. */
export function pagePeopleAt (db: Db, at: string, q: PeopleQuery): Page<Person> {
  const filter = {
    where: q.tag === undefined ? [] : [{ sql: 'EXISTS (SELECT 1 FROM json_each(c.after, \'$.tags\') WHERE value = @tag)', params: { tag: q.tag } }],
    asOf: personAsOf,
    // The status at `at` comes from the timeline, which SQL over the version cannot see.
    keep: q.status === undefined ? undefined : (p: Person) => p.status === q.status
  }
  return q.q !== undefined ? searchPageAt(db, 'people', at, q.q, q, filter) : pageAt(db, 'people', at, q, filter)
}

/** The person as they stood at `at`, or a 404. */
export const findPersonAt = (db: Db, id: string, at: string): Person => findVersionAt(db, 'people', id, at, personAsOf)

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

/** True when a person other than `id` has this email (compared without case). */
export const emailTaken = (db: Db, email: string, id: string): boolean =>
  statement(db, 'SELECT 1 FROM people WHERE lower(email) = lower(?) AND id <> ?').get(email, id) !== undefined

/** True when a person other than `id` has this externalId. */
export const externalIdTaken = (db: Db, externalId: string, id: string): boolean =>
  statement(db, 'SELECT 1 FROM people WHERE external_id = ? AND id <> ?').get(externalId, id) !== undefined

/** Records that the status holds from `since` on; later entries are superseded, earlier ones kept. */
export function recordStatus (db: Db, personId: string, status: PersonStatus, since: string): void {
  statement(db, 'DELETE FROM person_statuses WHERE person_id = ? AND valid_from >= ?').run(personId, since)
  db.insert(personStatuses).values({ personId, status, validFrom: since }).run()
}

/** The person's status timeline as stored, oldest first. */
export const statusPeriods = (db: Db, id: string): StatusPeriod[] =>
  db.select({ status: personStatuses.status, validFrom: personStatuses.validFrom }).from(personStatuses)
    .where(eq(personStatuses.personId, id)).orderBy(asc(personStatuses.validFrom)).all()
