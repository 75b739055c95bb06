// Online backup (`npm run backup -- <file>`): taken from the real server's database while writes go on, the copy opens,
// passes integrity_check, holds every write acknowledged before the backup began, and restores as the README says.
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import t, { type Test } from 'tap'
import { BackupError, backupDatabase } from '../src/store/backup.js'
import { openDatabase } from '../src/store/connection.js'
import { checkAcks, checkChangeLog, checkExport, checkMultiRow, checkSqlite } from './crash/checks.js'
import { seeded } from './crash/random.js'
import { Workload } from './crash/workload.js'
import { endProcess, runCli, startServer, type Running } from './real-server.js'

const TOKEN = 'wd_backup-test-admin-key-0123456789abcdef'
/** Writes acknowledged before the backup starts: enough records of every kind for the copy to be worth checking. */
const BEFORE_BACKUP = 150

function tempDir (t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-backup-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** The real server on dbFile; the overload guard is off, as a process just started on a busy machine trips it. */
async function serve (t: Test, dbFile: string): Promise<Running> {
  const running = await startServer({ WHODECIDES_DB: dbFile, WHODECIDES_BOOTSTRAP_KEY: TOKEN, WHODECIDES_MAX_EVENT_LOOP_DELAY_MS: '0' })
  t.teardown(async () => { await endProcess(running, 'SIGKILL') })
  return running
}

async function get (running: Running, path: string): Promise<{ status: number, body: any }> {
  const res = await fetch(running.baseUrl + path, { headers: { authorization: `Bearer ${TOKEN}` } })
  return { status: res.status, body: await res.json() }
}

/** All the checks of a copy against the writes it must hold; an empty list when all pass. */
function checkCopy (file: string, workload: { acks: Workload['acks'], bundles: Workload['bundles'] }): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return [...checkSqlite(db), ...checkChangeLog(db), ...checkAcks(db, workload.acks), ...checkMultiRow(db, workload.bundles)]
  } finally {
    db.close()
  }
}

t.test('a backup under write load holds every write acknowledged before it began, and restores', async (t) => {
  const dir = tempDir(t)
  const dbFile = join(dir, 'live', 'whodecides.db')
  const backupFile = join(dir, 'backups', 'whodecides-backup.db')
  const server = await serve(t, dbFile)

  const workload = new Workload(seeded(1), TOKEN, 'b')
  let stopWrites = (): void => {}
  const writing = workload.burst(server.baseUrl, 4, new Promise<void>((resolve) => { stopWrites = resolve }))
  while (workload.acks.length < BEFORE_BACKUP) await sleep(20)

  // What the copy must hold: every write acknowledged by now. Bundles are copied, as their `acked` changes later.
  const before = { acks: workload.acks.slice(), bundles: workload.bundles.map((b) => ({ ...b })) }
  const backup = await runCli(['backup', backupFile], { WHODECIDES_DB: dbFile })
  const duringBackup = workload.acks.length - before.acks.length
  stopWrites()
  const figures = await writing

  t.equal(backup.code, 0, `the backup exits 0 ${backup.stderr}`)
  t.equal(backup.stderr, '', 'and prints no error')
  t.match(backup.stdout, `backup of ${dbFile} written to ${backupFile}\n`, 'it names the database and the copy')
  t.match(backup.stdout, /^integrity_check: ok$/m, 'it prints the integrity check of the copy')
  t.match(backup.stdout, /^size: \d+\.\d MiB \(\d+ bytes, \d+ pages\)$/m, 'and its size')
  t.ok(duringBackup > 0, `writes went on while the backup ran: ${duringBackup} acknowledged meanwhile`)
  t.same(figures.serverErrors, [], 'no write failed with a 5xx')
  t.comment(`backup: ${before.acks.length} writes acknowledged before it, ${duringBackup} during it; ${backup.stdout.trim().split('\n').pop() ?? ''}`)

  t.same(checkCopy(backupFile, before), [], `the copy passes integrity_check and foreign_key_check, and holds all ${before.acks.length} acknowledged writes`)
  const copy = new Database(backupFile, { readonly: true })
  t.equal(copy.pragma('journal_mode', { simple: true }), 'delete', 'the copy is one self-contained file')
  copy.close()
  t.notOk(existsSync(`${backupFile}-wal`), 'with no -wal beside it')

  // A write after the backup: a restore must not have it.
  const after = await fetch(`${server.baseUrl}/v1/people`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'after-the-backup', name: 'After The Backup', email: 'after@example.com' })
  })
  t.equal(after.status, 201)

  // Restore, first way: start a service with WHODECIDES_DB naming (a copy of) the backup.
  const beside = join(dir, 'restored', 'whodecides.db')
  mkdirSync(join(dir, 'restored'))
  copyFileSync(backupFile, beside)
  const restored = await serve(t, beside)
  const exported = await get(restored, '/v1/export')
  t.equal(exported.status, 200)
  const besideDb = new Database(beside, { readonly: true })
  t.same(checkExport(besideDb, exported.body), [], 'a service started on the copy serves exactly what its change log holds')
  besideDb.close()
  t.equal((await get(restored, '/v1/people/after-the-backup')).status, 404, 'and not the write made after the backup')
  await endProcess(restored, 'SIGTERM')

  // Restore, second way (the README's steps): stop the service, put the copy in place of the file, remove the
  // file's -wal and -shm, start it again.
  const stopped = await endProcess(server, 'SIGTERM')
  t.equal(stopped.code, 0, 'the service stops cleanly')
  copyFileSync(backupFile, dbFile)
  rmSync(`${dbFile}-wal`, { force: true })
  rmSync(`${dbFile}-shm`, { force: true })
  const again = await serve(t, dbFile)
  t.equal((await get(again, '/health')).status, 200, 'the service starts on the restored file')
  t.equal((await get(again, '/v1/people/after-the-backup')).status, 404, 'the write made after the backup is gone')
  t.same(checkCopy(dbFile, before), [], 'and every write acknowledged before the backup is there')
  const last = before.acks.findLast((a) => a.entity === 'people' && a.body !== null)!
  const person = await get(again, `/v1/people/${last.id}`)
  t.equal(person.status, 200)
  t.ok((person.body.version as number) >= (last.body!.version as number), 'served at the acknowledged version or a later one')
})

