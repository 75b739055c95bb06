// The write-ahead log is copied into the database file by the checkpointer's thread; the server's connection keeps
// SQLite's own checkpoint, which keeps the log short under writes that never pause.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { Checkpointer } from '../src/checkpointer.js'
import { openDatabase, type Db } from '../src/database.js'
import { buildTestApp } from './helper.js'

const settle = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

function database (t: Test): { db: Db, path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-checkpoint-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'registry.db')
  const db = openDatabase(path)
  t.teardown(() => db.$client.close())
  db.$client.exec('CREATE TABLE ballast (data BLOB)')
  return { db, path }
}

t.test('the app on a file: its thread copies the log into the database file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-checkpoint-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'registry.db')
  const { app } = await buildTestApp(t, { dbPath: path })
  const sqlite = app.db.$client
  sqlite.exec('CREATE TABLE ballast (data BLOB)')
  const before = statSync(path).size
  // 2 MiB: below the 1000 pages at which the server's connection would checkpoint itself.
  sqlite.prepare('INSERT INTO ballast VALUES (randomblob(2 * 1024 * 1024))').run()
  t.ok(statSync(`${path}-wal`).size > 2 * 1024 * 1024, 'the write is in the log')
  for (let i = 0; i < 50 && statSync(path).size === before; i++) await settle(100)
  t.ok(statSync(path).size >= before + 2 * 1024 * 1024, 'the thread copied it into the database file')
})

t.test('stopping the thread checkpoints what is left', async (t) => {
  const { db, path } = database(t)
  const checkpointer = await Checkpointer.start(db, 60_000)
  const before = statSync(path).size
  db.$client.prepare('INSERT INTO ballast VALUES (randomblob(1024 * 1024))').run()
  t.equal(statSync(path).size, before, 'no checkpoint within the minute between ticks')
  await checkpointer.stop()
  t.ok(statSync(path).size >= before + 1024 * 1024, 'the last checkpoint, on stopping')
})

t.test('writes that never pause: the log stays short', async (t) => {
  const { db, path } = database(t)
  const checkpointer = await Checkpointer.start(db, 1)
  t.teardown(async () => { await checkpointer.stop() })
  const insert = db.$client.prepare('INSERT INTO ballast VALUES (randomblob(64 * 1024))')
  let largest = 0
  for (let i = 0; i < 512; i++) { // 32 MiB, one commit after another, never leaving the thread a moment without a write
    insert.run()
    largest = Math.max(largest, statSync(`${path}-wal`).size)
  }
  // SQLite's 1000 pages (4 MiB), and one commit beyond.
  t.ok(largest < 5 * 1024 * 1024, `the log never grew past its limit (largest ${largest} bytes)`)
})
