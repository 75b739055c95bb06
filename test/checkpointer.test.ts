// The write-ahead log is checkpointed by the checkpointer's thread, not by the server's connection; if the thread
// dies, the connection checkpoints again itself.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { Checkpointer } from '../src/checkpointer.js'
import { openDatabase } from '../src/database.js'
import { buildTestApp } from './helper.js'

const settle = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

t.test('the app on a file: its connection never checkpoints, the thread does', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-checkpoint-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'registry.db')
  const { app } = await buildTestApp(t, { dbPath: path })
  const sqlite = app.db.$client
  t.equal(sqlite.pragma('wal_autocheckpoint', { simple: true }), 0, 'the server\'s connection leaves checkpoints to the thread')

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
  t.equal(db.$client.pragma('wal_autocheckpoint', { simple: true }), 0)
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
  t.equal(db.$client.pragma('wal_autocheckpoint', { simple: true }), 0, 'a thread stopped on purpose hands nothing back: the connection is closing')
})