t.test('backup errors: one line, a non-zero exit, nothing written', async (t) => {
  const dir = tempDir(t)
  const dbFile = join(dir, 'whodecides.db')
  openDatabase(dbFile).$client.close()
  const taken = join(dir, 'taken.db')
  writeFileSync(taken, 'an older backup')
  const env = { WHODECIDES_DB: dbFile }

  const [noFile, exists, missing, badOption, walForced] = await Promise.all([
    runCli(['backup'], env),
    runCli(['backup', taken], env),
    runCli(['backup', join(dir, 'never.db')], { WHODECIDES_DB: join(dir, 'missing.db') }),
    runCli(['backup', join(dir, 'never.db'), '--frce'], env),
    runCli(['backup', `${dbFile}-wal`, '--force'], env)
  ])
  const oneLine = (text: string): string[] => text.trimEnd().split('\n')

  t.not(noFile.code, 0, 'no file → a non-zero exit')
  t.match(oneLine(noFile.stderr), [/^whodecides: backup: name the file to write/], 'and one line saying what is missing')

  t.not(exists.code, 0, 'an existing file → a non-zero exit')
  t.same(oneLine(exists.stderr), [`whodecides: ${taken} already exists: name a new file, or add --force to replace it`])
  t.equal(readFileSync(taken, 'utf8'), 'an older backup', 'the existing file is left as it was')

  t.not(missing.code, 0, 'no database → a non-zero exit')
  t.same(oneLine(missing.stderr), [`whodecides: no database at ${join(dir, 'missing.db')}: set WHODECIDES_DB to the file the service uses`])
  t.notOk(existsSync(join(dir, 'missing.db')), 'no database is created')

  t.equal(walForced.code, 1, 'the database\'s -wal, even with --force → exit code 1')
  t.same(oneLine(walForced.stderr), [`whodecides: ${dbFile}-wal is the database's -wal file: name another file`])
  t.notOk(existsSync(`${dbFile}-wal`), 'and no -wal was written')

  t.not(badOption.code, 0, 'an unknown option → a non-zero exit')
  t.match(oneLine(badOption.stderr), [/^whodecides: Unknown option '--frce'/])
  t.notOk(existsSync(join(dir, 'never.db')), 'and no failed run wrote a file')

  const forced = await runCli(['backup', taken, '--force'], env)
  t.equal(forced.code, 0, '--force replaces an existing file')
  t.match(forced.stdout, /^integrity_check: ok$/m)
  const copy = new Database(taken, { readonly: true })
  t.same(checkSqlite(copy), [], 'with a sound copy')
  copy.close()
})

