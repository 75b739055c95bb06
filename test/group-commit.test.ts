// Group commit: writes that arrive together commit together, each all-or-nothing, each answered only once durable.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import t, { type Test } from 'tap'
import { BUSY_TIMEOUT_MS, openDatabase, statement, type Db } from '../src/store/connection.js'
import { recordChange, transact } from '../src/store/change-log.js'
import { GroupCommit } from '../src/store/group-commit.js'
import { createPerson, updatePerson } from '../src/services/people.js'
import { assertProblem, buildTestApp } from './helper.js'

/** Each connection's group commit, as the runtime holds one for its connection. */
const groupCommits = new Map<Db, GroupCommit>()
const groupCommitOf = (db: Db): GroupCommit => {
  let writes = groupCommits.get(db)
  if (writes === undefined) groupCommits.set(db, writes = new GroupCommit(db))
  return writes
}
const queueWrite = async <T>(db: Db, write: () => T): Promise<T> => await groupCommitOf(db).queue(write)

const actor = { keyId: null, label: 'test' }

/** A registry in a file of its own, and a second connection to it: what another reader of the file sees. */
function fileRegistry (t: Test): { db: Db, other: Database.Database } {
  const file = join(t.testdir(), 'registry.db')
  const db = openDatabase(file)
  const other = new Database(file, { readonly: true })
  t.teardown(() => { other.close(); db.$client.close() })
  return { db, other }
}

const titleIn = (other: Database.Database, id: string): unknown =>
  (other.prepare('SELECT title FROM people WHERE id = ?').get(id) as { title: string | null } | undefined)?.title

t.test('a queued write runs after the current turn and settles only once committed', async (t) => {
  const { db, other } = fileRegistry(t)
  createPerson(db, actor, { id: 'ada', name: 'Ada', email: 'ada@example.com' })
  const written = queueWrite(db, () => updatePerson(db, actor, 'ada', { title: 'Countess' }))
  t.equal(titleIn(other, 'ada'), null, 'not written yet while the turn that queued it runs')
  t.notOk(db.$client.inTransaction, 'and no transaction is left open meanwhile')
  const result = await written
  t.equal(result.record.title, 'Countess')
  t.equal(titleIn(other, 'ada'), 'Countess', 'committed, for every connection, when the promise settles')
  t.notOk(db.$client.inTransaction)
})

