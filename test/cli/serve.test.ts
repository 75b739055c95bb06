// `whodecides serve` starts the service as src/server.ts does, on the database of --db, and closes on SIGTERM.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { endProcess, listening, spawnEntry } from '../real-server.js'
import { PROCESSES_MS, tempDir, whodecides } from './run.js'

t.setTimeout(PROCESSES_MS)

t.test('serve listens on the database named by --db, and ends cleanly on SIGTERM', async (t) => {
  const dir = tempDir(t)
  const db = join(dir, 'served.db')
  const proc = spawnEntry({}, ['bin/whodecides.mjs', 'serve', '--db', db, '--port', '0'])
  t.teardown(async () => { await endProcess(proc, 'SIGKILL') })
  const url = await listening(proc)
  const health = await fetch(`${url}/health`)
  t.equal(health.status, 200, 'the service answers')
  t.ok(existsSync(db), 'on the database file named')
  t.ok(existsSync(join(dir, 'admin.key')), 'which got its first admin key, as on any first start')
  t.same(await endProcess(proc, 'SIGTERM'), { code: 0, signal: null }, 'SIGTERM reaches the service through the launcher: it closes and exits 0')

  const keys = await whodecides(['keys', 'list', '--db', db])
  t.match(keys.stdout, /^\S+ +first admin +admin +\S+$/m, 'the keys command reads the same database')
})
