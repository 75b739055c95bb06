// Influences: the change agent's observations — auditors write, everyone reads; one target, never over oneself.
import t from 'tap'
import { assertProblem, recordOf, type TestApp } from './helper.js'
import { buildSeededApp as setup, changeAt, changeCount, ISO } from './seed-registry.js'

const steers = { personId: 'alan', overPersonId: 'ada', strength: 'high' }

const post = (call: TestApp['call'], payload: object, as: 'admin' | 'auditor' = 'auditor') =>
  call({ method: 'POST', url: '/v1/influences', payload, as })

t.test('create, get, change and delete an influence', async (t) => {
  const { app, call } = await setup(t)
  const res = await post(call, { id: 'alan-over-ada', ...steers, note: 'Ada checks every call with Alan first.' })
  t.equal(res.statusCode, 201)
  t.equal(res.headers.location, '/v1/influences/alan-over-ada')
  t.equal(res.headers.etag, '"1"')
  const body = recordOf(res)
  t.match(body.createdAt, ISO)
  t.strictSame(body, {
    id: 'alan-over-ada', personId: 'alan', initiativeId: null, domainId: null, overPersonId: 'ada', strength: 'high',
    note: 'Ada checks every call with Alan first.', observedAt: body.createdAt, version: 1, createdAt: body.createdAt, updatedAt: body.createdAt
  }, 'observedAt defaults to now')
  const revision = Number(res.headers['x-revision'])
  t.strictSame(changeAt(app, revision), { action: 'create', entity: 'influences', entityId: 'alan-over-ada', before: null, after: body })

  for (const as of ['reader', 'editor'] as const) {
    const got = await call({ method: 'GET', url: '/v1/influences/alan-over-ada', as })
    t.equal(got.statusCode, 200, `a ${as} reads`)
    t.equal(got.headers.etag, '"1"')
    t.strictSame(got.json(), body)
  }

  const retargeted = await call({
    method: 'PATCH', url: '/v1/influences/alan-over-ada', headers: { 'if-match': '"1"' }, as: 'auditor',
    payload: { overPersonId: null, domainId: 'pricing', strength: 'medium', note: null, observedAt: '2026-03-03T10:00:00+01:00' }
  })
  t.equal(retargeted.statusCode, 200)
  t.equal(retargeted.headers.etag, '"2"')
  t.equal(Number(retargeted.headers['x-revision']), revision + 1)
  t.strictSame(recordOf(retargeted), {
    ...body, overPersonId: null, domainId: 'pricing', strength: 'medium', note: null,
    observedAt: '2026-03-03T09:00:00.000Z', version: 2, updatedAt: recordOf(retargeted).updatedAt
  })
  t.match(changeAt(app, revision + 1), { action: 'update', before: body, after: recordOf(retargeted) })
  t.strictSame((await call({ method: 'GET', url: '/v1/influences/alan-over-ada' })).json(), recordOf(retargeted), 'the change is stored')

  const removed = await call({ method: 'DELETE', url: '/v1/influences/alan-over-ada', headers: { 'if-match': '"2"' }, as: 'auditor' })
  t.equal(removed.statusCode, 204)
  t.equal(removed.body, '')
  t.equal(Number(removed.headers['x-revision']), revision + 2)
  t.strictSame(changeAt(app, revision + 2), { action: 'delete', entity: 'influences', entityId: 'alan-over-ada', before: recordOf(retargeted), after: null })
  assertProblem(t, await call({ method: 'GET', url: '/v1/influences/alan-over-ada' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  t.equal(changeCount(app, 'influences'), 3, 'one change-log entry per mutation')
})

t.test('an admin writes too; a generated id follows the id pattern', async (t) => {
  const { call } = await setup(t)
  const res = await post(call, { personId: 'grace', initiativeId: 'new-prices', strength: 'low' }, 'admin')
  t.equal(res.statusCode, 201)
  t.match(res.json().id, /^[a-z0-9][a-z0-9._-]{0,63}$/)
  t.equal(res.headers.location, `/v1/influences/${res.json().id}`)
  t.equal(res.json().note, null)
})

t.test('keys and roles: 401 without a key, 403 for readers and editors writing', async (t) => {
  const { app, call } = await setup(t)
  await post(call, { id: 'i', ...steers })
  assertProblem(t, await call({ method: 'GET', url: '/v1/influences', as: null }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  assertProblem(t, await call({ method: 'POST', url: '/v1/influences', payload: steers, as: null }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  for (const as of ['reader', 'editor'] as const) {
    const problem = assertProblem(t, await call({ method: 'POST', url: '/v1/influences', payload: steers, as }), 403, 'WHODECIDES_ERR_FORBIDDEN')
    t.match(problem.detail, /allowed: auditor, admin/)
    assertProblem(t, await call({ method: 'PATCH', url: '/v1/influences/i', payload: { strength: 'low' }, as }), 403, 'WHODECIDES_ERR_FORBIDDEN')
    assertProblem(t, await call({ method: 'DELETE', url: '/v1/influences/i', as }), 403, 'WHODECIDES_ERR_FORBIDDEN')
    t.equal((await call({ method: 'GET', url: '/v1/influences', as })).statusCode, 200, `a ${as} lists`)
  }
  t.equal(changeCount(app, 'influences'), 1)
  t.equal((await call({ method: 'GET', url: '/v1/influences/i' })).json().strength, 'high')
})

t.test('malformed requests get 400 naming the field, and write nothing', async (t) => {
  const { app, call } = await setup(t)
  const cases: [string, object, string][] = [
    ['unknown field', { ...steers, weight: 3 }, '/weight'],
    ['wrong type', { ...steers, note: 12 }, '/note'],
    ['over-long string', { ...steers, note: 'x'.repeat(4001) }, '/note'],
    ['bad enum', { ...steers, strength: 'huge' }, '/strength'],
    ['missing strength', { personId: 'alan', overPersonId: 'ada' }, '/strength'],
    ['bad date-time', { ...steers, observedAt: '03/03/2026' }, '/observedAt']
  ]
  for (const [name, payload, path] of cases) {
    const problem = assertProblem(t, await post(call, payload), 400, 'WHODECIDES_ERR_VALIDATION')
    t.ok(problem.errors.some((e: { path: string }) => e.path === path), `${name}: errors name ${path}`)
  }
  const neither = assertProblem(t, await post(call, { personId: 'alan', strength: 'low' }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.strictSame(neither.errors.map((e: { path: string }) => e.path), ['/initiativeId', '/domainId', '/overPersonId'])
  const two = assertProblem(t, await post(call, { ...steers, domainId: 'pricing' }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.strictSame(two.errors.map((e: { path: string }) => e.path), ['/domainId', '/overPersonId'])
  t.equal(two.detail, 'domainId, overPersonId: only one of initiativeId | domainId | overPersonId may be set')
  assertProblem(t, await call({ method: 'GET', url: '/v1/influences?strength=huge' }), 400, 'WHODECIDES_ERR_VALIDATION')
  assertProblem(t, await call({ method: 'GET', url: '/v1/influences?activeAt=2026-01-01T00:00:00Z' }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.equal(changeCount(app, 'influences'), 0, 'nothing was written')
  t.strictSame((await call({ method: 'GET', url: '/v1/influences' })).json(), { items: [], nextCursor: null })

  await post(call, { id: 'i', ...steers })
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/influences/i', payload: {} }), 400, 'WHODECIDES_ERR_VALIDATION')
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/influences/i', payload: { initiativeId: 'new-prices' } }), 400, 'WHODECIDES_ERR_VALIDATION')
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/influences/i', payload: { overPersonId: null } }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.equal((await call({ method: 'GET', url: '/v1/influences/i' })).json().version, 1)
  t.equal(changeCount(app, 'influences'), 1)
})

t.test('404, 409 and 412', async (t) => {
  const { app, call } = await setup(t)
  assertProblem(t, await call({ method: 'GET', url: '/v1/influences/nope' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/influences/nope', payload: { strength: 'low' } }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await call({ method: 'DELETE', url: '/v1/influences/nope' }), 404, 'WHODECIDES_ERR_NOT_FOUND')

  t.equal((await post(call, { id: 'i', ...steers })).statusCode, 201)
  const taken = assertProblem(t, await post(call, { id: 'i', ...steers, strength: 'low' }), 409, 'WHODECIDES_ERR_CONFLICT')
  t.strictSame(taken.errors, [{ in: 'body', path: '/id', message: 'already exists' }])

  assertProblem(t, await call({ method: 'PATCH', url: '/v1/influences/i', headers: { 'if-match': '"2"' }, payload: { strength: 'low' } }), 412, 'WHODECIDES_ERR_PRECONDITION_FAILED')
  assertProblem(t, await call({ method: 'DELETE', url: '/v1/influences/i', headers: { 'if-match': '"5"' } }), 412, 'WHODECIDES_ERR_PRECONDITION_FAILED')
  const got = (await call({ method: 'GET', url: '/v1/influences/i' })).json()
  t.equal(got.strength, 'high')
  t.equal(got.version, 1)
  t.equal(changeCount(app, 'influences'), 1, 'refusals wrote nothing')
})

t.test('422: unknown references, and influence over oneself', async (t) => {
  const { app, call } = await setup(t)
  const refs: [object, string][] = [
    [{ personId: 'nobody' }, '/personId'],
    [{ overPersonId: 'nobody' }, '/overPersonId'],
    [{ overPersonId: null, domainId: 'nowhere' }, '/domainId'],
    [{ overPersonId: null, initiativeId: 'nothing' }, '/initiativeId']
  ]
  for (const [change, path] of refs) {
    const problem = assertProblem(t, await post(call, { ...steers, ...change }), 422, 'WHODECIDES_ERR_UNKNOWN_REFERENCE')
    t.strictSame(problem.errors.map((e: { path: string }) => e.path), [path])
  }
  const self = assertProblem(t, await post(call, { ...steers, overPersonId: 'alan' }), 422, 'WHODECIDES_ERR_INVALID_RECORD')
  t.strictSame(self.errors.map((e: { path: string }) => e.path), ['/overPersonId'])
  t.equal(changeCount(app, 'influences'), 0)

  await post(call, { id: 'i', ...steers })
  const selfPatch = assertProblem(t, await call({ method: 'PATCH', url: '/v1/influences/i', payload: { personId: 'ada' } }), 422, 'WHODECIDES_ERR_INVALID_RECORD')
  t.equal(selfPatch.errors[0].path, '/overPersonId', 'the merged record is checked')
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/influences/i', payload: { personId: 'ghost' } }), 422, 'WHODECIDES_ERR_UNKNOWN_REFERENCE')
  t.equal((await call({ method: 'GET', url: '/v1/influences/i' })).json().version, 1)
})

t.test('lists filter on person, target and strength, and page with a cursor', async (t) => {
  const { call } = await setup(t)
  const rows = [
    { id: 'i1', ...steers },
    { id: 'i2', personId: 'alan', domainId: 'pricing', strength: 'low' },
    { id: 'i3', personId: 'grace', initiativeId: 'new-prices', strength: 'high' },
    { id: 'i4', personId: 'grace', overPersonId: 'ada', strength: 'medium' }
  ]
  for (const row of rows) t.equal((await post(call, row)).statusCode, 201)
  const ids = async (query: string): Promise<string[]> =>
    (await call({ method: 'GET', url: `/v1/influences?${query}`, as: 'reader' })).json().items.map((i: { id: string }) => i.id)
  t.strictSame(await ids(''), ['i1', 'i2', 'i3', 'i4'])
  t.strictSame(await ids('personId=alan'), ['i1', 'i2'])
  t.strictSame(await ids('overPersonId=ada'), ['i1', 'i4'])
  t.strictSame(await ids('domainId=pricing'), ['i2'])
  t.strictSame(await ids('initiativeId=new-prices'), ['i3'])
  t.strictSame(await ids('strength=high'), ['i1', 'i3'])
  t.strictSame(await ids('strength=high&personId=grace'), ['i3'])
  t.strictSame(await ids('personId=ada'), [])

  const first = (await call({ method: 'GET', url: '/v1/influences?limit=3' })).json()
  t.strictSame(first.items.map((i: { id: string }) => i.id), ['i1', 'i2', 'i3'])
  const rest = (await call({ method: 'GET', url: `/v1/influences?limit=3&cursor=${first.nextCursor}` })).json()
  t.strictSame(rest.items.map((i: { id: string }) => i.id), ['i4'])
  t.equal(rest.nextCursor, null)
  const filtered = (await call({ method: 'GET', url: '/v1/influences?personId=grace&limit=1' })).json()
  t.strictSame(filtered.items.map((i: { id: string }) => i.id), ['i3'])
  const next = (await call({ method: 'GET', url: `/v1/influences?personId=grace&limit=1&cursor=${filtered.nextCursor}` })).json()
  t.strictSame(next, { items: [next.items[0]], nextCursor: null })
  t.equal(next.items[0].id, 'i4', 'the cursor keeps the filter')
})
