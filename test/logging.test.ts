// Logs: JSON lines with the request id on every line of a request; keys never logged; a 500 logged, not shown.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.js'
import { defaultConfig, type Config } from '../src/config.js'
import { requestLogger } from '../src/request-logger.js'
import { ADMIN_TOKEN, assertProblem } from './helper.js'

interface Captured {
  app: FastifyInstance
  /** Every raw line written so far. */
  raw: string[]
  /** The lines written since the given index, parsed. */
  since: (from: number) => Array<Record<string, any>>
}

async function buildLoggedApp (t: Test, overrides: Partial<Config> = {}, beforeReady?: (app: FastifyInstance) => void): Promise<Captured> {
  const raw: string[] = []
  const app = await buildApp(
    { ...defaultConfig, dbPath: ':memory:', bootstrapKey: ADMIN_TOKEN, logLevel: 'trace', prettyLogs: false, ...overrides },
    { logStream: { write: (line) => { raw.push(line) } } })
  t.teardown(() => app.close())
  beforeReady?.(app)
  await app.ready()
  const since = (from: number): Array<Record<string, any>> => raw.slice(from).map((line) => JSON.parse(line) as Record<string, any>)
  return { app, raw, since }
}

t.test('every line of a request is JSON and carries its request id', async (t) => {
  const { app, raw, since } = await buildLoggedApp(t)
  const requests = [
    { method: 'GET' as const, url: '/health' },
    { method: 'GET' as const, url: '/v1/people', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
    { method: 'GET' as const, url: '/v1/people' },
    { method: 'POST' as const, url: '/v1/people', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { name: '' } },
    { method: 'GET' as const, url: '/no/such/route' }
  ]
  for (const request of requests) {
    const from = raw.length
    const res = await app.inject(request)
    const lines = since(from)
    t.ok(lines.length >= 2, `${request.method} ${request.url} (${res.statusCode}) logs its start and its end`)
    for (const line of lines) {
      t.equal(line.reqId, res.headers['x-request-id'], `"${String(line.msg)}" names the request's id`)
      t.type(line.level, 'number')
      t.type(line.time, 'number')
    }
    t.ok(lines.some((line) => line.res?.statusCode === res.statusCode), 'the status is logged')
  }
})

t.test('keys never reach a log line', async (t) => {
  const { app, raw } = await buildLoggedApp(t)
  const wrong = 'wd_a-wrong-token-that-is-long-enough-0123'
  await app.inject({ method: 'GET', url: '/v1/people', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
  await app.inject({ method: 'GET', url: '/v1/people', headers: { authorization: `Bearer ${wrong}` } })
  await app.inject({ method: 'GET', url: '/v1/people', headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` } })
  const all = raw.join('')
  t.ok(raw.length >= 6, 'the requests were logged')
  t.notOk(all.includes(ADMIN_TOKEN), 'the admin token is in no line')
  t.notOk(all.includes(wrong), 'nor a refused token')
  t.notOk(all.includes(Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')), 'nor any Authorization value')

  app.log.info({ token: ADMIN_TOKEN, key: { token: ADMIN_TOKEN }, bootstrapKey: ADMIN_TOKEN, req: { headers: { authorization: ADMIN_TOKEN } } }, 'a careless line')
  const careless = JSON.parse(raw.at(-1) ?? '{}') as Record<string, any>
  t.equal(careless.msg, 'a careless line')
  t.notOk(raw.at(-1)?.includes(ADMIN_TOKEN), 'a later change that logs a token by mistake is redacted')
  t.equal(careless.token, '[redacted]')
})

t.test('a token sent in the query string is redacted from every line, whatever the parameter\'s case or spelling', async (t) => {
  const { app, raw, since } = await buildLoggedApp(t)
  const names = ['token', 'access_token', 'api_key', 'apikey', 'key', 'authorization', 'Authorization', 'API-KEY', 'X-Api-Key', 'refresh_token', '%74oken', 'api%5Fkey']
  const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}` }
  for (const [i, name] of names.entries()) {
    const secret = `wd_query-secret-${i}-0123456789abcdef`
    const from = raw.length
    for (const request of [
      { url: `/v1/people?limit=5&${name}=${secret}`, headers: asAdmin },
      { url: `/v1/people?${name}=${secret}` },
      { url: `/health?${name}=${encodeURIComponent(secret)}&x=1` },
      { url: `/no/such/route?${name}=${secret}`, headers: asAdmin }
    ]) {
      await app.inject({ method: 'GET', ...request })
    }
    const lines = raw.slice(from).join('')
    t.ok(since(from).length >= 8, `${name}: the requests were logged`)
    t.notOk(lines.includes(secret), `${name}: the token is in no line`)
    t.ok(since(from).some((line) => line.req?.url === `/v1/people?limit=5&${name}=[redacted]`), `${name}: the URL is logged, with its value redacted`)
  }

  const from = raw.length
  await app.inject({ method: 'GET', url: '/v1/people?status=active&limit=5&tag=founder', headers: asAdmin })
  t.ok(since(from).some((line) => line.req?.url === '/v1/people?status=active&limit=5&tag=founder'), 'any other query is logged as it came')
})

t.test('the first admin key: its file is logged, its token is not', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-logging-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const { raw, since } = await buildLoggedApp(t, { dbPath: join(dir, 'whodecides.db'), bootstrapKey: undefined })
  const token = readFileSync(join(dir, 'admin.key'), 'utf8').trim()
  t.ok(since(0).some((line) => line.keyFile === join(dir, 'admin.key')), 'the path is logged')
  t.notOk(raw.join('').includes(token), 'the token is not')
})

t.test('a 500 is logged with its error; the client sees a generic problem', async (t) => {
  const secret = 'disk /srv/secret-volume is on fire'
  const { app, since, raw } = await buildLoggedApp(t, {}, (app) => {
    app.get('/boom', async () => { throw new Error(secret) })
  })
  const from = raw.length
  const res = await app.inject({ method: 'GET', url: '/boom' })
  const problem = assertProblem(t, res, 500, 'WHODECIDES_ERR_INTERNAL')
  t.equal(problem.detail, 'An internal error occurred')
  t.notOk(res.body.includes(secret), 'the client does not see the internals')
  t.notOk(res.body.includes('at '), 'nor a stack trace')
  const logged = since(from).find((line) => line.level === 50)
  t.ok(logged, 'an error line was written')
  t.equal(logged?.reqId, res.headers['x-request-id'], 'with the request id')
  t.equal(logged?.err?.message, secret, 'with the error message')
  t.match(logged?.err?.stack, /logging\.test\.ts/, 'and its stack')
})

t.test('at the warn level only what went wrong is written, still with its request id', async (t) => {
  const { app, since, raw } = await buildLoggedApp(t, { logLevel: 'warn' }, (app) => {
    app.get('/boom', async () => { throw new Error('boom') })
  })
  const from = raw.length
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/v1/people' })).statusCode, 401)
  t.same(since(from), [], 'an answered request and a refused one (an info line) write nothing')
  const res = await app.inject({ method: 'GET', url: '/boom' })
  const lines = since(from)
  t.equal(lines.length, 1, 'a failed one writes its error')
  t.equal(lines[0]?.level, 50)
  t.equal(lines[0]?.reqId, res.headers['x-request-id'], 'with the request id')
})

t.test('a request\'s logger: the lines of a child bound to the request, at the level it inherits or is given', async (t) => {
  const { app, raw, since } = await buildLoggedApp(t, { logLevel: 'warn' })
  let from = raw.length
  const log = requestLogger(app.log, { reqId: 'r1' }, {})
  t.equal(log.level, 'warn', 'the app\'s level')
  log.debug('d')
  log.info('i')
  t.same(since(from), [], 'below it: nothing')
  log.warn({ n: 1 }, 'w')
  log.error('e')
  log.fatal('f')
  t.same(since(from).map((l) => [l.msg, l.reqId, l.level, l.n]), [['w', 'r1', 40, 1], ['e', 'r1', 50, undefined], ['f', 'r1', 60, undefined]],
    'at or above it: with the request id and the line\'s own fields')

  from = raw.length
  const verbose = requestLogger(app.log, { reqId: 'r2' }, { level: 'trace' })
  t.equal(verbose.level, 'trace', 'a route\'s own level')
  verbose.trace('t')
  verbose.child({ step: 'x' }).debug('c')
  t.same(since(from).map((l) => [l.msg, l.reqId, l.step]), [['t', 'r2', undefined], ['c', 'r2', 'x']], 'a child of it keeps the request id')
  from = raw.length
  verbose.level = 'error'
  verbose.warn('not now')
  verbose.silent('never')
  t.equal(verbose.level, 'error', 'a level set later holds')
  t.same(since(from), [], 'and silences what is below it')
})
