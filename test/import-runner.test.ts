// Imports off the request thread: lookups answered while an import runs in its process, the decider index following
// its commit, the same answers as before for every outcome, and a fresh process after one stops.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { BUSY_TIMEOUT_MS, connect, openDatabase, statement, type Db } from '../src/store/connection.js'
import { DeciderIndex } from '../src/registry/decider-index.js'
import { deciderIndex, deciderSource, followCommit } from './registry/decider-index-of.js'
import { resolveDecider } from '../src/registry/resolver.js'
import { SqlSourceAt } from '../src/store/sql-source-at.js'
import type { Target } from '../src/registry/types.js'
import { GroupCommit } from '../src/store/group-commit.js'
import { createAssignment } from '../src/services/assignments.js'
import { createDomain, deleteDomain, updateDomain } from '../src/services/domains.js'
import { createInitiative, updateInitiative } from '../src/services/initiatives.js'
import { createPerson, deletePerson, updatePerson } from '../src/services/people.js'
import { assertProblem, buildTestApp, type TestApp } from './helper.js'

// Large imports (5,000 to 20,000 people, each kept in the search index as it is written) take this file past tap's
// default two minutes on a busy machine.
t.setTimeout(600_000)

/** Each connection's group commit, as the runtime holds one for its connection. */
const groupCommits = new Map<Db, GroupCommit>()
const groupCommitOf = (db: Db): GroupCommit => {
  let writes = groupCommits.get(db)
  if (writes === undefined) groupCommits.set(db, writes = new GroupCommit(db))
  return writes
}
const queueWrite = async <T>(db: Db, write: () => T): Promise<T> => await groupCommitOf(db).queue(write)
const waitForWriterWhile = (db: Db, writing: () => boolean): void => { groupCommitOf(db).waitForWriterWhile(writing) }

const actor = { keyId: null, label: 'test' }
const FROM = '2026-01-01T00:00:00.000Z'
const turn = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }
/** Lets the clock move on, so that instants taken before and after a write differ. */
const tick = async (): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, 3)) }

/** An app on a database file of its own: its imports run in the import process. */
async function fileApp (t: Test): Promise<TestApp> {
  return await buildTestApp(t, { dbPath: join(t.testdir(), 'registry.db') })
}

/** People p0–p49, a domain, and the initiative "watched", whose one final decider is p0. */
async function seed (t: Test, call: TestApp['call']): Promise<void> {
  const res = await call({
    method: 'POST', url: '/v1/import', payload: {
      people: Array.from({ length: 50 }, (_, i) => ({ id: `p${i}`, name: `Person ${i}`, email: `p${i}@example.com` })),
      domains: [{ id: 'd', name: 'D' }],
      initiatives: [{ id: 'watched', title: 'Watched', domainId: 'd' }],
      assignments: [{ id: 'w0', personId: 'p0', role: 'A', initiativeId: 'watched', validFrom: FROM }]
    }
  })
  t.equal(res.statusCode, 200, res.body)
}

/** A bundle of `size` assignments on new initiatives, one A each, plus a second A on "watched" (then ambiguous). */
function largeBundle (size: number): { initiatives: object[], assignments: object[] } {
  const initiatives = Array.from({ length: size / 10 }, (_, i) => ({ id: `n${i}`, title: `New ${i}`, domainId: 'd' }))
  const assignments = Array.from({ length: size }, (_, i) => ({
    id: `x${i}`, personId: `p${i % 50}`, role: i % 10 === 0 ? 'A' : 'R', initiativeId: `n${Math.floor(i / 10)}`, validFrom: FROM
  }))
  assignments.push({ id: 'w1', personId: 'p1', role: 'A', initiativeId: 'watched', validFrom: FROM })
  return { initiatives, assignments }
}

const deciders = (res: LightMyRequestResponse): string[] => (res.json() as { deciders: { personId: string }[] }).deciders.map((d) => d.personId)

/** Whether a connection other than the test's holds the database's write lock (the import's transaction). */
function lockHeld (probe: Database.Database): boolean {
  try {
    probe.prepare('BEGIN IMMEDIATE').run()
    probe.prepare('ROLLBACK').run()
    return false
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true
    throw error
  }
}

