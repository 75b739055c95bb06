// A server slow to start is not stopped by a timer: fastify's plugin timeout (10 s by default, which also bounds each
// onReady hook) is off, since the start-up's time grows with the registry and with the host's load.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mock } from 'node:test'
import t from 'tap'
import { buildApp } from '../src/app.js'
import { defaultConfig } from '../src/config.js'

const PAUSE = new Int32Array(new SharedArrayBuffer(4))

t.test('a start-up that lasts past fastify\'s 10 s plugin timeout completes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-start-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  // A database file: the start-up waits for its checkpointer thread to open a connection of its own (src/runtime.ts).
  const app = await buildApp({ ...defaultConfig, dbPath: join(dir, 'registry.db'), logLevel: 'silent', prettyLogs: false })
  t.teardown(async () => { await app.close() })
  // The main thread's setTimeout is fastify's clock; the thread starts on real time, elsewhere. While the start-up
  // waits on it, the clock is moved 11 s at a time: by fastify's clock, the start-up takes that long and more.
  mock.timers.enable({ apis: ['setTimeout'] })
  const start: { outcome: 'pending' | 'ready' | Error } = { outcome: 'pending' }
  const ready = app.ready().then(() => { start.outcome = 'ready' }, (err: Error) => { start.outcome = err })
  let seconds = 0
  try {
    while (start.outcome === 'pending') {
      mock.timers.tick(11_000)
      seconds += 11
      // 50 ms of real time, idle (no timer: setTimeout is mocked), then the events that came meanwhile.
      Atomics.wait(PAUSE, 0, 0, 50)
      await new Promise((resolve) => setImmediate(resolve))
    }
  } finally {
    mock.timers.reset()
  }
  await ready
  const { outcome } = start
  t.equal(outcome instanceof Error ? `${outcome.name}: ${outcome.message}` : outcome, 'ready', 'the app started')
  t.ok(seconds >= 22, `the start-up lasted ${seconds} s by fastify's clock`)
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'and answers')
})
