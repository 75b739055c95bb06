// Hardening: security headers, rate limits, the refused-key limit, 503 under pressure and while closing, timeouts,
// body limits and page caps on every route, and a change log that no route can rewrite.
import { readdirSync, readFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { defaultConfig, packageRoot, type Config } from '../src/config.js'
import { FixedWindows } from '../src/plugins/fixed-windows.js'
import { DOCS_CSP } from '../src/plugins/openapi.js'
import { API_HELMET_OPTIONS, DOCS_HELMET_OPTIONS, helmetHeaders } from '../src/plugins/security-headers.js'
import { generateOpenApi } from '../src/openapi-document.js'
import { ADMIN_TOKEN, assertProblem, buildTestApp, type TestApp } from './helper.js'

const person = (n: number | string): { name: string, email: string } => ({ name: `Person ${n}`, email: `p${n}@example.com` })

/** Resolves once the condition holds, checking every few milliseconds; rejects after a generous bound. */
async function until (condition: () => boolean, what: string, boundMs = 10_000): Promise<void> {
  const started = Date.now()
  while (!condition()) {
    if (Date.now() - started > boundMs) throw new Error(`${what}: not within ${boundMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

t.test('security headers: what @fastify/helmet sets, on every answer, errors included', async (t) => {
  const { call } = await buildTestApp(t)
  const expected = await helmetHeaders(API_HELMET_OPTIONS)
  t.equal(expected['content-security-policy'], "default-src 'none';frame-ancestors 'none'", 'the API allows nothing to load, run or frame it')
  t.equal(expected['x-content-type-options'], 'nosniff')
  t.equal(expected['x-frame-options'], 'DENY')
  t.match(expected['strict-transport-security'], /^max-age=\d+/)
  t.equal(expected['referrer-policy'], 'no-referrer')
  t.equal(expected['cross-origin-resource-policy'], 'same-origin')

  const answers = {
    'a read': await call({ url: '/v1/people' }),
    'a write': await call({ method: 'POST', url: '/v1/people', payload: person(1) }),
    'a public route': await call({ url: '/health', as: null }),
    'the contract': await call({ url: '/openapi.json', as: null }),
    'a 400': await call({ method: 'POST', url: '/v1/people', payload: { name: '' } }),
    'a 401': await call({ url: '/v1/people', as: null }),
    'a 403': await call({ url: '/v1/keys', as: 'reader' }),
    'a 404 of no route': await call({ url: '/v2/nothing' })
  }
  for (const [what, res] of Object.entries(answers)) {
    for (const [name, value] of Object.entries(expected)) t.equal(res.headers[name], value, `${what} (${res.statusCode}): ${name}`)
    t.equal(res.headers['x-powered-by'], undefined)
    t.equal(res.headers['x-xss-protection'], undefined, `${what}: no header that only a page needs`)
  }
})

t.test('/docs has the policy Swagger UI needs, and still serves the page and its assets', async (t) => {
  const { call } = await buildTestApp(t)
  const page = await call({ url: '/docs/', as: null })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  t.equal(page.headers['content-security-policy'], DOCS_CSP)
  for (const [name, value] of Object.entries(await helmetHeaders(DOCS_HELMET_OPTIONS))) t.equal(page.headers[name], value, `the page: ${name}`)
  t.equal(page.headers['cross-origin-opener-policy'], 'same-origin', 'with the headers only a page needs')
  // The page loads only these, all from /docs/static, which the policy's 'self' allows.
  for (const src of page.body.match(/(?:src|href)="[^"]+"/g) ?? []) t.notMatch(src, /https?:|\/\//, `${src} is same-origin`)
  t.notMatch(page.body, /<script>[^<]/, 'no inline script, which the policy would refuse')
  for (const asset of ['/docs/static/swagger-ui-bundle.js', '/docs/static/swagger-ui.css', '/docs/static/swagger-initializer.js', '/docs/json']) {
    const res = await call({ url: asset, as: null })
    t.equal(res.statusCode, 200, asset)
    t.equal(res.headers['content-security-policy'], DOCS_CSP, `${asset} has the docs policy`)
  }
  t.match(DOCS_CSP, /script-src 'self'(;|$)/, 'scripts from the page\'s own origin only')
  t.notMatch(DOCS_CSP, /unsafe-(inline|eval)/)
})

t.test('per-key rate limit: 429 with Retry-After and problem details past the budget, counted per key', async (t) => {
  const { call, app } = await buildTestApp(t, { rateLimit: 3, rateLimitWindowMs: 60_000 })
  const remaining: unknown[] = []
  for (let i = 0; i < 3; i++) {
    const res = await call({ url: '/v1/people' })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['x-ratelimit-limit'], '3')
    remaining.push(res.headers['x-ratelimit-remaining'])
  }
  t.same(remaining, ['2', '1', '0'], 'each answer says what is left')
  const refused = await call({ method: 'POST', url: '/v1/people', payload: person(2) })
  const problem = assertProblem(t, refused, 429, 'WHODECIDES_ERR_RATE_LIMITED')
  t.match(problem.detail, /More than 3 requests with this API key within 60 s/)
  const retryAfter = Number(refused.headers['retry-after'])
  t.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${String(refused.headers['retry-after'])}`)
  t.equal((app.runtime.db.$client.prepare('SELECT count(*) AS n FROM people').get() as { n: number }).n, 0, 'the refused write wrote nothing')

  t.equal((await call({ url: '/v1/people', as: 'reader' })).statusCode, 200, 'another key has its own budget')
  t.equal((await call({ url: '/v1/people', as: null })).statusCode, 401, 'a request without a key is refused by auth first')

  // Without a key (the public routes) the budget is the address's.
  for (let i = 0; i < 3; i++) t.equal((await call({ url: '/health', as: null })).statusCode, 200)
  const byAddress = assertProblem(t, await call({ url: '/health', as: null }), 429, 'WHODECIDES_ERR_RATE_LIMITED')
  t.match(byAddress.detail, /from this address/)
  t.equal((await call({ url: '/health', as: null, remoteAddress: '10.0.0.2' })).statusCode, 200, 'another address has its own')
})

t.test('refused keys: past the limit an address gets 429 before its key is even looked at', async (t) => {
  const { call } = await buildTestApp(t, { authFailureLimit: 3, authFailureWindowMs: 60_000 })
  const wrong = { authorization: 'Bearer wd_guess-0000000000000000000000' }
  for (let i = 0; i < 3; i++) assertProblem(t, await call({ url: '/v1/people', as: null, headers: wrong }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  const stopped = await call({ url: '/v1/people', as: null, headers: wrong })
  const problem = assertProblem(t, stopped, 429, 'WHODECIDES_ERR_TOO_MANY_AUTH_FAILURES')
  t.match(problem.detail, /Too many refused API keys from this address/)
  const retryAfter = Number(stopped.headers['retry-after'])
  t.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${String(stopped.headers['retry-after'])}`)
  assertProblem(t, await call({ url: '/v1/people' }), 429, 'WHODECIDES_ERR_TOO_MANY_AUTH_FAILURES')
  t.pass('even a live key from that address waits: the check comes before the lookup')
  assertProblem(t, await call({ url: '/v1/people', as: null }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  t.pass('no Authorization header is no guess: 401 as before')
  t.equal((await call({ url: '/health', as: null, headers: wrong })).statusCode, 200, 'public routes look at no key')
  const elsewhere = { remoteAddress: '10.0.0.9' }
  t.equal((await call({ url: '/v1/people', ...elsewhere })).statusCode, 200, 'another address is not affected')
  assertProblem(t, await call({ url: '/v1/people', as: null, headers: wrong, ...elsewhere }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
})

t.test('the refused-key counter: fixed windows, and a bounded number of addresses', async (t) => {
  const failures = new FixedWindows(2, 1000, 3)
  t.equal(failures.any, false)
  failures.hit('a', 0)
  t.equal(failures.retryAfter('a', 10), 0, 'one failure of two allowed')
  failures.hit('a', 100)
  t.equal(failures.retryAfter('a', 100), 1, 'the limit reached: wait until the window ends')
  t.equal(failures.retryAfter('b', 100), 0, 'per address')
  t.equal(failures.retryAfter('a', 999), 1)
  t.equal(failures.retryAfter('a', 1000), 0, 'a new window')
  t.equal(failures.any, false, 'an ended window is dropped')
  failures.hit('a', 2000)
  failures.hit('b', 2001)
  failures.hit('c', 2002)
  failures.hit('d', 2003)
  failures.hit('d', 2004)
  t.equal(failures.retryAfter('d', 2005), 1, 'a fourth address is tracked')
  failures.hit('a', 2005)
  t.equal(failures.retryAfter('a', 2006), 0, 'by forgetting the oldest, whose count starts again')
})

t.test('the counter never forgets a key over its limit: it forgets the oldest under it, and when full of keys over, a new key is over too', async (t) => {
  const windows = new FixedWindows(2, 1000, 3)
  windows.hit('a', 0)
  windows.hit('a', 1)
  windows.hit('b', 2)
  windows.hit('c', 3)
  windows.hit('c', 4)
  for (let i = 0; i < 100; i++) windows.hit(`other ${i}`, 5 + i)
  t.equal(windows.retryAfter('a', 200), 1, 'a hundred other keys did not flush the first one over its limit')
  t.equal(windows.retryAfter('c', 200), 1, 'nor the second')
  windows.hit('d', 201)
  windows.hit('d', 202)
  t.equal(windows.retryAfter('d', 202), 1, 'the third place goes to a key that reaches its limit')
  t.same(windows.hit('e', 300), { count: Infinity, secondsLeft: 1 }, 'every place held by a key over its limit: a new key counts as over it, until the oldest window ends')
  t.equal(windows.retryAfter('e', 301), 0, 'and is not tracked')
  for (const key of ['a', 'c', 'd']) t.equal(windows.retryAfter(key, 302), 1, `${key} still waits`)
  t.same(windows.hit('e', 1000), { count: 1, secondsLeft: 1 }, 'the oldest window ended: its place is free again')
  t.equal(windows.retryAfter('a', 1000), 0)
  t.equal(windows.retryAfter('c', 1001), 1, 'the other windows still run')
})

/** Sends one request from each of `count` addresses of 10.0.0.0/8. */
async function fromManyAddresses (call: TestApp['call'], count: number, opts: Parameters<TestApp['call']>[0]): Promise<void> {
  for (let i = 1; i <= count; i++) {
    await call({ ...opts, remoteAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` })
  }
}

t.test('refused keys: failures from 10,000 other addresses do not unlock an address, and a new failing address then gets 429 too', async (t) => {
  const { call } = await buildTestApp(t, { authFailureLimit: 1, authFailureWindowMs: 60_000 })
  const wrong = { as: null, headers: { authorization: 'Bearer wd_guess-0000000000000000000000' } }
  const locked = { ...wrong, url: '/v1/people', remoteAddress: '192.0.2.1' }
  assertProblem(t, await call(locked), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  assertProblem(t, await call(locked), 429, 'WHODECIDES_ERR_TOO_MANY_AUTH_FAILURES')
  await fromManyAddresses(call, 10_000, { ...wrong, url: '/v1/people' })
  assertProblem(t, await call(locked), 429, 'WHODECIDES_ERR_TOO_MANY_AUTH_FAILURES')
  t.pass('the first address is still locked out')
  const newcomer = await call({ ...wrong, url: '/v1/people', remoteAddress: '192.0.2.2' })
  assertProblem(t, newcomer, 429, 'WHODECIDES_ERR_TOO_MANY_AUTH_FAILURES')
  t.ok(Number(newcomer.headers['retry-after']) >= 1, 'a new failing address, with no place left to count it, is answered 429')
  t.equal((await call({ url: '/v1/people', remoteAddress: '192.0.2.3' })).statusCode, 200, 'a live key from a new address still gets in')
})

t.test('per-address rate limit: 10,000 other addresses do not flush an address over its budget, nor take the places of API keys', async (t) => {
  const { call } = await buildTestApp(t, { rateLimit: 1, rateLimitWindowMs: 60_000 })
  const health = { url: '/health', as: null, remoteAddress: '192.0.2.1' }
  t.equal((await call(health)).statusCode, 200)
  assertProblem(t, await call(health), 429, 'WHODECIDES_ERR_RATE_LIMITED')
  await fromManyAddresses(call, 10_000, { url: '/health', as: null })
  assertProblem(t, await call(health), 429, 'WHODECIDES_ERR_RATE_LIMITED')
  t.pass('the first address is still over its budget')
  const newcomer = assertProblem(t, await call({ ...health, remoteAddress: '192.0.2.2' }), 429, 'WHODECIDES_ERR_RATE_LIMITED')
  t.match(newcomer.detail, /Every address the service can count is over its budget/, 'every place held by an address over its budget: a new address waits too, and is told why')
  t.equal((await call({ url: '/v1/people', remoteAddress: '192.0.2.3' })).statusCode, 200, 'an API key is counted apart from the addresses')
})

t.test('a key\'s tally: its count in the running window and the whole seconds left of it', async (t) => {
  const windows = new FixedWindows(10, 10_000)
  t.same(windows.hit('k', 0), { count: 1, secondsLeft: 10 })
  t.same(windows.hit('k', 2500), { count: 2, secondsLeft: 8 })
  t.same(windows.hit('other', 2500), { count: 1, secondsLeft: 10 }, 'per key')
  t.same(windows.hit('k', 10_000), { count: 1, secondsLeft: 10 }, 'a new window when the last has ended')
})

t.test('overload: 503 with Retry-After and problem details on every route while a limit is passed', async (t) => {
  // Any heap is over one byte: the plugin's own sample says overloaded, deterministically.
  const { app, call } = await buildTestApp(t, { maxHeapUsedBytes: 1, pressureSampleMs: 10, overloadRetryAfterSeconds: 7 })
  await app.ready()
  await until(() => app.isUnderPressure(), 'the first sample')
  for (const [what, res] of [
    ['a read', await call({ url: '/v1/people' })],
    ['a write', await call({ method: 'POST', url: '/v1/people', payload: person(3) })],
    ['the health check', await call({ url: '/health', as: null })]
  ] as const) {
    const problem = assertProblem(t, res, 503, 'WHODECIDES_ERR_OVERLOADED')
    t.equal(res.headers['retry-after'], '7', `${what}: Retry-After`)
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: security headers too`)
    t.match(problem.detail, /overloaded/)
  }
  t.equal((app.runtime.db.$client.prepare('SELECT count(*) AS n FROM changes WHERE entity = ?').get('people') as { n: number }).n, 0, 'nothing written')
})

t.test('event-loop delay: the start\'s own work is not overload; a blocked loop afterwards is', async (t) => {
  // Samples each second; the delay is a mean over the sample, so a loop blocked for 1.5 s averages well over 10 ms.
  const { app, call } = await buildTestApp(t, { maxEventLoopDelayMs: 10, pressureSampleMs: 1000 })
  await app.ready()
  const readyAt = Date.now()
  const block = (ms: number): void => { const end = Date.now() + ms; while (Date.now() < end); }
  // Blocked right after the start, as compiling the routes does: the sample shows it, and requests still pass.
  block(1500)
  await until(() => app.memoryUsage().eventLoopDelay > 10, 'a sample of the blocked loop')
  t.equal((await call({ url: '/health', as: null })).statusCode, 200, 'within the start\'s grace of five seconds')
  await new Promise((resolve) => setTimeout(resolve, readyAt + 5100 - Date.now()))
  block(1500)
  await until(() => app.isUnderPressure(), 'a sample of the blocked loop')
  assertProblem(t, await call({ url: '/health', as: null }), 503, 'WHODECIDES_ERR_OVERLOADED')
})

t.test('timeouts: the configured values reach the HTTP server', async (t) => {
  for (const config of [defaultConfig, { ...defaultConfig, connectionTimeoutMs: 5000, requestTimeoutMs: 4000, keepAliveTimeoutMs: 3000 }]) {
    const app = await buildApp({ ...config, dbPath: ':memory:', logLevel: 'silent', prettyLogs: false })
    t.teardown(() => app.close())
    await app.listen({ host: '127.0.0.1', port: 0 })
    t.equal(app.server.timeout, config.connectionTimeoutMs, 'connection (socket inactivity) timeout')
    t.equal(app.server.requestTimeout, config.requestTimeoutMs, 'time to receive a whole request')
    t.equal(app.server.keepAliveTimeout, config.keepAliveTimeoutMs, 'idle keep-alive connection')
  }
  t.ok(defaultConfig.connectionTimeoutMs > 0 && defaultConfig.requestTimeoutMs > 0, 'on by default')
})

/** A URL of the route with every :param filled in. */
const concrete = (url: string): string => url.replace(/:[A-Za-z]+/g, 'x')

t.test('body limits: every route that takes a body refuses one over its limit with 413', async (t) => {
  const limits: Partial<Config> = { bodyLimit: 2048, importBodyLimit: 8192 }
  const { app, call } = await buildTestApp(t, limits)
  await app.ready()
  const body = (bytes: number): string => JSON.stringify({ pad: 'x'.repeat(bytes - 10) })
  t.equal(body(2049).length, 2049)
  const withBody = app.routeAccess.filter((r) => !['GET', 'HEAD'].includes(r.method))
  t.ok(withBody.length > 20, `${withBody.length} routes take a body`)
  for (const route of withBody) {
    const limit = route.url === '/v1/import' ? limits.importBodyLimit! : limits.bodyLimit!
    const res = await call({ method: route.method as 'POST', url: concrete(route.url), headers: { 'content-type': 'application/json' }, payload: body(limit + 1) })
    assertProblem(t, res, 413, 'WHODECIDES_ERR_BODY_TOO_LARGE')
  }
  const between = await call({ method: 'POST', url: '/v1/import', headers: { 'content-type': 'application/json' }, payload: body(4096) })
  t.not(between.statusCode, 413, 'the import takes bodies up to its own, larger limit')
})

t.test('page sizes: every paged list caps limit at 500', async (t) => {
  const document = JSON.parse(await generateOpenApi()) as { paths: Record<string, Record<string, { parameters?: Array<{ name: string, in: string, schema: { maximum?: number } }> }>> }
  const { call } = await buildTestApp(t)
  let paged = 0
  for (const [path, item] of Object.entries(document.paths)) {
    const limit = item.get?.parameters?.find((p) => p.in === 'query' && p.name === 'limit')
    if (limit === undefined) continue
    paged++
    t.equal(limit.schema.maximum, 500, `${path}: limit at most 500`)
    const res = await call({ url: `${path.replace(/\{[^}]+\}/g, 'x')}?limit=501` })
    const problem = assertProblem(t, res, 400, 'WHODECIDES_ERR_VALIDATION')
    t.match(problem.errors, [{ in: 'query', path: '/limit' }])
  }
  t.ok(paged >= 10, `${paged} paged lists`)
})

t.test('the change log is append-only', async (t) => {
  t.test('no route but GET reaches it', async (t) => {
    const { app } = await buildTestApp(t)
    await app.ready()
    const onLog = app.routeAccess.filter((r) => r.url === '/v1/changes' || r.url.startsWith('/v1/changes/'))
    t.same(onLog.map((r) => `${r.method} ${r.url}`), ['GET /v1/changes', 'HEAD /v1/changes'])
  })

  t.test('no SQL in the service updates, deletes or replaces an entry', async (t) => {
    const files: string[] = []
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name)
        if (entry.isDirectory()) walk(path)
        else if (/\.(ts|sql)$/.test(entry.name)) files.push(path)
      }
    }
    walk(join(packageRoot(), 'src'))
    walk(join(packageRoot(), 'db'))
    t.ok(files.length > 50)
    const rewrites = [
      /\b(UPDATE|DELETE\s+FROM|REPLACE\s+INTO|INSERT\s+OR\s+REPLACE\s+INTO|DROP\s+TABLE|TRUNCATE)\s+[`"']?changes\b/i,
      /\.(update|delete)\(\s*changes\s*\)/
    ]
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      for (const pattern of rewrites) t.notMatch(text, pattern, `${file.slice(packageRoot().length + 1)}: ${String(pattern)}`)
    }
    t.match(readFileSync(join(packageRoot(), 'src/store/change-log.ts'), 'utf8'), /INSERT INTO changes/, 'the scan does see the one insert')
  })

  t.test('writes through every kind of route leave earlier entries as they were', async (t) => {
    const { app, call } = await buildTestApp(t)
    const entries = (): Array<Record<string, unknown>> => app.runtime.db.$client.prepare('SELECT * FROM changes ORDER BY revision').all() as Array<Record<string, unknown>>
    const created = (await call({ method: 'POST', url: '/v1/people', payload: person(4) })).json()
    await call({ method: 'POST', url: '/v1/domains', payload: { id: 'pricing', name: 'Pricing' } })
    const before = entries()
    t.ok(before.length >= 2)
    t.equal((await call({ method: 'PATCH', url: `/v1/people/${String(created.id)}`, payload: { title: 'CEO' } })).statusCode, 200)
    const key = (await call({ method: 'POST', url: '/v1/keys', payload: { label: 'tool', role: 'reader' } })).json()
    t.equal((await call({ method: 'DELETE', url: `/v1/keys/${String(key.id)}` })).statusCode, 204)
    t.equal((await call({ method: 'DELETE', url: '/v1/domains/pricing' })).statusCode, 204)
    const bundle = (await call({ url: '/v1/export' })).json()
    t.equal((await call({ method: 'POST', url: '/v1/import?mode=replace', payload: bundle })).statusCode, 200)
    const after = entries()
    t.same(after.slice(0, before.length), before, 'every earlier entry is unchanged')
    t.ok(after.length > before.length + 3, `${after.length - before.length} entries appended`)
    t.same(after.map((e) => e.revision), [...after.map((e) => e.revision)].sort((a, b) => Number(a) - Number(b)), 'in revision order')
  })
})