/** Turn by turn of the event loop (never by the clock), until the import holds the write lock; false if it ended first. */
async function untilImportHoldsLock (t: Test, app: TestApp['app'], ended: () => boolean): Promise<boolean> {
  const probe = new Database(app.runtime.db.$client.name, { timeout: 0 })
  t.teardown(() => { probe.close() })
  while (!ended()) {
    if (lockHeld(probe)) return true
    await turn()
  }
  return false
}

/** The import processes this test process's servers started, as the system lists them. */
function importProcesses (): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).filter((pid) => {
    try {
      const parent = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1])
      return parent === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('import-worker')
    } catch {
      return false // gone meanwhile
    }
  }).map(Number)
}

/** A seeded file app with a 20k-assignment import sent, once the import's transaction holds the write lock. */
async function duringLargeImport (t: Test): Promise<TestApp & { importing: Promise<LightMyRequestResponse>, importAnswered: () => boolean }> {
  const test = await fileApp(t)
  await seed(t, test.call)
  let answered = false
  const importing = test.call({ method: 'POST', url: '/v1/import', as: 'editor', payload: largeBundle(20_000) }).finally(() => { answered = true })
  t.ok(await untilImportHoldsLock(t, test.app, () => answered), 'the import\'s transaction was seen holding the write lock')
  return { ...test, importing, importAnswered: () => answered }
}

t.test('a lookup sent while a large import runs is answered before the import, from the registry as it was', async (t) => {
  const { app, call, importing, importAnswered } = await duringLargeImport(t)
  const during = await call({ url: '/v1/initiatives/watched/decider', as: 'reader' })
  t.equal(during.statusCode, 200)
  t.notOk(importAnswered(), 'the lookup was answered while the import still ran')
  t.strictSame(deciders(during), ['p0'], 'as the registry was before the import')

  const imported = await importing
  t.equal(imported.statusCode, 200, imported.body.slice(0, 300))
  t.match(imported.json(), { collections: { assignments: { created: 20_001 } } })
  t.ok(app.runtime.deciders.current()?.initiative('n1'), 'once the import has answered, the index holds what it wrote')
  const after = await call({ url: '/v1/initiatives/watched/decider', as: 'reader' })
  t.match(after.json(), { resolution: 'ambiguous' })
  t.strictSame(deciders(after), ['p0', 'p1'], 'the imported assignments are seen at once')
  t.strictSame(deciders(await call({ url: '/v1/initiatives/n1/decider', as: 'reader' })), ['p10'], 'on the imported initiatives too')
})

t.test('a write with an Idempotency-Key sent while an import runs waits for it in a later turn, not in SQLite\'s busy handler', async (t) => {
  const { app, call, importing, importAnswered } = await duringLargeImport(t)
  let keyedAnswered = false
  let importAnsweredFirst = false
  const keyed = call({
    method: 'POST', url: '/v1/people', as: 'editor', headers: { 'idempotency-key': '"during-an-import"' },
    payload: { id: 'keyed', name: 'Keyed Person', email: 'keyed@example.com' }
  }).finally(() => { keyedAnswered = true; importAnsweredFirst = importAnswered() })
  // A few turns, for the keyed request to reach its claim.
  for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve))
  const during = await call({ url: '/v1/initiatives/watched/decider', as: 'reader' })
  t.equal(during.statusCode, 200)
  t.notOk(keyedAnswered, 'the lookup was answered before the keyed write, which waits for the import')
  t.equal((await importing).statusCode, 200)
  const written = await keyed
  t.ok(importAnsweredFirst, 'the keyed write was made once the import had answered, not beside it in the busy handler')
  t.equal(written.statusCode, 201, written.body)
  const again = await call({
    method: 'POST', url: '/v1/people', as: 'editor', headers: { 'idempotency-key': '"during-an-import"' },
    payload: { id: 'keyed', name: 'Keyed Person', email: 'keyed@example.com' }
  })
  t.equal(again.headers['idempotent-replayed'], 'true', 'its answer was stored with its key')
})

