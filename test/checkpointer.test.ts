// The write-ahead log is checkpointed by the checkpointer's thread; the server's connection only past a large log
// (under writes that never pause), or again at SQLite's own threshold if the thread dies.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { Checkpointer, LOG_LIMIT_PAGES } from '../src/checkpointer.js'
import { openDatabase } from '../src/database.js'
import { buildTestApp } from './helper.js'

const settle = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

t.test('the app on a file: the thread checkpoints, the server\'s connection only past a large log', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-checkpoint-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'registry.db')
  const { app } = await buildTestApp(t, { dbPath: path })
  const sqlite = app.db.$client
  t.equal(sqlite.pragma('wal_autocheckpoint', { simple: true }), LOG_LIMIT_PAGES, 'the server\'s connection leaves checkpoints to the thread')

  sqlite.exec('CREATE TABLE ballast (data BLOB)')
  const before = statSync(path).size
  sqlite.prepare('INSERT INTO ballast VALUES (randomblob(4 * 1024 * 1024))').run()
  t.ok(statSync(`${path}-wal`).size > 4 * 1024 * 1024, 'the write is in the log')
  for (let i = 0; i < 50 && statSync(path).size === before; i++) await settle(100)
  t.ok(statSync(path).size >= before + 4 * 1024 * 1024, 'the thread copied it into the database file')
})

t.test('a thread that dies hands checkpoints back to the connection; stopping one checkpoints what is left', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-checkpoint-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'registry.db')
  const db = openDatabase(path)
  t.teardown(() => db.$client.close())

  const dying = await Checkpointer.start(db, 60_000)
  t.equal(db.$client.pragma('wal_autocheckpoint', { simple: true }), LOG_LIMIT_PAGES)
  await dying.terminate()
  await settle(50)
  t.equal(db.$client.pragma('wal_autocheckpoint', { simple: true }), 1000, 'SQLite\'s own checkpoints again')

  const stopping = await Checkpointer.start(db, 60_000)
  db.$client.exec('CREATE TABLE ballast (data BLOB)')
  const before = statSync(path).size
  db.$client.prepare('INSERT INTO ballast VALUES (randomblob(1024 * 1024))').run()
  t.equal(statSync(path).size, before, 'no checkpoint within the minute between ticks')
  await stopping.stop()
  t.ok(statSync(path).size >= before + 1024 * 1024, 'the last checkpoint, on stopping')
  t.equal(db.$client.pragma('wal_autocheckpoint', { simple: true }), LOG_LIMIT_PAGES, 'a thread stopped on purpose hands nothing back: the connection is closing')
})

t.test('writes that never pause: the log is kept to its limit all the same', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-checkpoint-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'registry.db')
  const db = openDatabase(path)
  t.teardown(() => db.$client.close())
  const checkpointer = await Checkpointer.start(db, 1, 256) // a checkpoint every millisecond; 1 MiB of log at most
  t.teardown(async () => { await checkpointer.stop() })
  db.$client.exec('CREATE TABLE ballast (data BLOB)')
  const insert = db.$client.prepare('INSERT INTO ballast VALUES (randomblob(64 * 1024))')
  let largest = 0
  for (let i = 0; i < 256; i++) { // 16 MiB, a commit after another, never leaving the thread a moment without a write
    insert.run()
    largest = Math.max(largest, statSync(`${path}-wal`).size)
  }
  t.ok(largest < 4 * 1024 * 1024, `the log never grew past a few times its limit (largest ${largest} bytes)`)
})
