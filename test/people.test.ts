// People: records, filters, paging, uniqueness, reporting lines, the status timeline, and refusals that write nothing.
import t from 'tap'
import { assertProblem, buildTestApp, type TestApp } from './helper.js'

const ada = { id: 'ada', name: 'Ada Lovelace', email: 'Ada@Example.com', tags: ['founder', 'executive'], stakePercent: 12.5 }

async function countPeople (call: TestApp['call']): Promise<number> {
  return (await call({ method: 'GET', url: '/v1/people?limit=500' })).json().items.length
}

t.test('create, get, change and delete a person', async (t) => {
  const { call } = await buildTestApp(t)
  const created = await call({ method: 'POST', url: '/v1/people', payload: ada })
  t.equal(created.statusCode, 201)
  t.equal(created.headers.location, '/v1/people/ada')
  t.equal(created.headers.etag, '"1"')
  t.match(created.headers['x-revision'], /^\d+$/)
  t.match(created.json(), { id: 'ada', name: 'Ada Lovelace', status: 'active', statusSince: null, tags: ['founder', 'executive'], title: null, managerId: null, version: 1 })

  const got = await call({ method: 'GET', url: '/v1/people/ada', as: 'reader' })
  t.equal(got.statusCode, 200)
  t.equal(got.headers.etag, '"1"')
  t.same(got.json(), created.json())

  const changed = await call({ method: 'PATCH', url: '/v1/people/ada', headers: { 'if-match': '"1"' }, payload: { title: 'CEO', stakePercent: null } })
  t.equal(changed.statusCode, 200)
  t.equal(changed.headers.etag, '"2"')
  t.match(changed.json(), { title: 'CEO', stakePercent: null, version: 2, email: 'Ada@Example.com' })
  t.ok(Number(changed.headers['x-revision']) > Number(created.headers['x-revision']), 'revision grows')

  const removed = await call({ method: 'DELETE', url: '/v1/people/ada' })
  t.equal(removed.statusCode, 204)
  assertProblem(t, await call({ method: 'GET', url: '/v1/people/ada' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
})

t.test('a generated id follows the id pattern', async (t) => {
  const { call } = await buildTestApp(t)
  const res = await call({ method: 'POST', url: '/v1/people', payload: { name: 'Grace', email: 'grace@example.com' } })
  t.equal(res.statusCode, 201)
  t.match(res.json().id, /^[a-z0-9][a-z0-9._-]{0,63}$/)
})

t.test('lists filter by status and tag and page with a cursor', async (t) => {
  const { call } = await buildTestApp(t)
  for (let i = 0; i < 7; i++) {
    const status = i % 2 === 0 ? 'active' : 'retired'
    await call({ method: 'POST', url: '/v1/people', payload: { id: `p${i}`, name: `P ${i}`, email: `p${i}@example.com`, status, tags: i < 3 ? ['board'] : [] } })
  }
  const retired = (await call({ method: 'GET', url: '/v1/people?status=retired' })).json()
  t.same(retired.items.map((p: { id: string }) => p.id), ['p1', 'p3', 'p5'])
  const board = (await call({ method: 'GET', url: '/v1/people?tag=board' })).json()
  t.same(board.items.map((p: { id: string }) => p.id), ['p0', 'p1', 'p2'])

  const seen: string[] = []
  let url = '/v1/people?limit=3'
  for (;;) {
    const page = (await call({ method: 'GET', url })).json()
    t.ok(page.items.length <= 3)
    seen.push(...page.items.map((p: { id: string }) => p.id))
    if (page.nextCursor === null) break
    url = `/v1/people?limit=3&cursor=${page.nextCursor}`
  }
  t.same(seen, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6'])

  assertProblem(t, await call({ method: 'GET', url: '/v1/people?limit=501' }), 400, 'WHODECIDES_ERR_VALIDATION')
  assertProblem(t, await call({ method: 'GET', url: '/v1/people?cursor=garbage' }), 400, 'WHODECIDES_ERR_VALIDATION')
  const badStatus = assertProblem(t, await call({ method: 'GET', url: '/v1/people?status=asleep' }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.same(badStatus.errors.map((e: { in: string, path: string }) => [e.in, e.path]), [['query', '/status']])
})

t.test('email is unique regardless of case, externalId is unique', async (t) => {
  const { call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/people', payload: { ...ada, externalId: 'HR-1' } })
  const sameEmail = assertProblem(t, await call({ method: 'POST', url: '/v1/people', payload: { name: 'Other', email: 'ada@example.COM' } }), 409, 'WHODECIDES_ERR_CONFLICT')
  t.equal(sameEmail.errors[0].path, '/email')
  const sameHr = assertProblem(t, await call({ method: 'POST', url: '/v1/people', payload: { name: 'Other', email: 'o@example.com', externalId: 'HR-1' } }), 409, 'WHODECIDES_ERR_CONFLICT')
  t.equal(sameHr.errors[0].path, '/externalId')
  const sameId = assertProblem(t, await call({ method: 'POST', url: '/v1/people', payload: { id: 'ada', name: 'Other', email: 'x@example.com' } }), 409, 'WHODECIDES_ERR_CONFLICT')
  t.equal(sameId.errors[0].path, '/id')
  t.equal(await countPeople(call), 1, 'nothing written')
  const own = await call({ method: 'PATCH', url: '/v1/people/ada', payload: { email: 'ADA@example.com' } })
  t.equal(own.statusCode, 200, 'a person may change the case of their own email')
})

t.test('a reporting loop is refused, an unknown manager is a 422', async (t) => {
  const { call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/people', payload: { id: 'ceo', name: 'CEO', email: 'ceo@example.com' } })
  await call({ method: 'POST', url: '/v1/people', payload: { id: 'vp', name: 'VP', email: 'vp@example.com', managerId: 'ceo' } })
  await call({ method: 'POST', url: '/v1/people', payload: { id: 'lead', name: 'Lead', email: 'lead@example.com', managerId: 'vp' } })
  const loop = assertProblem(t, await call({ method: 'PATCH', url: '/v1/people/ceo', payload: { managerId: 'lead' } }), 422, 'WHODECIDES_ERR_INVALID_RECORD')
  t.equal(loop.errors[0].path, '/managerId')
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/people/ceo', payload: { managerId: 'ceo' } }), 422, 'WHODECIDES_ERR_INVALID_RECORD')
  t.equal((await call({ method: 'GET', url: '/v1/people/ceo' })).json().managerId, null, 'nothing written')
  const unknown = assertProblem(t, await call({ method: 'POST', url: '/v1/people', payload: { name: 'X', email: 'x@example.com', managerId: 'nobody' } }), 422, 'WHODECIDES_ERR_UNKNOWN_REFERENCE')
  t.same(unknown.errors, [{ in: 'body', path: '/managerId', message: 'no people record with id "nobody"' }])

  const blocked = assertProblem(t, await call({ method: 'DELETE', url: '/v1/people/vp' }), 409, 'WHODECIDES_ERR_IN_USE')
  t.same(blocked.blockedBy, [{ entity: 'people', id: 'lead' }])
})

t.test('the status timeline keeps earlier statuses', async (t) => {
  const { call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/people', payload: { id: 'sam', name: 'Sam', email: 'sam@example.com' } })
  await call({ method: 'PATCH', url: '/v1/people/sam', payload: { status: 'on_leave', statusSince: '2026-03-01T00:00:00Z' } })
  const back = await call({ method: 'PATCH', url: '/v1/people/sam', payload: { status: 'retired', statusSince: '2026-06-01T00:00:00+02:00' } })
  t.match(back.json(), { status: 'retired', statusSince: '2026-05-31T22:00:00.000Z' })
  const timeline = (await call({ method: 'GET', url: '/v1/people/sam/statuses', as: 'reader' })).json()
  t.same(timeline.items, [
    { status: 'active', from: null, to: '2026-03-01T00:00:00.000Z' },
    { status: 'on_leave', from: '2026-03-01T00:00:00.000Z', to: '2026-05-31T22:00:00.000Z' },
    { status: 'retired', from: '2026-05-31T22:00:00.000Z', to: null }
  ])
  assertProblem(t, await call({ method: 'GET', url: '/v1/people/nobody/statuses' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
})

t.test('bad input is a 400 naming each field, and writes nothing', async (t) => {
  const { call } = await buildTestApp(t)
  const cases: [string, unknown, string][] = [
    ['unknown field', { name: 'A', email: 'a@example.com', salary: 1 }, '/salary'],
    ['missing name', { email: 'a@example.com' }, '/name'],
    ['wrong type', { name: 42, email: 'a@example.com' }, '/name'],
    ['over-long name', { name: 'x'.repeat(201), email: 'a@example.com' }, '/name'],
    ['bad email', { name: 'A', email: 'not-an-email' }, '/email'],
    ['bad status', { name: 'A', email: 'a@example.com', status: 'asleep' }, '/status'],
    ['stake over 100', { name: 'A', email: 'a@example.com', stakePercent: 101 }, '/stakePercent'],
    ['bad time', { name: 'A', email: 'a@example.com', statusSince: 'yesterday' }, '/statusSince'],
    ['too many tags', { name: 'A', email: 'a@example.com', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, '/tags'],
    ['bad id', { id: 'Not Valid', name: 'A', email: 'a@example.com' }, '/id']
  ]
  for (const [what, payload, path] of cases) {
    const problem = assertProblem(t, await call({ method: 'POST', url: '/v1/people', payload: payload as object }), 400, 'WHODECIDES_ERR_VALIDATION')
    t.ok(problem.errors.some((e: { path: string }) => e.path === path), `${what}: names ${path}`)
  }
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/people/nobody', payload: { title: 'x' } }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  t.equal(await countPeople(call), 0, 'nothing written')
})