t.test('a refused import (422) writes nothing and changes no answer; a dry run neither', async (t) => {
  const { app, call } = await fileApp(t)
  await seed(t, call)
  const bundle = largeBundle(100)
  const revision = statement(app.runtime.db, 'SELECT max(revision) FROM changes').pluck().get()
  const refused = assertProblem(t, await call({
    method: 'POST', url: '/v1/import', payload: { ...bundle, assignments: [...bundle.assignments, { id: 'bad', personId: 'nobody', role: 'A', initiativeId: 'watched', validFrom: FROM }] }
  }), 422, 'WHODECIDES_ERR_INVALID_BUNDLE')
  t.match(refused.report, { invalidCount: 1, invalid: [{ collection: 'assignments', index: 101 }] }, 'the report comes back whole from the import process')
  const dry = await call({ method: 'POST', url: '/v1/import?dryRun=true', payload: bundle })
  t.match(dry.json(), { dryRun: true, revision: null, collections: { assignments: { created: 101 } } })
  t.equal(dry.headers['x-revision'], undefined)
  t.equal(statement(app.runtime.db, 'SELECT max(revision) FROM changes').pluck().get(), revision, 'no change-log entry')
  t.strictSame(deciders(await call({ url: '/v1/initiatives/watched/decider' })), ['p0'])
  assertProblem(t, await call({ url: '/v1/initiatives/n1/decider' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
})

t.test('a body that is not a bundle gets the answers every route gives it', async (t) => {
  const { call } = await buildTestApp(t, { dbPath: join(t.testdir(), 'registry.db'), importBodyLimit: 4096 })
  const json = { 'content-type': 'application/json' }
  for (const payload of ['{"people": [', '', '{"__proto__": {"admin": true}}', '{"a": {"constructor": {"prototype": {}}}}']) {
    const imported = await call({ method: 'POST', url: '/v1/import', headers: json, payload })
    const elsewhere = await call({ method: 'POST', url: '/v1/people', headers: json, payload })
    const { requestId: _a, instance: _b, ...problem } = imported.json()
    const { requestId: _c, instance: _d, ...expected } = elsewhere.json()
    t.equal(imported.statusCode, 400, `${JSON.stringify(payload)}: 400`)
    t.strictSame(problem, expected, `${JSON.stringify(payload)}: the problem POST /v1/people gives`)
    t.equal(imported.headers.connection, 'close', 'and the connection is closed, as for any body Fastify refuses')
  }
  assertProblem(t, await call({ method: 'POST', url: '/v1/import', headers: json, payload: JSON.stringify({ people: [], pad: 'x'.repeat(5000) }) }),
    413, 'WHODECIDES_ERR_BODY_TOO_LARGE')
  assertProblem(t, await call({ method: 'POST', url: '/v1/import' }), 400, 'WHODECIDES_ERR_VALIDATION')
  const notABundle = assertProblem(t, await call({ method: 'POST', url: '/v1/import', payload: { people: [], extra: [] } }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.match(notABundle.errors, [{ path: '/extra' }])
})

t.test('Idempotency-Key: the same JSON is replayed however it is spelled, another body is refused', async (t) => {
  const { app, call } = await fileApp(t)
  await seed(t, call)
  const keyed = { 'idempotency-key': 'import-1', 'content-type': 'application/json' }
  const first = await call({ method: 'POST', url: '/v1/import', headers: keyed, payload: '{"people": [{"id": "q1", "name": "Q", "email": "q1@example.com"}]}' })
  t.equal(first.statusCode, 200, first.body)
  const changes = statement(app.runtime.db, 'SELECT count(*) FROM changes').pluck().get()
  const again = await call({ method: 'POST', url: '/v1/import', headers: keyed, payload: '{ "people": [ { "email": "q1@example.com", "name": "Q", "id": "q1" } ] }' })
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.equal(again.body, first.body)
  t.equal(again.headers['x-revision'], first.headers['x-revision'])
  assertProblem(t, await call({ method: 'POST', url: '/v1/import', headers: keyed, payload: '{"people": []}' }), 422, 'WHODECIDES_ERR_IDEMPOTENCY_KEY_REUSED')
  t.equal(statement(app.runtime.db, 'SELECT count(*) FROM changes').pluck().get(), changes, 'nothing written again')

  // A keyed import sent while another runs claims its key once that one has answered.
  let firstAnswered = false
  const running = call({ method: 'POST', url: '/v1/import', payload: largeBundle(5000) }).finally(() => { firstAnswered = true })
  const second = await call({ method: 'POST', url: '/v1/import', headers: { 'idempotency-key': 'import-2' }, payload: { people: [{ id: 'q2', name: 'Q2', email: 'q2@example.com' }] } })
  t.ok(firstAnswered, 'after the import before it')
  t.equal(second.statusCode, 200, second.body)
  t.equal((await running).statusCode, 200)
})

t.test('the import process: a crash fails the import it ran, writes none of it, and the next import starts a fresh one', async (t) => {
  const { app, call } = await fileApp(t)
  await seed(t, call)
  const [first] = importProcesses()
  t.ok(first !== undefined, 'the seed ran in an import process')

  let answered = false
  const killed = call({ method: 'POST', url: '/v1/import', payload: largeBundle(20_000) }).finally(() => { answered = true })
  t.ok(await untilImportHoldsLock(t, app, () => answered), 'the import was seen holding the write lock')
  process.kill(first!, 'SIGKILL')
  assertProblem(t, await killed, 500, 'WHODECIDES_ERR_INTERNAL')
  t.equal(statement(app.runtime.db, "SELECT count(*) FROM assignments WHERE id LIKE 'x%'").pluck().get(), 0, 'none of its rows')
  t.strictSame(deciders(await call({ url: '/v1/initiatives/watched/decider' })), ['p0'])

  const next = await call({ method: 'POST', url: '/v1/import', payload: largeBundle(100) })
  t.equal(next.statusCode, 200, next.body)
  t.strictSame(deciders(await call({ url: '/v1/initiatives/watched/decider' })), ['p0', 'p1'])
  const [second] = importProcesses()
  t.ok(second !== undefined && second !== first, 'in a new process')
  await app.close()
  t.strictSame(importProcesses(), [], 'which closing the app stops')
})

t.test('while an import runs, queued writes wait for it without asking for the lock, past the busy timeout; then go through', async (t) => {
  const db = openDatabase(join(t.testdir(), 'registry.db'))
  t.teardown(() => { db.$client.close() })
  createPerson(db, actor, { id: 'ada', name: 'Ada', email: 'ada@example.com' })
  let importing = true
  waitForWriterWhile(db, () => importing)
  const writer = new Database(db.$client.name)
  t.teardown(() => { writer.close() })
  writer.prepare('BEGIN IMMEDIATE').run()
  let settled = false
  const write = queueWrite(db, () => updatePerson(db, actor, 'ada', { title: 'Countess' })).finally(() => { settled = true })
  await new Promise((resolve) => setTimeout(resolve, BUSY_TIMEOUT_MS + 500))
  t.notOk(settled, 'still waiting, past the busy timeout')
  importing = false
  writer.prepare('COMMIT').run()
  t.equal((await write).record.title, 'Countess')
})

t.test('while the index follows a commit made elsewhere, it answers as before the commit; SQL, as the index will, once this connection writes', async (t) => {
  const file = join(t.testdir(), 'registry.db')
  const db = openDatabase(file)
  t.teardown(() => { db.$client.close() })
  const instants: string[] = [FROM]
  const mark = async (): Promise<void> => { await tick(); instants.push(new Date().toISOString()); await tick() }
  for (const id of ['ada', 'bob', 'cyd']) createPerson(db, actor, { id, name: id.toUpperCase(), email: `${id}@example.com` })
  createDomain(db, actor, { id: 'root', name: 'Root' })
  createDomain(db, actor, { id: 'left', name: 'Left', parentId: 'root' })
  createDomain(db, actor, { id: 'right', name: 'Right', parentId: 'root' })
  createInitiative(db, actor, { id: 'ini', title: 'Ini', domainId: 'left' })
  createAssignment(db, actor, { personId: 'ada', role: 'A', domainId: 'left', validFrom: FROM })
  createAssignment(db, actor, { personId: 'bob', role: 'A', domainId: 'right', validFrom: FROM })
  await mark()
  updateInitiative(db, actor, 'ini', { domainId: 'right', decisionRule: 'unanimous' })
  await mark()
  updatePerson(db, actor, 'bob', { name: 'Robert', status: 'on_leave' })
  await mark()
  instants.push(new Date(Date.now() + 86_400_000).toISOString())

  const targets: Target[] = [{ kind: 'initiative', id: 'ini' }, { kind: 'domain', id: 'left' }, { kind: 'domain', id: 'right' }, { kind: 'domain', id: 'gone' }]
  const answers = (): unknown[] => instants.flatMap((at) => targets.map((target) => {
    try {
      return resolveDecider(deciderSource(db, at), target, at)
    } catch (error) {
      return (error as Error).name
    }
  }))
  const before = answers()
  t.type(deciderIndex(db), DeciderIndex, 'the index is built')

  // Another connection — the import process's — moves the initiative again, adds a decider, removes a domain.
  const other: Db = connect(file)
  t.teardown(() => { other.$client.close() })
  updateInitiative(other, actor, 'ini', { domainId: 'left' })
  createAssignment(other, actor, { personId: 'cyd', role: 'A', initiativeId: 'ini', validFrom: new Date().toISOString() })
  createDomain(other, actor, { id: 'gone', name: 'Gone', parentId: 'left' })
  deleteDomain(other, actor, 'gone')
  updateDomain(other, actor, 'left', { name: 'Left side' })
  deletePerson(other, actor, createPerson(other, actor, { id: 'dee', name: 'Dee', email: 'dee@example.com' }).record.id)
  // And enough more that the index reads them in many steps.
  other.$client.transaction(() => {
    for (let i = 0; i < 3000; i++) createPerson(other, actor, { id: `many${i}`, name: `Many ${i}`, email: `many${i}@example.com` })
  })()
  await mark()

  let caughtUp = false
  const following = followCommit(db, statement(other, 'SELECT max(revision) FROM changes').pluck().get() as number).finally(() => { caughtUp = true })
  t.type(deciderIndex(db), DeciderIndex, 'while it follows, the index answers')
  let turns = 0
  for (; turns < 3 && !caughtUp; turns++) {
    t.strictSame(answers().slice(0, before.length), before, `as before the commit, at every time (turn ${turns})`)
    await turn()
  }
  t.ok(turns > 1, 'over several turns, the index never showing half of what it read')
  createAssignment(db, actor, { personId: 'ada', role: 'A', domainId: 'right', validFrom: FROM })
  t.equal(deciderIndex(db), undefined, 'once this connection has written, the index does not answer')
  t.type(deciderSource(db, FROM), SqlSourceAt, 'SQL does, with the shape as recorded then')
  const fromSql = answers()
  await following
  t.type(deciderIndex(db), DeciderIndex, 'the index answers again once it has caught up')
  t.strictSame(answers(), fromSql, 'with the same answers SQL gave, at every time')
  t.match(resolveDecider(deciderSource(db, instants[1]!), { kind: 'initiative', id: 'ini' }, instants[1]!), { decisionRule: 'single', deciders: [{ personId: 'ada' }] },
    'before the first move: on the left, under the rule it had')
  t.match(resolveDecider(deciderSource(db, instants[3]!), { kind: 'initiative', id: 'ini' }, instants[3]!), { decisionRule: 'unanimous', deciders: [{ personId: 'ada' }] },
    'between the moves: on the right, its decider on leave, and the A given on the right since')
  t.match(resolveDecider(deciderSource(db, instants[4]!), { kind: 'initiative', id: 'ini' }, instants[4]!), { deciders: [{ personId: 'cyd' }] },
    'after the other connection\'s changes')
})