/** Reads what a raw connection receives until the server closes it. */
async function readAll (socket: Socket): Promise<string> {
  let text = ''
  socket.setEncoding('utf8').on('data', (chunk: string) => { text += chunk })
  return await new Promise((resolve, reject) => { socket.on('end', () => resolve(text)); socket.on('error', reject) })
}

async function open (port: number): Promise<Socket> {
  return await new Promise((resolve, reject) => { const socket = connect(port, '127.0.0.1', () => resolve(socket)); socket.on('error', reject) })
}

t.test('closing: a request in flight completes, a request that starts later gets a 503 problem, new connections are refused', async (t: Test) => {
  const app = await buildApp({ ...defaultConfig, dbPath: ':memory:', bootstrapKey: ADMIN_TOKEN, logLevel: 'silent', prettyLogs: false })
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  const port = (app.server.address() as { port: number }).port
  const auth = `Authorization: Bearer ${ADMIN_TOKEN}\r\n`

  // B: a request whose headers are not finished, so its connection is not idle when the close begins.
  const late = await open(port)
  const lateAnswer = readAll(late)
  late.write(`GET /v1/people HTTP/1.1\r\nHost: x\r\n${auth}`)
  // A: a write whose body is not finished: in flight, past every onRequest hook.
  const body = JSON.stringify(person(5))
  const inFlight = await open(port)
  const inFlightAnswer = readAll(inFlight)
  inFlight.write(`POST /v1/people HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`)
  // One full round trip after both were sent: by its answer the server has read what came before it.
  t.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200)

  const closed = app.close()
  await until(() => !app.server.listening, 'the server to stop listening')
  late.write('\r\n')
  inFlight.write(body.slice(5))
  const [lateText, inFlightText] = await Promise.all([lateAnswer, inFlightAnswer])

  t.match(inFlightText, /^HTTP\/1.1 201 /, 'the write in flight completes')
  t.match(inFlightText, /\r\nconnection: close\r\n/i, 'and its answer tells the client to hang up')
  t.match(lateText, /^HTTP\/1.1 503 /, 'the request that started after gets 503')
  t.match(lateText, /\r\ncontent-type: application\/problem\+json/i)
  t.match(lateText, /\r\nconnection: close\r\n/i)
  t.match(lateText, /\r\nretry-after: 5\r\n/i)
  t.match(JSON.parse(lateText.slice(lateText.indexOf('\r\n\r\n') + 4)), { status: 503, code: 'WHODECIDES_ERR_SHUTTING_DOWN' })
  await t.rejects(open(port), { code: 'ECONNREFUSED' }, 'new connections are refused')
  await closed
})
