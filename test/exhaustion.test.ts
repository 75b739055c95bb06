// Running out of file descriptors never ends the process: connections past the cap get a 503, a failed system call in a
// timer or on a server event is logged and survived, an audit whose process cannot start answers 503 — and once the
// connections close, the service answers again. The real server (test/real-server.ts) under a lowered `ulimit -n`.
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { defaultConfig } from '../src/config.js'
import { connectionsWithin, DEFAULT_MAX_CONNECTIONS, OWN_DESCRIPTORS } from '../src/descriptor-limit.js'
import { toProblem } from '../src/plugins/problem-details.js'
import { API_HELMET_OPTIONS, helmetHeaders } from '../src/plugins/security-headers.js'
import { RecurringFailure } from '../src/recurring-failure.js'
import { auditProcesses, ended } from './audit-processes.js'
import { endProcess, listening, spawnEntry, type Running, type ServerProcess } from './real-server.js'

/** The usual default soft limit of a Linux login; the server starts well under it (Node's loader opens files in parallel). */
const DESCRIPTOR_LIMIT = 1024
/** More idle connections than the server has descriptors. */
const IDLE_CONNECTIONS = 1200
const TOKEN = 'wd_exhaustion-test-admin-key-0123456789abcdef'

async function until (condition: () => boolean | Promise<boolean>, what: string, boundMs = 20_000): Promise<void> {
  const started = Date.now()
  while (!(await condition())) {
    if (Date.now() - started > boundMs) throw new Error(`${what}: not within ${boundMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Resolves with the first line of the process's output that matches, from now on. */
async function line (proc: ServerProcess, pattern: RegExp, boundMs = 20_000): Promise<string> {
  let stop = (): void => {}
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${String(pattern)} within ${boundMs} ms:\n${proc.output().slice(-3000)}`)), boundMs)
      stop = proc.onLine((text) => { if (pattern.test(text)) { clearTimeout(timer); resolve(text) } })
    })
  } finally {
    stop()
  }
}

async function start (t: Test, env: Record<string, string>): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-exhaustion-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const proc = spawnEntry({ WHODECIDES_DB: join(dir, 'whodecides.db'), WHODECIDES_BOOTSTRAP_KEY: TOKEN, ...env }, undefined, DESCRIPTOR_LIMIT)
  t.teardown(async () => { await endProcess(proc, 'SIGKILL') })
  return { ...proc, baseUrl: await listening(proc) }
}

/** Opens idle connections that send nothing; each keeps what the server writes to it. */
function openIdle (port: number, count: number): { sockets: Socket[], received: string[] } {
  const sockets: Socket[] = []
  const received: string[] = []
  for (let i = 0; i < count; i++) {
    received.push('')
    const socket = connect(port, '127.0.0.1')
    socket.setEncoding('utf8').on('data', (chunk: string) => { received[i] += chunk }).on('error', () => { /* closed by the server */ })
    sockets.push(socket)
  }
  return { sockets, received }
}

const portOf = (running: Running): number => Number(new URL(running.baseUrl).port)

/** GET /health on a fresh connection; its status, or the error's code when no answer came. */
async function health (running: Running): Promise<number | string> {
  try {
    const res = await fetch(`${running.baseUrl}/health`, { signal: AbortSignal.timeout(3000), headers: { connection: 'close' } })
    await res.arrayBuffer()
    return res.status
  } catch (err) {
    return String((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name)
  }
}

const alive = (running: Running): boolean => running.child.exitCode === null && running.child.signalCode === null

t.test('the default cap leaves room under the descriptor limit for the service\'s own files', async (t) => {
  t.equal(connectionsWithin(1024), 1024 - OWN_DESCRIPTORS)
  t.equal(connectionsWithin(64), 32, 'a low limit: half for connections')
  t.equal(connectionsWithin(1), 1)
  t.equal(connectionsWithin(1_048_576), DEFAULT_MAX_CONNECTIONS, 'a high limit: no more than one process serves')
  t.equal(connectionsWithin(Number.POSITIVE_INFINITY), DEFAULT_MAX_CONNECTIONS)
  t.equal(connectionsWithin(undefined), DEFAULT_MAX_CONNECTIONS, 'an unknown limit')
  t.ok(defaultConfig.maxConnections >= 1 && defaultConfig.maxConnections <= DEFAULT_MAX_CONNECTIONS, `this machine: ${defaultConfig.maxConnections}`)
})

t.test('out of descriptors in a request is 503 (retry later), not 500', async (t) => {
  for (const code of ['EMFILE', 'ENFILE']) {
    const problem = toProblem(Object.assign(new Error(`${code}: too many open files, spawn`), { code }))
    t.equal(problem.statusCode, 503, code)
    t.equal(problem.code, 'WHODECIDES_ERR_UNAVAILABLE')
    t.notMatch(problem.message, /spawn/, 'the system call is not shown')
  }
})

t.test('a recurring failure is counted every time and logged at most once per interval', async (t) => {
  const lines: Array<Record<string, unknown>> = []
  const log = { error: (fields: Record<string, unknown>, message: string) => lines.push({ ...fields, message }) }
  const failure = new RecurringFailure(log as never, 'cannot do it', 'error', 1000)
  for (const now of [0, 10, 20, 999, 1000, 1500, 2100]) failure.record(new Error('EMFILE'), now)
  t.equal(failure.total, 7)
  t.same(lines.map((l) => [l.times, l.total, l.message]), [[1, 1, 'cannot do it'], [4, 5, 'cannot do it'], [2, 7, 'cannot do it']])
})

t.test('past the connection cap a new connection gets a 503 problem with the headers, and is served again once one closes', async (t) => {
  const app = await buildApp({ ...defaultConfig, dbPath: ':memory:', logLevel: 'silent', prettyLogs: false, maxEventLoopDelayMs: 0, maxConnections: 2, overloadRetryAfterSeconds: 3 })
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  const port = (app.server.address() as { port: number }).port
  const url = `http://127.0.0.1:${port}/health`
  // Two keep-alive connections, each known to the server: it has answered a request on each.
  const held = await Promise.all([0, 1].map(async () => await new Promise<Socket>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'))
    socket.once('data', () => resolve(socket))
  })))
  const refused = await fetch(url, { headers: { connection: 'close' } })
  t.equal(refused.status, 503)
  t.equal(refused.headers.get('retry-after'), '3')
  t.equal(refused.headers.get('content-type'), 'application/problem+json; charset=utf-8')
  for (const [name, value] of Object.entries(await helmetHeaders(API_HELMET_OPTIONS))) t.equal(refused.headers.get(name), value, name)
  const problem = await refused.json() as Record<string, unknown>
  t.match(problem, { status: 503, code: 'WHODECIDES_ERR_OVERLOADED', detail: /2 connections open/ })
  t.equal(refused.headers.get('x-request-id'), problem.requestId)

  held[0]!.destroy()
  await until(async () => (await fetch(url, { headers: { connection: 'close' } })).status === 200, 'a request once a connection closed')
  held[1]!.destroy()
})

