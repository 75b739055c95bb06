// Initiatives: records, defaults, time normalization, filters, paging, delete blockers, If-Match, and refusals.
import t from 'tap'
import { assertProblem, buildTestApp, recordOf, type TestApp } from './helper.js'

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

async function ids (call: TestApp['call'], query = ''): Promise<string[]> {
  const res = await call({ method: 'GET', url: `/v1/initiatives?limit=500${query}` })
  if (res.statusCode !== 200) throw new Error(`list ${query}: ${res.body}`)
  return res.json().items.map((i: { id: string }) => i.id)
}

const changeCount = (app: TestApp['app']): number =>
  (app.runtime.db.$client.prepare("SELECT count(*) AS n FROM changes WHERE entity = 'initiatives'").get() as { n: number }).n

t.test('create, get, change and delete an initiative', async (t) => {
  const { app, call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/domains', payload: { id: 'pricing', name: 'Pricing' } })
  const minimal = await call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'tidy-up', title: 'Tidy up' } })
  t.equal(minimal.statusCode, 201)
  const m = recordOf(minimal)
  t.match(m.createdAt, ISO)
  t.strictSame(m, {
    id: 'tidy-up', title: 'Tidy up', destination: null, description: null, domainId: null, status: 'proposed', decisionRule: 'single',
    decisionDueAt: null, version: 1, createdAt: m.createdAt, updatedAt: m.createdAt
  }, 'defaults: proposed, single, unset fields null')

  const created = await call({
    method: 'POST',
    url: '/v1/initiatives',
    as: 'editor',
    payload: {
      id: 'eu-prices', title: 'EU price list', destination: 'One price list in euros', description: 'Replaces six lists', domainId: 'pricing',
      status: 'active', decisionRule: 'pool', decisionDueAt: '2026-06-30T19:00:00+02:00'
    }
  })
  t.equal(created.statusCode, 201)
  t.equal(created.headers.location, '/v1/initiatives/eu-prices')
  t.equal(created.headers.etag, '"1"')
  t.match(created.headers['x-revision'], /^\d+$/)
  const body = recordOf(created)
  t.match(body, {
    id: 'eu-prices', title: 'EU price list', destination: 'One price list in euros', description: 'Replaces six lists', domainId: 'pricing',
    status: 'active', decisionRule: 'pool', decisionDueAt: '2026-06-30T17:00:00.000Z', version: 1
  }, 'decisionDueAt normalized to UTC')
  const entry = app.runtime.db.$client.prepare('SELECT action, entity, entity_id AS entityId FROM changes WHERE revision = ?').get(Number(created.headers['x-revision']))
  t.strictSame(entry, { action: 'create', entity: 'initiatives', entityId: 'eu-prices' })

  const got = await call({ method: 'GET', url: '/v1/initiatives/eu-prices', as: 'reader' })
  t.equal(got.statusCode, 200)
  t.equal(got.headers.etag, '"1"')
  t.strictSame(got.json(), body)

  const changed = await call({
    method: 'PATCH',
    url: '/v1/initiatives/eu-prices',
    headers: { 'if-match': '"1"' },
    payload: { status: 'decided', destination: null, domainId: null, decisionDueAt: null, decisionRule: 'unanimous' }
  })
  t.equal(changed.statusCode, 200)
  t.equal(changed.headers.etag, '"2"')
  t.equal(Number(changed.headers['x-revision']), Number(created.headers['x-revision']) + 1)
  t.strictSame(recordOf(changed), {
    ...body, status: 'decided', destination: null, domainId: null, decisionDueAt: null, decisionRule: 'unanimous', version: 2, updatedAt: changed.json().updatedAt
  })
  const due = await call({ method: 'PATCH', url: '/v1/initiatives/eu-prices', payload: { decisionDueAt: '2026-07-01T00:00:00-05:00' } })
  t.equal(due.json().decisionDueAt, '2026-07-01T05:00:00.000Z')

  const removed = await call({ method: 'DELETE', url: '/v1/initiatives/eu-prices', headers: { 'if-match': '"3"' } })
  t.equal(removed.statusCode, 204)
  t.equal(removed.body, '')
  t.match(removed.headers['x-revision'], /^\d+$/)
  assertProblem(t, await call({ method: 'GET', url: '/v1/initiatives/eu-prices' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  t.equal(changeCount(app), 5, 'one change-log entry per mutation')

  const generated = await call({ method: 'POST', url: '/v1/initiatives', payload: { title: 'No id' } })
  t.equal(generated.statusCode, 201)
  t.match(generated.json().id, /^[a-z0-9][a-z0-9._-]{0,63}$/)
})

t.test('lists filter by status, domain and decision rule, and page with a cursor', async (t) => {
  const { call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/domains', payload: { id: 'hr', name: 'HR' } })
  await call({ method: 'POST', url: '/v1/domains', payload: { id: 'it', name: 'IT' } })
  const rows: [string, string, string, string | null][] = [
    ['i1', 'active', 'single', 'hr'], ['i2', 'proposed', 'pool', 'hr'], ['i3', 'active', 'pool', 'it'],
    ['i4', 'done', 'unanimous', null], ['i5', 'active', 'single', 'it'], ['i6', 'on_hold', 'single', 'hr'], ['i7', 'abandoned', 'pool', null]
  ]
  for (const [id, status, decisionRule, domainId] of rows.reverse()) {
    t.equal((await call({ method: 'POST', url: '/v1/initiatives', payload: { id, title: id, status, decisionRule, domainId } })).statusCode, 201)
  }
  t.strictSame(await ids(call, '&status=active'), ['i1', 'i3', 'i5'])
  t.strictSame(await ids(call, '&domainId=hr'), ['i1', 'i2', 'i6'])
  t.strictSame(await ids(call, '&decisionRule=pool'), ['i2', 'i3', 'i7'])
  t.strictSame(await ids(call, '&status=active&domainId=it&decisionRule=single'), ['i5'])
  t.strictSame(await ids(call, '&status=decided'), [])

  const pages: string[][] = []
  let url = '/v1/initiatives?limit=3'
  for (;;) {
    const page = (await call({ method: 'GET', url, as: 'reader' })).json()
    pages.push(page.items.map((i: { id: string }) => i.id))
    if (page.nextCursor === null) break
    url = `/v1/initiatives?limit=3&cursor=${page.nextCursor}`
  }
  t.strictSame(pages, [['i1', 'i2', 'i3'], ['i4', 'i5', 'i6'], ['i7']])
  const first = (await call({ method: 'GET', url: '/v1/initiatives?status=active&limit=2' })).json()
  t.strictSame(first.items.map((i: { id: string }) => i.id), ['i1', 'i3'])
  const second = (await call({ method: 'GET', url: `/v1/initiatives?status=active&limit=2&cursor=${first.nextCursor}` })).json()
  t.strictSame([second.items.map((i: { id: string }) => i.id), second.nextCursor], [['i5'], null])

  const badQueries: [string, string][] = [
    ['status=asleep', '/status'], ['decisionRule=majority', '/decisionRule'], ['domainId=Not%20Valid', '/domainId'],
    ['limit=501', '/limit'], ['limit=0', '/limit'], ['owner=ada', '/owner'], ['cursor=garbage', '/cursor']
  ]
  for (const [query, path] of badQueries) {
    const problem = assertProblem(t, await call({ method: 'GET', url: `/v1/initiatives?${query}` }), 400, 'WHODECIDES_ERR_VALIDATION')
    t.strictSame(problem.errors.map((e: { in: string, path: string }) => [e.in, e.path]), [['query', path]], query)
  }
})

t.test('an unknown domain is a 422 naming domainId, and writes nothing', async (t) => {
  const { app, call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'x', title: 'X' } })
  const before = changeCount(app)
  const onCreate = assertProblem(t, await call({ method: 'POST', url: '/v1/initiatives', payload: { title: 'Y', domainId: 'nowhere' } }), 422, 'WHODECIDES_ERR_UNKNOWN_REFERENCE')
  t.strictSame(onCreate.errors, [{ in: 'body', path: '/domainId', message: 'no domains record with id "nowhere"' }])
  const onPatch = assertProblem(t, await call({ method: 'PATCH', url: '/v1/initiatives/x', payload: { domainId: 'nowhere' } }), 422, 'WHODECIDES_ERR_UNKNOWN_REFERENCE')
  t.equal(onPatch.errors[0].path, '/domainId')
  t.equal(changeCount(app), before, 'nothing written')
  t.strictSame(await ids(call), ['x'])
  t.match((await call({ method: 'GET', url: '/v1/initiatives/x' })).json(), { domainId: null, version: 1 })
})

