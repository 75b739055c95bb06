// ?q= past RANKED_MATCHES matches: newest first (current records by creation, past versions by the revision that wrote
// them), paged with a cursor that keeps its first page's order; the bulk feed of an import (src/store/search-feed.ts)
// leaves the indexes in step at commit and nothing behind on a rollback; migration 0010 rebuilds 0009's indexes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import t, { type Test } from 'tap'
import { migrationsFolder } from '../src/config.js'
import { ProblemError } from '../src/errors.js'
import { importBundle } from '../src/services/import.js'
import { SYSTEM_ACTOR } from '../src/services/keys.js'
import { createPerson, deletePerson, listPeople, updatePerson } from '../src/services/people.js'
import { listInitiatives } from '../src/services/initiatives.js'
import { bundleWriters, toStoredRecord } from '../src/store/bundle.js'
import { recordChange, transact } from '../src/store/change-log.js'
import { closeDatabase, openDatabase, type Db } from '../src/store/connection.js'
import { RANKED_MATCHES } from '../src/store/search.js'
import { deferSearchFeeding } from '../src/store/search-feed.js'

const found = (page: { items: Array<{ id: string }> }): string[] => page.items.map((i) => i.id)

/** Every page of a search, following its cursors: the ids in the order the pages gave them. */
function allPages (list: (q: Record<string, unknown>) => { items: Array<{ id: string }>, nextCursor: string | null }, q: Record<string, unknown>): string[] {
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const page = list({ ...q, ...(cursor === null ? {} : { cursor }) })
    seen.push(...found(page))
    cursor = page.nextCursor
  } while (cursor !== null)
  return seen
}

function fileDb (t: Test): { db: Db, path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-search-broad-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'registry.db')
  const db = openDatabase(path)
  t.teardown(() => { if (db.$client.open) closeDatabase(db) })
  return { db, path }
}

const importPeople = (db: Db, people: object[]): void => {
  const report = importBundle(db, SYSTEM_ACTOR, { people }, { mode: 'upsert', dryRun: false, role: 'admin' })
  if (report.invalidCount !== 0) throw new Error(JSON.stringify(report).slice(0, 300))
}

/** An instant strictly between the write before and the write after it. */
async function instant (): Promise<string> {
  await sleep(3)
  const at = new Date().toISOString()
  await sleep(3)
  return at
}

/** FTS5's own check of each index of current records against its table. */
function assertIndexesInStep (t: Test, db: Db): void {
  for (const kind of ['people', 'domains', 'initiatives']) {
    t.doesNotThrow(() => db.$client.exec(`INSERT INTO ${kind}_search (${kind}_search, rank) VALUES ('integrity-check', 1)`), `${kind}_search matches its table`)
  }
  t.equal((db.$client.prepare('SELECT count(*) AS n FROM search_pending').get() as { n: number }).n, 0, 'nothing left waiting to be fed')
}