t.test('writes queued together: a failing one is rolled back alone, the others commit', async (t) => {
  const { db, other } = fileRegistry(t)
  for (const id of ['ada', 'bob']) createPerson(db, actor, { id, name: id, email: `${id}@example.com` })
  const before = (other.prepare('SELECT count(*) AS n FROM changes').get() as { n: number }).n
  const outcomes = await Promise.allSettled([
    queueWrite(db, () => updatePerson(db, actor, 'ada', { title: 'first' })),
    queueWrite(db, () => updatePerson(db, actor, 'bob', { title: 'half-written', managerId: 'nobody' })),
    queueWrite(db, () => updatePerson(db, actor, 'ada', { title: 'second' }, '"1"')),
    queueWrite(db, () => { updatePerson(db, actor, 'bob', { title: 'written, then failed' }); throw new Error('fails after writing') }),
    queueWrite(db, () => updatePerson(db, actor, 'bob', { title: 'third' }))
  ])
  t.same(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled'])
  t.match((outcomes[3] as PromiseRejectedResult).reason, { message: 'fails after writing' })
  t.match((outcomes[1] as PromiseRejectedResult).reason, { code: 'WHODECIDES_ERR_UNKNOWN_REFERENCE' })
  t.match((outcomes[2] as PromiseRejectedResult).reason, { code: 'WHODECIDES_ERR_PRECONDITION_FAILED' }, 'saw the first write of its own batch')
  t.equal(titleIn(other, 'ada'), 'first')
  t.equal(titleIn(other, 'bob'), 'third', 'the failed writes left nothing behind')
  t.match(other.prepare("SELECT version FROM people WHERE id = 'bob'").get(), { version: 2 }, 'bob moved one version, not two')
  const entries = other.prepare('SELECT entity_id AS id, after FROM changes WHERE revision > ? ORDER BY revision').all(before) as Array<{ id: string, after: string }>
  t.same(entries.map((e) => [e.id, JSON.parse(e.after).title]), [['ada', 'first'], ['bob', 'third']], 'one change-log entry per write that held')
  t.same(other.prepare('SELECT count(*) AS n FROM history WHERE sys_to IS NULL GROUP BY entity_id').all(), [{ n: 1 }, { n: 1 }], 'one current version each')
})

t.test('a commit that fails fails every write of its batch, and writes none of them', async (t) => {
  const { db, other } = fileRegistry(t)
  createPerson(db, actor, { id: 'ada', name: 'Ada', email: 'ada@example.com' })
  const revision = (other.prepare('SELECT max(revision) AS r FROM changes').get() as { r: number }).r
  // A foreign key checked at COMMIT, left broken by the batch's second write: SQLite refuses the whole commit.
  const outcomes = await Promise.allSettled([
    queueWrite(db, () => updatePerson(db, actor, 'ada', { title: 'lost' })),
    queueWrite(db, () => {
      statement(db, 'PRAGMA defer_foreign_keys = ON').run()
      statement(db, "INSERT INTO person_statuses (person_id, status, valid_from) VALUES ('nobody', 'active', '2026-01-01T00:00:00.000Z')").run()
      return recordChange(db, actor, '2026-01-01T00:00:00.000Z', { entity: 'people', entityId: 'nobody', action: 'update', before: null, after: null })
    })
  ])
  t.same(outcomes.map((o) => o.status), ['rejected', 'rejected'])
  t.match((outcomes[0] as PromiseRejectedResult).reason, { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })
  t.equal(titleIn(other, 'ada'), null, 'the write that held in its savepoint is gone too')
  t.equal((other.prepare('SELECT max(revision) AS r FROM changes').get() as { r: number }).r, revision, 'no change-log entry')
  t.notOk(db.$client.inTransaction, 'the connection is usable again')
  t.equal((await queueWrite(db, () => updatePerson(db, actor, 'ada', { title: 'kept' }))).record.title, 'kept')
})

t.test('a long queue commits in several transactions, every write in order', async (t) => {
  const { db, other } = fileRegistry(t)
  createPerson(db, actor, { id: 'ada', name: 'Ada', email: 'ada@example.com' })
  const results = await Promise.all(Array.from({ length: 600 }, async (_, i) =>
    await queueWrite(db, () => updatePerson(db, actor, 'ada', { title: `title ${i}` }))))
  t.same(results.map((r) => r.record.version), Array.from({ length: 600 }, (_, i) => i + 2), 'each write saw the one before')
  t.equal(titleIn(other, 'ada'), 'title 599')
})

t.test('a queued write may not return a promise: its writes would land outside the transaction', async (t) => {
  const { db } = fileRegistry(t)
  await t.rejects(queueWrite(db, async () => await Promise.resolve(1)), TypeError)
  t.notOk(db.$client.inTransaction)
})

t.test('transact: nested calls are savepoints; a failure rolls back its own part only', async (t) => {
  const { db, other } = fileRegistry(t)
  createPerson(db, actor, { id: 'ada', name: 'Ada', email: 'ada@example.com' })
  transact(db, () => {
    updatePerson(db, actor, 'ada', { title: 'outer' })
    t.throws(() => transact(db, () => {
      updatePerson(db, actor, 'ada', { title: 'inner' })
      throw new Error('inner fails')
    }), /inner fails/)
    t.equal(titleIn(other, 'ada'), null, 'nothing is visible before the outer commit')
  })
  t.equal(titleIn(other, 'ada'), 'outer')
  t.throws(() => transact(db, () => { updatePerson(db, actor, 'ada', { title: 'gone' }); throw new Error('outer fails') }), /outer fails/)
  t.equal(titleIn(other, 'ada'), 'outer')
  t.notOk(db.$client.inTransaction)
})

t.test('over HTTP: concurrent writes of many kinds, each answered with its own outcome', async (t) => {
  const { call } = await buildTestApp(t)
  t.equal((await call({ method: 'POST', url: '/v1/people', payload: { id: 'ada', name: 'Ada', email: 'ada@example.com', tags: ['a'] } })).statusCode, 201)
  t.equal((await call({ method: 'POST', url: '/v1/domains', payload: { id: 'ops', name: 'Ops' } })).statusCode, 201)
  t.equal((await call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'i0', title: 'Zero', domainId: 'ops' } })).statusCode, 201)
  // Concurrent: they reach their handlers in any order (a body is parsed before its handler runs), so none of them
  // depends on another's outcome.
  const answers = await Promise.all([
    call({ method: 'POST', url: '/v1/people', payload: { id: 'bob', name: 'Bob', email: 'bob@example.com' } }),
    call({ method: 'PATCH', url: '/v1/people/ada', payload: { title: 'Countess', tags: ['a', 'b'] } }),
    call({ method: 'POST', url: '/v1/people', payload: { id: 'cy', name: 'Cy', email: 'ADA@example.com' } }),
    call({ method: 'PATCH', url: '/v1/people/nobody', payload: { title: 'x' } }),
    call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'i1', title: 'One', domainId: 'ops' } }),
    call({ method: 'DELETE', url: '/v1/domains/ops' })
  ])
  t.same(answers.map((a) => a.statusCode), [201, 200, 409, 404, 201, 409])
  assertProblem(t, answers[2]!, 409, 'WHODECIDES_ERR_CONFLICT')
  assertProblem(t, answers[3]!, 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, answers[5]!, 409, 'WHODECIDES_ERR_IN_USE')
  const revisions = [answers[0]!, answers[1]!, answers[4]!].map((a) => Number(a.headers['x-revision']))
  t.equal(new Set(revisions).size, 3, 'a change-log revision of its own for each write')
  t.match((await call({ url: '/v1/people/ada' })).json(), { title: 'Countess', tags: ['a', 'b'], email: 'ada@example.com', version: 2 })
  t.equal((await call({ url: '/v1/people/cy' })).statusCode, 404, 'the refused create wrote nothing')
  t.equal((await call({ url: '/v1/domains/ops' })).statusCode, 200, 'the refused delete removed nothing')
})