t.test('backupDatabase refuses what would lose data, and replaces cleanly when told to', async (t) => {
  const dir = tempDir(t)
  const dbFile = join(dir, 'whodecides.db')
  openDatabase(dbFile).$client.close()

  await t.rejects(backupDatabase(':memory:', join(dir, 'x.db')), new BackupError('the database is in memory (":memory:"): there is no file to back up'))
  await t.rejects(backupDatabase(dbFile, dbFile, { overwrite: true }), new BackupError(`${dbFile} is the database itself: name another file`),
    'never the database onto itself, even with --force')
  await t.rejects(backupDatabase(dbFile, dir), new BackupError(`${dir} is a folder: name the backup file, e.g. ${join(dir, 'whodecides-backup.db')}`))

  await t.rejects(backupDatabase(join(dir, 'none.db'), join(dir, 'x.db')),
    new BackupError(`no database at ${join(dir, 'none.db')}: set WHODECIDES_DB to the file the service uses`))
  const first = join(dir, 'nested', 'first.db')
  const made = await backupDatabase(dbFile, first)
  t.match(made, { source: dbFile, destination: first, integrity: ['ok'] }, 'a missing folder of the destination is created')
  t.ok(made.bytes > 0 && made.pages > 0, 'and the size is reported')
  await t.rejects(backupDatabase(dbFile, first), new BackupError(`${first} already exists: name a new file, or add --force to replace it`))

  // A -wal left beside an old file would be replayed into the new one: replacing a file removes it.
  const target = join(dir, 'old.db')
  writeFileSync(target, 'old')
  writeFileSync(`${target}-wal`, 'a stale log')
  const result = await backupDatabase(dbFile, target, { overwrite: true })
  t.same(result.integrity, ['ok'])
  t.notOk(existsSync(`${target}-wal`), 'the stale -wal is gone')
  const copy = new Database(target, { readonly: true })
  t.same(checkChangeLog(copy), [], 'the copy opens as a registry')
  copy.close()
  t.same(readdirSync(dir).filter((name) => name.includes('.partial')), [], 'no partial file is left behind')
})

