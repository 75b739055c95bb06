// GET /health: public, 200 while the database answers, a 503 problem when it does not.
import t from 'tap'
import { assertProblem, buildTestApp } from './helper.js'

t.test('answers 200 without a key, with a request id', async (t) => {
  const { call } = await buildTestApp(t)
  const res = await call({ method: 'GET', url: '/health', as: null })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.same(res.json(), { status: 'ok', database: 'reachable', caveats: 'on-lookup' }, 'caveats judged on lookup: the tests\' setting')
  t.match(res.headers['x-request-id'], /^[0-9a-f-]{36}$/, 'every answer names its request id')
})

t.test('is public even when the request carries a bad key', async (t) => {
  const { call } = await buildTestApp(t)
  const res = await call({ method: 'GET', url: '/health', as: null, headers: { authorization: 'Bearer not-a-key' } })
  t.equal(res.statusCode, 200)
})

t.test('HEAD works for probes that do not want a body', async (t) => {
  const { call } = await buildTestApp(t)
  const res = await call({ method: 'HEAD', url: '/health', as: null })
  t.equal(res.statusCode, 200)
  t.equal(res.body, '')
})

t.test('a client-chosen request id is not trusted: each request gets its own', async (t) => {
  const { call } = await buildTestApp(t)
  const res = await call({ method: 'GET', url: '/health', as: null, headers: { 'x-request-id': 'forged' } })
  t.not(res.headers['x-request-id'], 'forged')
})

t.test('answers a 503 problem when the database does not answer', async (t) => {
  const { app, call } = await buildTestApp(t)
  await app.ready()
  app.runtime.db.$client.close()
  const res = await call({ method: 'GET', url: '/health', as: null })
  const problem = assertProblem(t, res, 503, 'WHODECIDES_ERR_UNAVAILABLE')
  t.equal(problem.detail, 'The database does not answer')
  t.equal(problem.instance, '/health')
})