t.test('an initiative still pointed at cannot be deleted; the problem names the blockers', async (t) => {
  const { app, call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'merger', title: 'Merger' } })
  await call({ method: 'POST', url: '/v1/people', payload: { id: 'ada', name: 'Ada', email: 'ada@example.com' } })
  await call({ method: 'POST', url: '/v1/people', payload: { id: 'bob', name: 'Bob', email: 'bob@example.com' } })
  const at = '2026-01-01T00:00:00.000Z'
  const sql = app.runtime.db.$client
  const assign = sql.prepare(`INSERT INTO assignments (id, version, created_at, updated_at, person_id, role, initiative_id, valid_from, valid_to) VALUES (?, 1, ?, ?, ?, ?, 'merger', ?, ?)`)
  assign.run('as-2', at, at, 'bob', 'R', at, null)
  assign.run('as-1', at, at, 'ada', 'A', at, '2026-02-01T00:00:00.000Z')
  sql.prepare(`INSERT INTO delegations (id, version, created_at, updated_at, from_person_id, to_person_id, initiative_id, all_scopes, valid_from) VALUES ('dl-1', 1, ?, ?, 'ada', 'bob', 'merger', 0, ?)`).run(at, at, at)
  sql.prepare(`INSERT INTO influences (id, version, created_at, updated_at, person_id, initiative_id, strength, observed_at) VALUES ('in-1', 1, ?, ?, 'bob', 'merger', 'low', ?)`).run(at, at, at)
  const before = changeCount(app)

  const blocked = assertProblem(t, await call({ method: 'DELETE', url: '/v1/initiatives/merger' }), 409, 'WHODECIDES_ERR_IN_USE')
  t.strictSame(blocked.blockedBy, [
    { entity: 'assignments', id: 'as-1' },
    { entity: 'assignments', id: 'as-2' },
    { entity: 'delegations', id: 'dl-1' },
    { entity: 'influences', id: 'in-1' }
  ], 'an ended assignment still blocks: it is history')
  t.equal(changeCount(app), before, 'nothing written')
  t.equal((await call({ method: 'GET', url: '/v1/initiatives/merger' })).statusCode, 200, 'still there')
})