t.test('a transaction left open between turns: the queued writes wait for its end instead of joining it', async (t) => {
  const { db, other } = fileRegistry(t)
  createPerson(db, actor, { id: 'ada', name: 'Ada', email: 'ada@example.com' })
  statement(db, 'BEGIN IMMEDIATE').run()
  let settled = false
  const written = queueWrite(db, () => updatePerson(db, actor, 'ada', { title: 'Countess' })).finally(() => { settled = true })
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve))
  t.equal(settled, false, 'not answered while the other transaction is open')
  t.equal((statement(db, 'SELECT title FROM people WHERE id = ?').get('ada') as { title: string | null }).title, null,
    'nor written into it, where a rollback would take it away')
  statement(db, 'ROLLBACK').run()
  t.equal((await written).record.title, 'Countess', 'run once that transaction has ended')
  t.equal(titleIn(other, 'ada'), 'Countess', 'and committed')
})

t.test('the write lock held by another connection: queued writes wait for it in later turns, in order, the thread free', async (t) => {
  const { db } = fileRegistry(t)
  createPerson(db, actor, { id: 'ada', name: 'Ada', email: 'ada@example.com' })
  createPerson(db, actor, { id: 'bob', name: 'Bob', email: 'bob@example.com' })
  // As the audit process does while it stores a run. On this thread: were a write to wait for the lock here, in
  // SQLite's busy handler, the lock could never be given back, and the write would fail after the busy timeout.
  const writer = new Database(db.$client.name)
  t.teardown(() => { writer.close() })
  writer.prepare('BEGIN IMMEDIATE').run()
  const settled: string[] = []
  const first = queueWrite(db, () => updatePerson(db, actor, 'ada', { title: 'first' })).finally(() => settled.push('first'))
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setTimeout(resolve, 1))
  const second = queueWrite(db, () => updatePerson(db, actor, 'bob', { title: 'second' })).finally(() => settled.push('second'))
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setTimeout(resolve, 1))
  t.strictSame(settled, [], 'neither is answered while the lock is held, and timers ran meanwhile')
  writer.prepare('COMMIT').run()
  const [a, b] = await Promise.all([first, second])
  t.strictSame([a.record.title, b.record.title], ['first', 'second'], 'both are written once it is free')
  t.ok(a.revision < b.revision, 'in the order they came')
  t.equal(db.$client.pragma('busy_timeout', { simple: true }), BUSY_TIMEOUT_MS, 'other statements still wait out the busy timeout')
})