t.test('past RANKED_MATCHES matches: newest first, every match once across the pages, filters applied; up to it: by rank', async (t) => {
  const { db } = fileDb(t)
  // Ids in the opposite order to creation, so that newest first and id order differ.
  const pad = (i: number): string => String(i).padStart(3, '0')
  const first = Array.from({ length: RANKED_MATCHES }, (_, i) => ({ id: `b${pad(999 - i)}`, name: `Pat Broad ${i}`, email: `b${i}@x.example`, status: i % 10 === 0 ? 'on_leave' : 'active' }))
  importPeople(db, first)
  importPeople(db, [{ id: 'other', name: 'Olga Other', email: 'olga@x.example' }])
  const byId = first.map((p) => p.id).sort()
  t.strictSame(allPages((q) => listPeople(db, q as never), { q: 'broad', limit: 100 }), byId, `${RANKED_MATCHES} matches: ranked, equal ranks in id order`)
  const rankFirst = listPeople(db, { q: 'broad', limit: 100 })

  createPerson(db, SYSTEM_ACTOR, { id: 'b000', name: 'Pat Broad late', email: 'late@x.example' })
  const newestFirst = ['b000', ...first.map((p) => p.id).reverse()]
  const page = listPeople(db, { q: 'broad' })
  t.strictSame(found(page), newestFirst.slice(0, 50), `${RANKED_MATCHES + 1} matches: newest first`)
  t.ok(page.nextCursor, 'with a next page')
  t.strictSame(allPages((q) => listPeople(db, q as never), { q: 'broad', limit: 60 }), newestFirst, 'the pages together: every match once, in order')
  t.strictSame(allPages((q) => listPeople(db, q as never), { q: 'broad', status: 'on_leave', limit: 7 }),
    newestFirst.filter((id) => first.find((p) => p.id === id)?.status === 'on_leave'), 'a filter applies before the page is cut')
  t.strictSame(found(listPeople(db, { q: 'b', limit: 3 })), ['b000', ...newestFirst.slice(1, 3)], 'one letter')
  t.strictSame(found(listPeople(db, { q: 'broad late' })), ['b000'], 'a q that few records match is ranked as before')

  const second = listPeople(db, { q: 'broad', limit: 50, cursor: page.nextCursor! })
  t.strictSame(found(second), newestFirst.slice(50, 100), 'the second page goes on from the first')
  deletePerson(db, SYSTEM_ACTOR, newestFirst[150]!)
  deletePerson(db, SYSTEM_ACTOR, newestFirst[151]!)
  t.strictSame(found(listPeople(db, { q: 'broad', limit: 50, cursor: second.nextCursor! })), [...newestFirst.slice(100, 150), ...newestFirst.slice(152, 153)].slice(0, 50),
    'a cursor keeps its first page\'s order, though the matches are now few enough to be ranked')
  t.strictSame(found(listPeople(db, { q: 'broad', limit: 3 })), ['b000', ...byId].filter((id) => id !== newestFirst[150] && id !== newestFirst[151]).slice(0, 3), 'a first page is ranked again')

  const problemAt = (fn: () => unknown): unknown => {
    try { fn() } catch (err) { return err instanceof ProblemError ? { status: err.statusCode, errors: err.extras.errors } : err }
    return 'no error'
  }
  for (const value of ['~x', '~1.5', '~', 'x|b001']) {
    const cursor = Buffer.from(`rank:${value}`).toString('base64url')
    t.match(problemAt(() => listPeople(db, { q: 'broad', cursor })), { status: 400, errors: [{ in: 'query', path: '/cursor' }] }, `a forged cursor (${value}): a 400 naming cursor`)
  }
  t.throws(() => listPeople(db, { cursor: page.nextCursor! }), ProblemError, 'a search cursor is not a list cursor')
})

t.test('at a past time, past RANKED_MATCHES matching versions: newest version first', async (t) => {
  const { db } = fileDb(t)
  importPeople(db, Array.from({ length: RANKED_MATCHES + 10 }, (_, i) => ({ id: `v${String(i).padStart(3, '0')}`, name: `Val Wide ${i}`, email: `v${i}@x.example` })))
  const before = await instant()
  updatePerson(db, SYSTEM_ACTOR, 'v005', { title: 'Renamed later' })
  const after = await instant()
  const created = Array.from({ length: RANKED_MATCHES + 10 }, (_, i) => `v${String(i).padStart(3, '0')}`)
  t.strictSame(allPages((q) => listPeople(db, q as never), { q: 'wide', at: before, limit: 40 }), [...created].reverse(), 'before the update: in the order the versions were written, newest first')
  const now = allPages((q) => listPeople(db, q as never), { q: 'wide', at: after, limit: 40 })
  t.strictSame(now, ['v005', ...[...created].reverse().filter((id) => id !== 'v005')], 'after it: the person\'s newer version comes first')
  t.strictSame(found(listPeople(db, { q: 'renamed', at: before })), [], 'the new title is not found before it was written')
  t.strictSame(found(listPeople(db, { q: 'renamed', at: after })), ['v005'])
})