t.test('never, even with --force, onto the database, its -wal, -shm or -journal, a link to one, or what is not a regular file', async (t) => {
  const dir = tempDir(t)
  const dbFile = join(dir, 'whodecides.db')
  // The service's connection, open: its -wal holds commits not yet in the database file.
  const live = openDatabase(dbFile)
  t.teardown(() => live.$client.close())
  live.$client.pragma('wal_autocheckpoint = 0')
  live.$client.exec("CREATE TABLE scratch (x TEXT); INSERT INTO scratch VALUES ('acknowledged')")
  const wal = readFileSync(`${dbFile}-wal`)
  t.ok(wal.length > 0, 'the -wal holds the last commits')

  symlinkSync(`${dbFile}-wal`, join(dir, 'link-to-wal'))
  symlinkSync(dbFile, join(dir, 'link-to-db'))
  linkSync(`${dbFile}-shm`, join(dir, 'hard-link-to-shm'))
  symlinkSync('/dev/null', join(dir, 'link-to-null'))
  writeFileSync(join(dir, 'older.db'), 'an older backup')
  symlinkSync(join(dir, 'older.db'), join(dir, 'link-to-older'))
  execFileSync('mkfifo', [join(dir, 'fifo')])
  mkdirSync(join(dir, 'sub'))
  const cases: Array<[string, string, boolean?]> = [
    [`${dbFile}-wal`, `${dbFile}-wal is the database's -wal file: name another file`],
    [`${dbFile}-shm`, `${dbFile}-shm is the database's -shm file: name another file`],
    [`${dbFile}-journal`, `${dbFile}-journal is the database's -journal file: name another file`],
    [join(dir, 'sub', '..', 'whodecides.db-wal'), `${dbFile}-wal is the database's -wal file: name another file`],
    [join(dir, 'link-to-wal'), `${join(dir, 'link-to-wal')} is the database's -wal file (through a link): name another file`],
    [join(dir, 'link-to-db'), `${join(dir, 'link-to-db')} is the database itself (through a link): name another file`],
    [join(dir, 'hard-link-to-shm'), `${join(dir, 'hard-link-to-shm')} is the database's -shm file (through a link): name another file`],
    [join(dir, 'fifo'), `${join(dir, 'fifo')} is not a regular file (a FIFO): name another file`],
    [join(dir, 'link-to-null'), `${join(dir, 'link-to-null')} is not a regular file (a character device): name another file`],
    // Replacing it would replace the link, not the file it points to.
    [join(dir, 'link-to-older'), `${join(dir, 'link-to-older')} is a symbolic link: name the file it points to, or another file`],
    // Without --force only: with it, code that renamed over a device would replace /dev/null itself.
    ['/dev/null', '/dev/null is not a regular file (a character device): name another file', false]
  ]
  for (const [destination, message, forceToo] of cases) {
    for (const overwrite of forceToo === false ? [false] : [false, true]) {
      await t.rejects(backupDatabase(dbFile, destination, { overwrite }), new BackupError(message), `${destination}${overwrite ? ' --force' : ''}: refused`)
    }
  }
  // Replacing a file removes the -wal and -shm beside it: never when one of them is the database.
  const odd = join(dir, 'odd.db')
  openDatabase(`${odd}-wal`).$client.close()
  for (const overwrite of [false, true]) {
    await t.rejects(backupDatabase(`${odd}-wal`, odd, { overwrite }),
      new BackupError(`${odd} would take the database's files with it (its -wal or -shm is the database): name another file`), 'a file whose -wal is the database: refused')
  }
  t.ok(existsSync(`${odd}-wal`), 'that database is still there')

  t.ok(readFileSync(`${dbFile}-wal`).equals(wal), 'the -wal is as it was')
  t.ok(lstatSync(join(dir, 'fifo')).isFIFO(), 'the FIFO is still one')
  t.ok(lstatSync(join(dir, 'link-to-null')).isSymbolicLink(), 'the links are still links')
  t.ok(lstatSync(join(dir, 'link-to-older')).isSymbolicLink())
  t.equal(readFileSync(join(dir, 'older.db'), 'utf8'), 'an older backup', 'to the files they were')
  t.notOk(existsSync(`${dbFile}-journal`), 'no -journal was written')
  t.same(readdirSync(dir).filter((name) => name.includes('.partial')), [], 'no temporary file is left behind')
  t.equal(live.$client.prepare('SELECT x FROM scratch').pluck().get(), 'acknowledged', 'the service reads on')
  const other = new Database(dbFile, { readonly: true })
  t.equal(other.prepare('SELECT x FROM scratch').pluck().get(), 'acknowledged', 'and a new connection sees the acknowledged write')
  other.close()
})

t.test('the copy is written under a name no one can guess, never through a planted link, and readable by its owner only', async (t) => {
  const dir = tempDir(t)
  const dbFile = join(dir, 'whodecides.db')
  openDatabase(dbFile).$client.close()
  const to = join(dir, 'backup.db')
  // A link where the temporary copy used to go (its name was the destination's and the process id), to a file
  // another user cares about.
  const victim = join(dir, 'victim')
  writeFileSync(victim, 'precious')
  symlinkSync(victim, join(dir, `.backup.db.${process.pid}.partial`))

  const old = process.umask(0o002)
  const made = await backupDatabase(dbFile, to).finally(() => process.umask(old))
  t.same(made.integrity, ['ok'])
  t.equal(readFileSync(victim, 'utf8'), 'precious', 'the file behind the planted link is untouched')
  t.ok(lstatSync(to).isFile(), 'the copy is a file of its own')
  t.equal(lstatSync(to).mode & 0o777, 0o600, 'readable and writable by its owner only, whatever the umask')

  const replaced = join(dir, 'replaced.db')
  writeFileSync(replaced, 'an older backup', { mode: 0o644 })
  await backupDatabase(dbFile, replaced, { overwrite: true })
  t.equal(lstatSync(replaced).mode & 0o777, 0o600, 'a replaced file is too')
  const copy = new Database(replaced, { readonly: true })
  t.same(checkChangeLog(copy), [], 'and holds the copy')
  copy.close()
})