t.test('If-Match: a stale version is a 412 and writes nothing', async (t) => {
  const { app, call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'x', title: 'X' } })
  await call({ method: 'PATCH', url: '/v1/initiatives/x', payload: { status: 'active' } })
  const before = changeCount(app)
  const stale = assertProblem(t, await call({ method: 'PATCH', url: '/v1/initiatives/x', headers: { 'if-match': '"1"' }, payload: { status: 'done' } }), 412, 'WHODECIDES_ERR_PRECONDITION_FAILED')
  t.equal(stale.detail, 'If-Match does not match the current version 2')
  assertProblem(t, await call({ method: 'DELETE', url: '/v1/initiatives/x', headers: { 'if-match': '"1"' } }), 412, 'WHODECIDES_ERR_PRECONDITION_FAILED')
  t.equal(changeCount(app), before, 'nothing written')
  t.match((await call({ method: 'GET', url: '/v1/initiatives/x' })).json(), { status: 'active', version: 2 })
  t.equal((await call({ method: 'PATCH', url: '/v1/initiatives/x', headers: { 'if-match': '"2"' }, payload: { status: 'done' } })).statusCode, 200)
})

t.test('keys and roles, unknown ids, taken ids', async (t) => {
  const { app, call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'x', title: 'X' } })
  const before = changeCount(app)
  assertProblem(t, await call({ method: 'GET', url: '/v1/initiatives', as: null }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  assertProblem(t, await call({ method: 'GET', url: '/v1/initiatives/x/raci', as: null }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  assertProblem(t, await call({ method: 'DELETE', url: '/v1/initiatives/x', as: null }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  assertProblem(t, await call({ method: 'POST', url: '/v1/initiatives', payload: { title: 'Y' }, as: 'reader' }), 403, 'WHODECIDES_ERR_FORBIDDEN')
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/initiatives/x', payload: { title: 'Y' }, as: 'reader' }), 403, 'WHODECIDES_ERR_FORBIDDEN')
  assertProblem(t, await call({ method: 'DELETE', url: '/v1/initiatives/x', as: 'reader' }), 403, 'WHODECIDES_ERR_FORBIDDEN')
  assertProblem(t, await call({ method: 'GET', url: '/v1/initiatives/nobody' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/initiatives/nobody', payload: { title: 'Y' } }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await call({ method: 'DELETE', url: '/v1/initiatives/nobody' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  const taken = assertProblem(t, await call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'x', title: 'Again' } }), 409, 'WHODECIDES_ERR_CONFLICT')
  t.strictSame(taken.errors, [{ in: 'body', path: '/id', message: 'already exists' }])
  t.equal(changeCount(app), before, 'nothing written')
  t.equal((await call({ method: 'GET', url: '/v1/initiatives/x' })).json().title, 'X')
})

t.test('bad input is a 400 naming each field, and writes nothing', async (t) => {
  const { app, call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'x', title: 'X' } })
  const before = changeCount(app)
  const creates: [string, object, string][] = [
    ['unknown field', { title: 'A', budget: 10 }, '/budget'],
    ['missing title', { status: 'active' }, '/title'],
    ['wrong type', { title: ['A'] }, '/title'],
    ['over-long title', { title: 'x'.repeat(201) }, '/title'],
    ['over-long destination', { title: 'A', destination: 'x'.repeat(1001) }, '/destination'],
    ['over-long description', { title: 'A', description: 'x'.repeat(4001) }, '/description'],
    ['bad status', { title: 'A', status: 'finished' }, '/status'],
    ['bad decision rule', { title: 'A', decisionRule: 'majority' }, '/decisionRule'],
    ['bad time', { title: 'A', decisionDueAt: 'next friday' }, '/decisionDueAt'],
    ['time without zone', { title: 'A', decisionDueAt: '2026-06-30T17:00:00' }, '/decisionDueAt'],
    ['impossible date', { title: 'A', decisionDueAt: '2026-02-30T17:00:00Z' }, '/decisionDueAt'],
    ['leap second', { title: 'A', decisionDueAt: '2026-06-30T23:59:60Z' }, '/decisionDueAt'],
    ['bad domain id', { title: 'A', domainId: 'Not Valid' }, '/domainId'],
    ['server field', { title: 'A', createdAt: '2026-01-01T00:00:00Z' }, '/createdAt']
  ]
  for (const [what, payload, path] of creates) {
    const problem = assertProblem(t, await call({ method: 'POST', url: '/v1/initiatives', payload }), 400, 'WHODECIDES_ERR_VALIDATION')
    t.ok(problem.errors.some((e: { in: string, path: string }) => e.in === 'body' && e.path === path), `${what}: names ${path}`)
  }
  const patches: [string, object, string][] = [
    ['unknown field', { owner: 'ada' }, '/owner'],
    ['null title', { title: null }, '/title'],
    ['null status', { status: null }, '/status'],
    ['bad status', { status: 'DONE' }, '/status'],
    ['bad time', { decisionDueAt: 20260630 }, '/decisionDueAt'],
    ['leap second', { decisionDueAt: '2026-06-30T23:59:60Z' }, '/decisionDueAt'],
    ['empty patch', {}, '']
  ]
  for (const [what, payload, path] of patches) {
    const problem = assertProblem(t, await call({ method: 'PATCH', url: '/v1/initiatives/x', payload }), 400, 'WHODECIDES_ERR_VALIDATION')
    t.ok(problem.errors.some((e: { path: string }) => e.path === path), `${what}: names "${path}"`)
  }
  t.equal(changeCount(app), before, 'nothing written')
  t.strictSame(await ids(call), ['x'])
  t.equal((await call({ method: 'GET', url: '/v1/initiatives/x' })).json().version, 1)
})
