// What the service leaves on disk and hands on: the database and its companion files are their owner's alone, and
// the bootstrap key stays out of the audit process's environment.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { defaultConfig } from '../src/config.js'
import { openDatabase } from '../src/store/connection.js'
import { auditProcesses } from './audit-processes.js'
import { ADMIN_TOKEN } from './helper.js'

function tempDir (t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-on-disk-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

const modeOf = (file: string): string => (statSync(file).mode & 0o777).toString(8).padStart(4, '0')

/** Runs fn under the given umask, then puts the old one back. */
function withUmask<T> (mask: number, fn: () => T): T {
  const old = process.umask(mask)
  try {
    return fn()
  } finally {
    process.umask(old)
  }
}

t.test('a new database and its -wal, -shm and -journal are readable by their owner only, whatever the umask', async (t) => {
  const dir = tempDir(t)
  const file = join(dir, 'data', 'whodecides.db')
  // A umask that lets the group and others read what is created: the modes must not depend on it.
  const db = withUmask(0o002, () => openDatabase(file))
  db.$client.exec("CREATE TABLE scratch (x TEXT); INSERT INTO scratch VALUES ('p')")
  t.equal(modeOf(file), '0600', 'the database file')
  t.equal(modeOf(`${file}-wal`), '0600', 'its write-ahead log, which SQLite creates')
  t.equal(modeOf(`${file}-shm`), '0600', 'its shared-memory index, which SQLite creates')
  db.$client.close()

  // A rollback journal appears only while a connection in that mode writes (a restore tool, the sqlite3 shell).
  const other = withUmask(0o002, () => new Database(file))
  other.pragma('journal_mode = DELETE')
  other.exec('BEGIN IMMEDIATE')
  other.exec("UPDATE scratch SET x = 'q'")
  t.equal(modeOf(`${file}-journal`), '0600', 'a rollback journal')
  other.exec('COMMIT')
  other.close()

  const again = openDatabase(file)
  t.equal(again.$client.prepare('SELECT x FROM scratch').pluck().get(), 'q', 'the file opens again as the registry, with what was written')
  again.$client.close()
})

t.test('the audit process gets the server\'s environment but the bootstrap key', async (t) => {
  const dir = tempDir(t)
  const kept = 'WHODECIDES_TEST_KEPT'
  process.env.WHODECIDES_BOOTSTRAP_KEY = ADMIN_TOKEN
  process.env[kept] = 'kept'
  t.teardown(() => {
    delete process.env.WHODECIDES_BOOTSTRAP_KEY
    delete process.env[kept]
  })
  const before = new Set(auditProcesses())
  const app = await buildApp({ ...defaultConfig, dbPath: join(dir, 'whodecides.db'), bootstrapKey: ADMIN_TOKEN, logLevel: 'silent', prettyLogs: false })
  t.teardown(() => app.close())
  // The audit routes start the process once the app is ready, ahead of the first audit.
  await app.ready()
  let started: number[] = []
  for (let waited = 0; started.length === 0 && waited < 10_000; waited += 20) {
    started = auditProcesses().filter((pid) => !before.has(pid))
    if (started.length === 0) await sleep(20)
  }
  t.equal(started.length, 1, 'the audit process started')
  const environment = readFileSync(`/proc/${started[0]!}/environ`, 'utf8').split('\0')
  t.ok(environment.includes(`${kept}=kept`), 'it has the server\'s environment')
  t.notOk(environment.some((entry) => entry.startsWith('WHODECIDES_BOOTSTRAP_KEY=')), 'but not WHODECIDES_BOOTSTRAP_KEY')
  t.notOk(environment.some((entry) => entry.includes(ADMIN_TOKEN)), 'nor the key under any name')
})