t.test('a bulk write feeds the indexes once, at its end: in step at commit, nothing left by a rollback', async (t) => {
  const { db } = fileDb(t)
  const at = new Date().toISOString()
  const person = (id: string, name: string): ReturnType<typeof toStoredRecord> => toStoredRecord({ id, name, email: `${id}@x.example`, status: 'active', tags: [] }, 1, at, at)

  transact(db, () => {
    const writers = bundleWriters(db)
    for (const [id, name] of [['q1', 'Quinn First'], ['q2', 'Quinn Second'], ['q3', 'Quinn Third']] as const) {
      writers.people.insert(person(id, name))
      recordChange(db, SYSTEM_ACTOR, at, { entity: 'people', entityId: id, action: 'create', before: null, after: person(id, name) })
    }
    t.strictSame(found(listPeople(db, { q: 'quinn' })), [], 'inside the bulk write, before its end, the rows wait')
    writers.people.update(person('q2', 'Quinn Renamed'))
    recordChange(db, SYSTEM_ACTOR, at, { entity: 'people', entityId: 'q2', action: 'update', before: person('q2', 'Quinn Second'), after: person('q2', 'Quinn Renamed') })
    writers.people.remove('q3')
    recordChange(db, SYSTEM_ACTOR, at, { entity: 'people', entityId: 'q3', action: 'delete', before: person('q3', 'Quinn Third'), after: null })
  })
  t.strictSame(found(listPeople(db, { q: 'quinn' })), ['q1', 'q2'], 'at commit: the rows as they ended up')
  t.strictSame(found(listPeople(db, { q: 'renamed' })), ['q2'])
  t.strictSame(found(listPeople(db, { q: 'second' })), [], 'not a queued row\'s first name')
  const later = await instant()
  t.strictSame(found(listPeople(db, { q: 'quinn', at: later })), ['q1', 'q2'], 'their versions, at a time')
  t.strictSame(found(listPeople(db, { q: 'renamed', at: later })), ['q2'])
  assertIndexesInStep(t, db)

  t.throws(() => transact(db, () => {
    bundleWriters(db).people.insert(person('gone', 'Gus Gone'))
    throw new Error('abort')
  }), /abort/)
  t.strictSame(found(listPeople(db, { q: 'gus' })), [], 'a rolled-back bulk write is not found')
  assertIndexesInStep(t, db)

  createPerson(db, SYSTEM_ACTOR, { id: 'solo', name: 'Sol Solo', email: 'sol@x.example' })
  t.strictSame(found(listPeople(db, { q: 'solo' })), ['solo'], 'a write after a bulk write is indexed at once')
  updatePerson(db, SYSTEM_ACTOR, 'q1', { name: 'Quinn Moved' })
  t.strictSame(found(listPeople(db, { q: 'moved' })), ['q1'], 'and a rename of a record a bulk write created')
  t.strictSame(found(listPeople(db, { q: 'first' })), [])
  assertIndexesInStep(t, db)

  importBundle(db, SYSTEM_ACTOR, { initiatives: [{ id: 'wh', title: 'Automate the warehouse', domainId: 'ops' }], domains: [{ id: 'ops', name: 'Operations' }] },
    { mode: 'upsert', dryRun: false, role: 'admin' })
  t.strictSame(found(listInitiatives(db, { q: 'warehouse' })), ['wh'], 'an import, through the service')
  assertIndexesInStep(t, db)
  t.throws(() => deferSearchFeeding(db), /outside a transaction/, 'no deferral that would commit on its own')
})

t.test('migration 0010 rebuilds the search indexes of a database at 0009 with one-letter prefixes, past versions kept', async (t) => {
  const { db: first, path } = fileDb(t)
  createPerson(first, SYSTEM_ACTOR, { id: 'p-mark', name: 'Mark Ruiz', email: 'mruiz@acme.example' })
  const before = await instant()
  updatePerson(first, SYSTEM_ACTOR, 'p-mark', { name: 'Mark Oduya' })
  closeDatabase(first)

  // Back to 0009: its tables and triggers as it made them, 0010 not applied.
  const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string, when: number }> }
  const entry = journal.entries.find((e) => e.tag.startsWith('0010_'))!
  const sqlite = new Database(path)
  for (const kind of ['people', 'domains', 'initiatives']) {
    sqlite.exec(`DROP TRIGGER ${kind}_search_insert; DROP TRIGGER ${kind}_search_update; DROP TRIGGER ${kind}_search_delete;
      DROP TRIGGER ${kind}_search_defer; DROP TRIGGER ${kind}_versions_search_insert; DROP TABLE ${kind}_search; DROP TABLE ${kind}_versions_search`)
  }
  sqlite.exec('DROP TABLE search_pending')
  for (const statement of readFileSync(join(migrationsFolder(), '0009_search.sql'), 'utf8').split('--> statement-breakpoint')) sqlite.exec(statement)
  sqlite.exec(`DELETE FROM __drizzle_migrations WHERE created_at >= ${entry.when}`)
  t.notMatch((sqlite.prepare('SELECT sql FROM sqlite_master WHERE name = \'people_search\'').get() as { sql: string }).sql, /prefix='1 2 3'/, 'the database is as at 0009')
  sqlite.close()

  const db = openDatabase(path)
  t.teardown(() => closeDatabase(db))
  for (const table of ['people_search', 'domains_search', 'initiatives_search', 'people_versions_search', 'domains_versions_search', 'initiatives_versions_search']) {
    t.match((db.$client.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(table) as { sql: string }).sql, /prefix='1 2 3'/, `${table} has one-letter prefixes`)
  }
  t.strictSame(found(listPeople(db, { q: 'o' })), ['p-mark'], 'a current row, by one letter')
  t.strictSame(found(listPeople(db, { q: 'ruiz' })), [])
  t.strictSame(found(listPeople(db, { q: 'ruiz', at: before })), ['p-mark'], 'a past version')
  importPeople(db, [{ id: 'p-new', name: 'Nadia New', email: 'nadia@acme.example' }])
  t.strictSame(found(listPeople(db, { q: 'nadia' })), ['p-new'], 'an import after it is fed')
  assertIndexesInStep(t, db)
})
