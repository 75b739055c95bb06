// The write-ahead log is copied into the database file by the checkpointer's thread; the server's connection
// finishes a checkpoint only when the thread asks (writes that never pause), or checkpoints itself if the thread dies.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { Checkpointer, LOG_LIMIT_FRAMES } from '../src/store/checkpointer.js'
import { openDatabase, type Db } from '../src/store/connection.js'
import { buildTestApp } from './helper.js'
import { plainEnv, ROOT } from './real-server.js'

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
  // Ready, as the server is before it listens: the runtime has started its checkpointer.
  await app.ready()
  const sqlite = app.runtime.db.$client
  t.equal(sqlite.pragma('wal_autocheckpoint', { simple: true }), 0, 'the server\'s connection leaves checkpoints to the thread')
  sqlite.exec('CREATE TABLE ballast (data BLOB)')
  const before = statSync(path).size
  sqlite.prepare('INSERT INTO ballast VALUES (randomblob(2 * 1024 * 1024))').run()
  t.ok(statSync(`${path}-wal`).size > 2 * 1024 * 1024, 'the write is in the log')
  for (let i = 0; i < 100 && statSync(path).size < before + 2 * 1024 * 1024; i++) await settle(100)
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
  t.equal(db.$client.pragma('wal_autocheckpoint', { simple: true }), 0, 'a thread stopped on purpose hands nothing back: the connection is closing')
})

/** 512 commits of 64 KiB (32 MiB), one every turn of the event loop; the log's largest size on the way, in bytes. */
async function writeWithoutPause (t: Test): Promise<number> {
  const { db, path } = database(t)
  const checkpointer = await Checkpointer.start(db, 1, 256) // a checkpoint every millisecond; 1 MiB of log asks for help
  t.teardown(async () => { await checkpointer.stop() })
  const insert = db.$client.prepare('INSERT INTO ballast VALUES (randomblob(64 * 1024))')
  let largest = 0
  for (let i = 0; i < 512; i++) {
    insert.run()
    largest = Math.max(largest, statSync(`${path}-wal`).size)
    await new Promise((resolve) => setImmediate(resolve))
  }
  return largest
}

t.test('writes that never pause: the request thread finishes what the thread copied, and the log stays short', async (t) => {
  const largest = await writeWithoutPause(t)
  t.ok(largest < 8 * 1024 * 1024, `the log never grew far past its limit (largest ${largest} bytes)`)
  t.equal(LOG_LIMIT_FRAMES, 4096, 'the server asks at 16 MiB')
})

t.test('the same while other processes keep every core busy: the thread is not starved', async (t) => {
  // At the lowest priority the thread got almost no time beside them: the log grew to 20–38 MB.
  const spinners = Array.from({ length: availableParallelism() }, () => spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' }))
  t.teardown(() => { for (const spinner of spinners) spinner.kill('SIGKILL') })
  const largest = await writeWithoutPause(t)
  t.ok(largest < 8 * 1024 * 1024, `the log never grew far past its limit (largest ${largest} bytes)`)
})

t.test('a thread that dies hands checkpoints back to the server\'s connection', async (t) => {
  const { db } = database(t)
  const dying = await Checkpointer.start(db, 60_000)
  t.equal(db.$client.pragma('wal_autocheckpoint', { simple: true }), 0)
  await dying.terminate()
  await settle(50)
  t.equal(db.$client.pragma('wal_autocheckpoint', { simple: true }), 1000, 'SQLite\'s own checkpoints again')
})

t.test('the thread starts under tsx in a process given a V8 heap size (as `whodecides import` runs)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-checkpoint-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const script = join(dir, 'start.mts')
  writeFileSync(script, `import { openDatabase } from ${JSON.stringify(join(ROOT, 'src/store/connection.ts'))}
    import { Checkpointer } from ${JSON.stringify(join(ROOT, 'src/store/checkpointer.ts'))}
    const checkpointer = await Checkpointer.start(openDatabase(${JSON.stringify(join(dir, 'registry.db'))}))
    await checkpointer.stop()
    console.log('started and stopped')\n`)
  const child = spawn('/bin/sh', ['-c', 'unset NODE_OPTIONS; exec "$@"', 'sh', process.execPath, '--max-semi-space-size=64', '--import', 'tsx', script],
    { cwd: ROOT, env: plainEnv({}), stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  t.equal(code, 0, output)
  t.match(output, /started and stopped/)
})