t.test('the real server under `ulimit -n`, more idle connections than descriptors', async (t) => {
  t.test('with the default cap: the connections past it get a 503, and the process answers once they close', async (t) => {
    // Resident memory checked, so that the sampler reads /proc (a descriptor) twenty times a second.
    const server = await start(t, { WHODECIDES_PRESSURE_SAMPLE_MS: '50', WHODECIDES_MAX_RSS_BYTES: String(2 ** 49) })
    t.equal(await health(server), 200)
    const refusing = line(server, /refusing connections/)
    const idle = openIdle(portOf(server), IDLE_CONNECTIONS)
    await refusing
    await until(() => idle.received.some((text) => text.startsWith('HTTP/1.1 503 ')), 'a refused connection\'s answer')
    const answer = idle.received.find((text) => text.startsWith('HTTP/1.1 503 '))!
    t.match(answer, /\r\nx-content-type-options: nosniff\r\n/, 'the refusal carries the security headers')
    t.match(answer, /"code":"WHODECIDES_ERR_OVERLOADED"/)
    await new Promise((resolve) => setTimeout(resolve, 500))
    t.ok(alive(server), 'the process is still up after ten samples')
    t.equal(await health(server), 503, 'a new connection meanwhile: 503, not a hang')

    for (const socket of idle.sockets) socket.destroy()
    await until(async () => await health(server) === 200, 'GET /health once the connections closed')
    t.ok(alive(server))
  })

  t.test('with a cap above what the limit allows: failed system calls are survived, and an audit that cannot start its process gets 503', async (t) => {
    const server = await start(t, { WHODECIDES_MAX_CONNECTIONS: '100000', WHODECIDES_PRESSURE_SAMPLE_MS: '50', WHODECIDES_MAX_RSS_BYTES: String(2 ** 49), WHODECIDES_HEADERS_TIMEOUT_MS: '60000' })
    t.match(server.output(), /WHODECIDES_MAX_CONNECTIONS leaves too few file descriptors/, 'the start warns of the cap')
    // A connection opened before the descriptors run out, to ask on while they are.
    const client = await new Promise<Socket>((resolve) => { const socket = connect(portOf(server), '127.0.0.1', () => resolve(socket)) })
    t.teardown(() => client.destroy())
    let answers = ''
    client.setEncoding('utf8').on('data', (chunk: string) => { answers += chunk })
    const ask = async (request: string): Promise<string> => {
      const before = answers.length
      client.write(request)
      await until(() => /\r\n\r\n[^]*\}$/.test(answers.slice(before)), 'an answer on the open connection')
      return answers.slice(before)
    }
    const audit = `POST /v1/audits HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`
    t.match(await ask(audit), /^HTTP\/1.1 201 /, 'an audit while descriptors are free')
    // Its process stopped, the next audit starts a fresh one: with no descriptor left for its channel.
    await until(() => auditProcesses(server.child.pid).length === 1, 'the audit process')
    const [auditPid] = auditProcesses(server.child.pid)
    process.kill(auditPid!, 'SIGKILL')
    await until(() => ended(auditPid!), 'the audit process to end')

    const sampling = line(server, /cannot sample the process/)
    const idle = openIdle(portOf(server), IDLE_CONNECTIONS)
    await sampling
    await new Promise((resolve) => setTimeout(resolve, 500))
    t.ok(alive(server), 'the process is still up after ten samples without a descriptor')
    const refused = await ask(audit)
    t.match(refused, /^HTTP\/1.1 503 /, 'an audit that cannot start its process: 503')
    t.match(refused, /"code":"WHODECIDES_ERR_UNAVAILABLE"/)
    t.match(refused, /\r\nx-content-type-options: nosniff\r\n/)
    const person = JSON.stringify({ name: 'Ada', email: 'ada@example.com' })
    const write = `POST /v1/people HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${person.length}\r\n\r\n${person}`
    t.match(await ask(write), /^HTTP\/1.1 201 /, 'a write needs no new descriptor: it commits')

    for (const socket of idle.sockets) socket.destroy()
    await until(async () => await health(server) === 200, 'GET /health once the connections closed')
    t.match(await ask(audit), /^HTTP\/1.1 201 /, 'the next audit starts its process again')
    t.ok(alive(server))
  })
})
