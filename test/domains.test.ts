// Domains: records, the tree (parents, loops), filters, paging, delete blockers, If-Match, and refusals that write nothing.
import t from 'tap'
import { assertProblem, buildTestApp, recordOf, type TestApp } from './helper.js'

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

async function ids (call: TestApp['call'], query = ''): Promise<string[]> {
  return (await call({ method: 'GET', url: `/v1/domains?limit=500${query}` })).json().items.map((d: { id: string }) => d.id)
}

const changeCount = (app: TestApp['app']): number =>
  (app.runtime.db.$client.prepare("SELECT count(*) AS n FROM changes WHERE entity = 'domains'").get() as { n: number }).n

t.test('create, get, change and delete a domain', async (t) => {
  const { app, call } = await buildTestApp(t)
  const root = await call({ method: 'POST', url: '/v1/domains', payload: { id: 'commercial', name: 'Commercial' } })
  t.equal(root.statusCode, 201)
  const created = await call({ method: 'POST', url: '/v1/domains', payload: { id: 'pricing', name: 'Pricing', description: 'Prices', parentId: 'commercial' } })
  t.equal(created.statusCode, 201)
  t.equal(created.headers.location, '/v1/domains/pricing')
  t.equal(created.headers.etag, '"1"')
  const body = recordOf(created)
  t.match(body.createdAt, ISO)
  t.strictSame(body, { id: 'pricing', name: 'Pricing', description: 'Prices', parentId: 'commercial', version: 1, createdAt: body.createdAt, updatedAt: body.createdAt })
  const revision = Number(created.headers['x-revision'])
  const entry = app.runtime.db.$client.prepare('SELECT action, entity, entity_id AS entityId, before, after FROM changes WHERE revision = ?').get(revision) as Record<string, string | null>
  t.strictSame({ ...entry, after: JSON.parse(entry.after!) }, { action: 'create', entity: 'domains', entityId: 'pricing', before: null, after: body })
  t.strictSame(root.json().parentId, null, 'an unset parent is null')
  t.strictSame(root.json().description, null, 'an unset description is null')

  const got = await call({ method: 'GET', url: '/v1/domains/pricing', as: 'reader' })
  t.equal(got.statusCode, 200)
  t.equal(got.headers.etag, '"1"')
  t.strictSame(got.json(), body)

  const changed = await call({ method: 'PATCH', url: '/v1/domains/pricing', headers: { 'if-match': '"1"' }, payload: { name: 'Pricing and packaging', description: null, parentId: null } })
  t.equal(changed.statusCode, 200)
  t.equal(changed.headers.etag, '"2"')
  t.equal(Number(changed.headers['x-revision']), revision + 1)
  t.match(recordOf(changed), { id: 'pricing', name: 'Pricing and packaging', description: null, parentId: null, version: 2, createdAt: body.createdAt })
  t.strictSame((await call({ method: 'GET', url: '/v1/domains/pricing' })).json(), recordOf(changed), 'the change is stored')

  const removed = await call({ method: 'DELETE', url: '/v1/domains/pricing', headers: { 'if-match': '"2"' } })
  t.equal(removed.statusCode, 204)
  t.equal(removed.body, '')
  t.equal(Number(removed.headers['x-revision']), revision + 2)
  assertProblem(t, await call({ method: 'GET', url: '/v1/domains/pricing' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  t.equal(changeCount(app), 4, 'one change-log entry per mutation')
})

t.test('a generated id follows the id pattern', async (t) => {
  const { call } = await buildTestApp(t)
  const res = await call({ method: 'POST', url: '/v1/domains', payload: { name: 'Hiring' }, as: 'editor' })
  t.equal(res.statusCode, 201)
  t.match(res.json().id, /^[a-z0-9][a-z0-9._-]{0,63}$/)
  t.equal(res.headers.location, `/v1/domains/${res.json().id}`)
})

t.test('lists filter by parent and page with a cursor', async (t) => {
  const { call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/domains', payload: { id: 'a', name: 'A' } })
  await call({ method: 'POST', url: '/v1/domains', payload: { id: 'b', name: 'B' } })
  for (const id of ['a3', 'a1', 'a2']) await call({ method: 'POST', url: '/v1/domains', payload: { id, name: id, parentId: 'a' } })
  await call({ method: 'POST', url: '/v1/domains', payload: { id: 'b1', name: 'b1', parentId: 'b' } })
  t.strictSame(await ids(call, '&parentId=a'), ['a1', 'a2', 'a3'])
  t.strictSame(await ids(call, '&parentId=b'), ['b1'])
  t.strictSame(await ids(call, '&parentId=nobody'), [])

  const pages: string[][] = []
  let url = '/v1/domains?limit=4'
  for (;;) {
    const res = await call({ method: 'GET', url, as: 'reader' })
    t.equal(res.statusCode, 200)
    const page = res.json()
    pages.push(page.items.map((d: { id: string }) => d.id))
    if (page.nextCursor === null) break
    url = `/v1/domains?limit=4&cursor=${page.nextCursor}`
  }
  t.strictSame(pages, [['a', 'a1', 'a2', 'a3'], ['b', 'b1']])
  const filtered = (await call({ method: 'GET', url: '/v1/domains?parentId=a&limit=2' })).json()
  t.strictSame(filtered.items.map((d: { id: string }) => d.id), ['a1', 'a2'])
  const rest = (await call({ method: 'GET', url: `/v1/domains?parentId=a&limit=2&cursor=${filtered.nextCursor}` })).json()
  t.strictSame(rest, { items: [rest.items[0]], nextCursor: null })
  t.equal(rest.items[0].id, 'a3')
  t.equal((await call({ method: 'GET', url: '/v1/domains' })).json().items.length, 6, 'default page holds all six')

  for (const query of ['limit=0', 'limit=501', 'limit=ten', 'cursor=garbage', 'parentId=Not%20An%20Id', 'colour=red']) {
    assertProblem(t, await call({ method: 'GET', url: `/v1/domains?${query}` }), 400, 'WHODECIDES_ERR_VALIDATION')
  }
})

t.test('unknown parents and loops are refused with a 422 at /parentId', async (t) => {
  const { app, call } = await buildTestApp(t)
  for (const [id, parentId] of [['top', null], ['mid', 'top'], ['leaf', 'mid']]) {
    t.equal((await call({ method: 'POST', url: '/v1/domains', payload: { id, name: id, parentId } })).statusCode, 201)
  }
  const before = changeCount(app)
  const unknown = assertProblem(t, await call({ method: 'POST', url: '/v1/domains', payload: { id: 'x', name: 'X', parentId: 'nowhere' } }), 422, 'WHODECIDES_ERR_UNKNOWN_REFERENCE')
  t.strictSame(unknown.errors, [{ in: 'body', path: '/parentId', message: 'no domains record with id "nowhere"' }])
  const unknownPatch = assertProblem(t, await call({ method: 'PATCH', url: '/v1/domains/mid', payload: { parentId: 'nowhere' } }), 422, 'WHODECIDES_ERR_UNKNOWN_REFERENCE')
  t.equal(unknownPatch.errors[0].path, '/parentId')

  const loop = assertProblem(t, await call({ method: 'PATCH', url: '/v1/domains/top', payload: { parentId: 'leaf' } }), 422, 'WHODECIDES_ERR_INVALID_RECORD')
  t.strictSame(loop.errors, [{ in: 'body', path: '/parentId', message: '"leaf" lies under "top": that would make a loop' }])
  const self = assertProblem(t, await call({ method: 'PATCH', url: '/v1/domains/mid', payload: { parentId: 'mid' } }), 422, 'WHODECIDES_ERR_INVALID_RECORD')
  t.strictSame(self.errors, [{ in: 'body', path: '/parentId', message: 'a domain cannot be its own parent' }])
  t.equal(changeCount(app), before, 'nothing written')
  t.strictSame(await ids(call), ['leaf', 'mid', 'top'])
  t.equal((await call({ method: 'GET', url: '/v1/domains/top' })).json().parentId, null)

  const moved = await call({ method: 'PATCH', url: '/v1/domains/leaf', payload: { parentId: 'top' } })
  t.equal(moved.statusCode, 200, 'moving a domain sideways in the tree is fine')
  t.equal(moved.json().parentId, 'top')
})

t.test('a domain still pointed at cannot be deleted; the problem names the blockers', async (t) => {
  const { app, call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/domains', payload: { id: 'sales', name: 'Sales' } })
  await call({ method: 'POST', url: '/v1/domains', payload: { id: 'emea', name: 'EMEA', parentId: 'sales' } })
  await call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'deal-desk', title: 'Deal desk', domainId: 'sales' } })
  await call({ method: 'POST', url: '/v1/people', payload: { id: 'ada', name: 'Ada', email: 'ada@example.com' } })
  await call({ method: 'POST', url: '/v1/people', payload: { id: 'bob', name: 'Bob', email: 'bob@example.com' } })
  const at = '2026-01-01T00:00:00.000Z'
  const sql = app.runtime.db.$client
  sql.prepare(`INSERT INTO assignments (id, version, created_at, updated_at, person_id, role, domain_id, valid_from) VALUES ('as-1', 1, ?, ?, 'ada', 'A', 'sales', ?)`).run(at, at, at)
  sql.prepare(`INSERT INTO delegations (id, version, created_at, updated_at, from_person_id, to_person_id, domain_id, all_scopes, valid_from) VALUES ('dl-1', 1, ?, ?, 'ada', 'bob', 'sales', 0, ?)`).run(at, at, at)
  sql.prepare(`INSERT INTO influences (id, version, created_at, updated_at, person_id, domain_id, strength, observed_at) VALUES ('in-1', 1, ?, ?, 'bob', 'sales', 'high', ?)`).run(at, at, at)
  const before = changeCount(app)

  const blocked = assertProblem(t, await call({ method: 'DELETE', url: '/v1/domains/sales' }), 409, 'WHODECIDES_ERR_IN_USE')
  t.strictSame(blocked.blockedBy, [
    { entity: 'domains', id: 'emea' },
    { entity: 'initiatives', id: 'deal-desk' },
    { entity: 'assignments', id: 'as-1' },
    { entity: 'delegations', id: 'dl-1' },
    { entity: 'influences', id: 'in-1' }
  ])
  t.equal(changeCount(app), before, 'nothing written')
  t.equal((await call({ method: 'GET', url: '/v1/domains/sales' })).statusCode, 200, 'still there')
  t.equal((await call({ method: 'DELETE', url: '/v1/domains/emea' })).statusCode, 204, 'a leaf nobody points at can go')
})

t.test('If-Match: a stale version is a 412 and writes nothing', async (t) => {
  const { app, call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/domains', payload: { id: 'ops', name: 'Operations' } })
  await call({ method: 'PATCH', url: '/v1/domains/ops', payload: { description: 'Day to day' } })
  const before = changeCount(app)
  const stale = assertProblem(t, await call({ method: 'PATCH', url: '/v1/domains/ops', headers: { 'if-match': '"1"' }, payload: { name: 'Ops' } }), 412, 'WHODECIDES_ERR_PRECONDITION_FAILED')
  t.equal(stale.detail, 'If-Match does not match the current version 2')
  assertProblem(t, await call({ method: 'DELETE', url: '/v1/domains/ops', headers: { 'if-match': '"1"' } }), 412, 'WHODECIDES_ERR_PRECONDITION_FAILED')
  t.equal(changeCount(app), before, 'nothing written')
  t.match((await call({ method: 'GET', url: '/v1/domains/ops' })).json(), { name: 'Operations', description: 'Day to day', version: 2 })
  t.equal((await call({ method: 'PATCH', url: '/v1/domains/ops', headers: { 'if-match': 'W/"2"' }, payload: { name: 'Ops' } })).statusCode, 200, 'a weak ETag of the current version matches')
  t.equal((await call({ method: 'DELETE', url: '/v1/domains/ops', headers: { 'if-match': '"3"' } })).statusCode, 204)
})

t.test('keys and roles: no key is a 401, a reader writing is a 403', async (t) => {
  const { app, call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/domains', payload: { id: 'ops', name: 'Operations' } })
  const before = changeCount(app)
  assertProblem(t, await call({ method: 'GET', url: '/v1/domains', as: null }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  assertProblem(t, await call({ method: 'GET', url: '/v1/domains/ops', as: null }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  assertProblem(t, await call({ method: 'POST', url: '/v1/domains', payload: { name: 'X' }, as: null }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  assertProblem(t, await call({ method: 'POST', url: '/v1/domains', payload: { name: 'X' }, as: 'reader' }), 403, 'WHODECIDES_ERR_FORBIDDEN')
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/domains/ops', payload: { name: 'X' }, as: 'reader' }), 403, 'WHODECIDES_ERR_FORBIDDEN')
  assertProblem(t, await call({ method: 'DELETE', url: '/v1/domains/ops', as: 'auditor' }), 403, 'WHODECIDES_ERR_FORBIDDEN')
  t.equal(changeCount(app), before, 'nothing written')
  t.equal((await call({ method: 'GET', url: '/v1/domains/ops', as: 'auditor' })).statusCode, 200)
  t.equal((await call({ method: 'PATCH', url: '/v1/domains/ops', payload: { name: 'X' }, as: 'editor' })).statusCode, 200)
})

t.test('unknown ids are a 404, a taken client id a 409', async (t) => {
  const { app, call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/domains', payload: { id: 'ops', name: 'Operations' } })
  const before = changeCount(app)
  const missing = assertProblem(t, await call({ method: 'GET', url: '/v1/domains/nobody' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  t.equal(missing.detail, 'No domains record with id "nobody"')
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/domains/nobody', payload: { name: 'X' } }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await call({ method: 'DELETE', url: '/v1/domains/nobody' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  const taken = assertProblem(t, await call({ method: 'POST', url: '/v1/domains', payload: { id: 'ops', name: 'Other' } }), 409, 'WHODECIDES_ERR_CONFLICT')
  t.strictSame(taken.errors, [{ in: 'body', path: '/id', message: 'already exists' }])
  t.equal(changeCount(app), before, 'nothing written')
  t.equal((await call({ method: 'GET', url: '/v1/domains/ops' })).json().name, 'Operations')
})

t.test('bad input is a 400 naming each field, and writes nothing', async (t) => {
  const { app, call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/domains', payload: { id: 'ops', name: 'Operations' } })
  const before = changeCount(app)
  const creates: [string, object, string][] = [
    ['unknown field', { name: 'A', owner: 'ada' }, '/owner'],
    ['missing name', { description: 'x' }, '/name'],
    ['wrong type', { name: 42 }, '/name'],
    ['empty name', { name: '' }, '/name'],
    ['over-long name', { name: 'x'.repeat(201) }, '/name'],
    ['over-long description', { name: 'A', description: 'x'.repeat(4001) }, '/description'],
    ['bad id', { id: 'Not Valid', name: 'A' }, '/id'],
    ['bad parent id', { name: 'A', parentId: 'UPPER' }, '/parentId'],
    ['server field', { name: 'A', version: 3 }, '/version']
  ]
  for (const [what, payload, path] of creates) {
    const problem = assertProblem(t, await call({ method: 'POST', url: '/v1/domains', payload }), 400, 'WHODECIDES_ERR_VALIDATION')
    t.ok(problem.errors.some((e: { in: string, path: string }) => e.in === 'body' && e.path === path), `${what}: names ${path}`)
  }
  const patches: [string, object, string][] = [
    ['unknown field', { colour: 'red' }, '/colour'],
    ['wrong type', { parentId: 7 }, '/parentId'],
    ['null name', { name: null }, '/name'],
    ['empty patch', {}, '']
  ]
  for (const [what, payload, path] of patches) {
    const problem = assertProblem(t, await call({ method: 'PATCH', url: '/v1/domains/ops', payload }), 400, 'WHODECIDES_ERR_VALIDATION')
    t.ok(problem.errors.some((e: { path: string }) => e.path === path), `${what}: names "${path}"`)
  }
  assertProblem(t, await call({ method: 'POST', url: '/v1/domains', headers: { 'content-type': 'application/json' }, payload: '{"name": ' }), 400, 'WHODECIDES_ERR_MALFORMED_JSON')
  t.equal(changeCount(app), before, 'nothing written')
  t.strictSame(await ids(call), ['ops'])
  t.equal((await call({ method: 'GET', url: '/v1/domains/ops' })).json().version, 1)
})