t.test('the write lock held past the busy timeout: the write answers 503 and writes nothing; lookups are answered meanwhile', async (t) => {
  const { app, call } = await buildTestApp(t, { dbPath: join(t.testdir(), 'registry.db') })
  t.equal((await call({ method: 'POST', url: '/v1/people', payload: { id: 'ada', name: 'Ada', email: 'ada@example.com' } })).statusCode, 201)
  const writer = new Database(app.runtime.db.$client.name)
  t.teardown(() => { writer.close() })
  writer.prepare('BEGIN IMMEDIATE').run()
  const answered: string[] = []
  const patch = call({ method: 'PATCH', url: '/v1/people/ada', payload: { title: 'Countess' } }).finally(() => answered.push('write'))
  await new Promise((resolve) => setTimeout(resolve, 20))
  const lookup = await call({ url: '/v1/people/ada', as: 'reader' }).finally(() => answered.push('read'))
  t.equal(lookup.statusCode, 200)
  assertProblem(t, await patch, 503, 'WHODECIDES_ERR_UNAVAILABLE')
  t.strictSame(answered, ['read', 'write'], 'a read sent while the write waits is answered first')
  writer.prepare('ROLLBACK').run()
  t.equal((await call({ url: '/v1/people/ada' })).json().title, null, 'nothing written')
  t.equal((await call({ method: 'PATCH', url: '/v1/people/ada', payload: { title: 'Countess' } })).statusCode, 200, 'the lock free, the write goes through')
})

// Every write of the API but an import and one with an Idempotency-Key goes through the group commit: while another
// connection holds the lock (the audit process storing a run) none may put the thread to sleep in SQLite's busy
// handler. There, the read below would be answered only after the write had given up, 5 s later, with a 503.
const writesOfEveryKind: { name: string, method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, status: number }[] = [
  { name: 'a person changed', method: 'PATCH', url: '/v1/people/ada', payload: { title: 'Countess' }, status: 200 },
  { name: 'a key issued', method: 'POST', url: '/v1/keys', payload: { label: 'reporting', role: 'reader' }, status: 201 },
  { name: 'a key revoked', method: 'DELETE', url: '/v1/keys/{spare}', status: 204 },
  { name: 'a rule set', method: 'PATCH', url: '/v1/rules/consult-overload', payload: { enabled: false }, status: 200 },
  { name: 'a waiver granted', method: 'POST', url: '/v1/waivers', payload: { fingerprint: 'abc123', reason: 'Known', expiresAt: '2999-01-01T00:00:00Z' }, status: 201 },
  { name: 'a waiver withdrawn', method: 'DELETE', url: '/v1/waivers/{waiver}', status: 204 }
]

for (const write of writesOfEveryKind) {
  t.test(`${write.name}, while another connection holds the write lock: reads are answered meanwhile, the write once it is free`, async (t) => {
    const { app, call } = await buildTestApp(t, { dbPath: join(t.testdir(), 'registry.db') })
    t.equal((await call({ method: 'POST', url: '/v1/people', payload: { id: 'ada', name: 'Ada', email: 'ada@example.com' } })).statusCode, 201)
    const spare = (await call({ method: 'POST', url: '/v1/keys', payload: { label: 'spare', role: 'reader' } })).json().id as string
    const waiver = (await call({ method: 'POST', url: '/v1/waivers', payload: { fingerprint: 'def456', reason: 'Known', expiresAt: '2999-01-01T00:00:00Z' } })).json().id as string
    const writer = new Database(app.runtime.db.$client.name)
    t.teardown(() => { writer.close() })
    writer.prepare('BEGIN IMMEDIATE').run()
    const answered: string[] = []
    const url = write.url.replace('{spare}', spare).replace('{waiver}', waiver)
    const pending = call({ method: write.method, url, ...(write.payload === undefined ? {} : { payload: write.payload }) }).finally(() => answered.push('write'))
    await new Promise((resolve) => setTimeout(resolve, 20))
    const read = await call({ url: '/v1/people/ada', as: 'reader' }).finally(() => answered.push('read'))
    t.equal(read.statusCode, 200)
    t.strictSame(answered, ['read'], 'the read is answered while the write waits for the lock')
    writer.prepare('COMMIT').run()
    const res = await pending
    t.equal(res.statusCode, write.status, res.body)
    t.strictSame(answered, ['read', 'write'])
  })
}

t.test('the write lock cannot be asked for at all (the connection closed): every queued write fails with that error', async (t) => {
  const { db } = fileRegistry(t)
  createPerson(db, actor, { id: 'ada', name: 'Ada', email: 'ada@example.com' })
  const writes = [
    queueWrite(db, () => updatePerson(db, actor, 'ada', { title: 'first' })),
    queueWrite(db, () => updatePerson(db, actor, 'ada', { title: 'second' }))
  ]
  db.$client.close()
  for (const write of writes) await t.rejects(write, /not open/, 'rejected, not left waiting')
})
