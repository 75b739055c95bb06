// Delegations: records, exactly one scope, no self-delegation, periods, activeAt, paging, refusals.
import t from 'tap'
import { assertProblem, recordOf, type TestApp } from './helper.js'
import { buildSeededApp as setup, changeAt, changeCount, ISO } from './seed-registry.js'

const leave = { fromPersonId: 'ada', toPersonId: 'grace', allScopes: true, validFrom: '2026-07-01T00:00:00Z', validTo: '2026-08-01T00:00:00Z' }

const post = (call: TestApp['call'], payload: object, as: 'admin' | 'editor' = 'editor') =>
  call({ method: 'POST', url: '/v1/delegations', payload, as })

t.test('create, get, change and delete a delegation', async (t) => {
  const { app, call } = await setup(t)
  const res = await post(call, { id: 'ada-leave', ...leave, reason: 'Parental leave' })
  t.equal(res.statusCode, 201)
  t.equal(res.headers.location, '/v1/delegations/ada-leave')
  t.equal(res.headers.etag, '"1"')
  const body = recordOf(res)
  t.match(body.createdAt, ISO)
  t.strictSame(body, {
    id: 'ada-leave', fromPersonId: 'ada', toPersonId: 'grace', initiativeId: null, domainId: null, allScopes: true, kind: 'deputy',
    validFrom: '2026-07-01T00:00:00.000Z', validTo: '2026-08-01T00:00:00.000Z', reason: 'Parental leave',
    version: 1, createdAt: body.createdAt, updatedAt: body.createdAt
  })
  const revision = Number(res.headers['x-revision'])
  t.strictSame(changeAt(app, revision), { action: 'create', entity: 'delegations', entityId: 'ada-leave', before: null, after: body })

  const got = await call({ method: 'GET', url: '/v1/delegations/ada-leave', as: 'reader' })
  t.equal(got.statusCode, 200)
  t.equal(got.headers.etag, '"1"')
  t.strictSame(got.json(), body)

  const narrowed = await call({
    method: 'PATCH', url: '/v1/delegations/ada-leave', headers: { 'if-match': '"1"' }, as: 'editor',
    payload: { domainId: 'pricing', allScopes: false, reason: null, validTo: null }
  })
  t.equal(narrowed.statusCode, 200)
  t.equal(narrowed.headers.etag, '"2"')
  t.equal(Number(narrowed.headers['x-revision']), revision + 1)
  t.strictSame(recordOf(narrowed), { ...body, domainId: 'pricing', allScopes: false, reason: null, validTo: null, version: 2, updatedAt: recordOf(narrowed).updatedAt })
  t.match(changeAt(app, revision + 1), { action: 'update', before: body, after: recordOf(narrowed) })

  const toInitiative = await call({ method: 'PATCH', url: '/v1/delegations/ada-leave', payload: { initiativeId: 'new-prices', domainId: null, toPersonId: 'alan' } })
  t.equal(toInitiative.statusCode, 200)
  t.match(recordOf(toInitiative), { initiativeId: 'new-prices', domainId: null, allScopes: false, toPersonId: 'alan', version: 3 })
  t.strictSame((await call({ method: 'GET', url: '/v1/delegations/ada-leave' })).json(), recordOf(toInitiative), 'the change is stored')

  const removed = await call({ method: 'DELETE', url: '/v1/delegations/ada-leave', headers: { 'if-match': '"3"' }, as: 'editor' })
  t.equal(removed.statusCode, 204)
  t.equal(removed.body, '')
  t.equal(Number(removed.headers['x-revision']), revision + 3)
  t.strictSame(changeAt(app, revision + 3), { action: 'delete', entity: 'delegations', entityId: 'ada-leave', before: recordOf(toInitiative), after: null })
  assertProblem(t, await call({ method: 'GET', url: '/v1/delegations/ada-leave' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  t.equal(changeCount(app, 'delegations'), 4, 'one change-log entry per mutation')
})

t.test('defaults: a generated id, validFrom now, allScopes false', async (t) => {
  const { call } = await setup(t)
  const res = await post(call, { fromPersonId: 'ada', toPersonId: 'grace', initiativeId: 'new-prices' }, 'admin')
  t.equal(res.statusCode, 201)
  const body = res.json()
  t.match(body.id, /^[a-z0-9][a-z0-9._-]{0,63}$/)
  t.equal(res.headers.location, `/v1/delegations/${body.id}`)
  t.equal(body.validFrom, body.createdAt)
  t.equal(body.allScopes, false)
  t.equal(body.reason, null)
  t.equal(body.validTo, null)
})

t.test('malformed requests get 400 naming the field, and write nothing', async (t) => {
  const { app, call } = await setup(t)
  const cases: [string, object, string][] = [
    ['unknown field', { ...leave, weight: 3 }, '/weight'],
    ['wrong type', { ...leave, allScopes: 'yes' }, '/allScopes'],
    ['over-long string', { ...leave, reason: 'x'.repeat(501) }, '/reason'],
    ['empty reason', { ...leave, reason: '' }, '/reason'],
    ['bad id pattern', { ...leave, toPersonId: 'Grace Hopper' }, '/toPersonId'],
    ['bad date-time', { ...leave, validFrom: 'next week' }, '/validFrom'],
    ['missing delegator', { toPersonId: 'grace', allScopes: true }, '/fromPersonId']
  ]
  for (const [name, payload, path] of cases) {
    const problem = assertProblem(t, await post(call, payload), 400, 'WHODECIDES_ERR_VALIDATION')
    t.ok(problem.errors.some((e: { path: string }) => e.path === path), `${name}: errors name ${path}`)
  }
  const scopes: [object, string[]][] = [
    [{ allScopes: false }, ['/initiativeId', '/domainId', '/allScopes']],
    [{ allScopes: undefined }, ['/initiativeId', '/domainId', '/allScopes']],
    [{ domainId: 'pricing' }, ['/domainId', '/allScopes']],
    [{ allScopes: false, domainId: 'pricing', initiativeId: 'new-prices' }, ['/initiativeId', '/domainId']]
  ]
  for (const [change, paths] of scopes) {
    const problem = assertProblem(t, await post(call, { ...leave, ...change }), 400, 'WHODECIDES_ERR_VALIDATION')
    t.strictSame(problem.errors.map((e: { path: string }) => e.path), paths, `scope ${JSON.stringify(change)}`)
  }
  assertProblem(t, await call({ method: 'GET', url: '/v1/delegations?allScopes=true' }), 400, 'WHODECIDES_ERR_VALIDATION')
  assertProblem(t, await call({ method: 'GET', url: '/v1/delegations?activeAt=2026' }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.equal(changeCount(app, 'delegations'), 0, 'nothing was written')
  t.strictSame((await call({ method: 'GET', url: '/v1/delegations' })).json(), { items: [], nextCursor: null })

  await post(call, { ...leave, id: 'd' })
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/delegations/d', payload: {} }), 400, 'WHODECIDES_ERR_VALIDATION')
  const both = assertProblem(t, await call({ method: 'PATCH', url: '/v1/delegations/d', payload: { domainId: 'pricing' } }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.strictSame(both.errors.map((e: { path: string }) => e.path), ['/domainId', '/allScopes'], 'the merged record is checked')
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/delegations/d', payload: { allScopes: false } }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.equal((await call({ method: 'GET', url: '/v1/delegations/d' })).json().version, 1)
  t.equal(changeCount(app, 'delegations'), 1)
})

t.test('keys and roles: 401 without a key, 403 for a reader writing', async (t) => {
  const { app, call } = await setup(t)
  await post(call, { ...leave, id: 'd' })
  assertProblem(t, await call({ method: 'GET', url: '/v1/delegations', as: null }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  assertProblem(t, await call({ method: 'DELETE', url: '/v1/delegations/d', as: null }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  for (const as of ['reader', 'auditor'] as const) {
    assertProblem(t, await call({ method: 'POST', url: '/v1/delegations', payload: leave, as }), 403, 'WHODECIDES_ERR_FORBIDDEN')
    assertProblem(t, await call({ method: 'PATCH', url: '/v1/delegations/d', payload: { reason: 'x' }, as }), 403, 'WHODECIDES_ERR_FORBIDDEN')
    assertProblem(t, await call({ method: 'DELETE', url: '/v1/delegations/d', as }), 403, 'WHODECIDES_ERR_FORBIDDEN')
    t.equal((await call({ method: 'GET', url: '/v1/delegations/d', as })).statusCode, 200, `a ${as} reads`)
  }
  t.equal(changeCount(app, 'delegations'), 1)
})

t.test('404, 409 and 412', async (t) => {
  const { app, call } = await setup(t)
  assertProblem(t, await call({ method: 'GET', url: '/v1/delegations/nope' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/delegations/nope', payload: { reason: 'x' } }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await call({ method: 'DELETE', url: '/v1/delegations/nope' }), 404, 'WHODECIDES_ERR_NOT_FOUND')

  t.equal((await post(call, { ...leave, id: 'd' })).statusCode, 201)
  const taken = assertProblem(t, await post(call, { ...leave, id: 'd', toPersonId: 'alan' }), 409, 'WHODECIDES_ERR_CONFLICT')
  t.strictSame(taken.errors, [{ in: 'body', path: '/id', message: 'already exists' }])

  assertProblem(t, await call({ method: 'PATCH', url: '/v1/delegations/d', headers: { 'if-match': '"9"' }, payload: { reason: 'x' } }), 412, 'WHODECIDES_ERR_PRECONDITION_FAILED')
  assertProblem(t, await call({ method: 'DELETE', url: '/v1/delegations/d', headers: { 'if-match': '"0"' } }), 412, 'WHODECIDES_ERR_PRECONDITION_FAILED')
  const got = (await call({ method: 'GET', url: '/v1/delegations/d' })).json()
  t.equal(got.reason, null)
  t.equal(got.version, 1)
  t.equal(changeCount(app, 'delegations'), 1, 'refusals wrote nothing')
})

t.test('422: unknown people or scopes, self-delegation, a backwards period', async (t) => {
  const { app, call } = await setup(t)
  const refs: [object, string][] = [
    [{ fromPersonId: 'nobody' }, '/fromPersonId'],
    [{ toPersonId: 'nobody' }, '/toPersonId'],
    [{ allScopes: false, domainId: 'nowhere' }, '/domainId'],
    [{ allScopes: false, initiativeId: 'nothing' }, '/initiativeId']
  ]
  for (const [change, path] of refs) {
    const problem = assertProblem(t, await post(call, { ...leave, ...change }), 422, 'WHODECIDES_ERR_UNKNOWN_REFERENCE')
    t.strictSame(problem.errors.map((e: { path: string }) => e.path), [path])
  }
  const self = assertProblem(t, await post(call, { ...leave, toPersonId: 'ada' }), 422, 'WHODECIDES_ERR_INVALID_RECORD')
  t.strictSame(self.errors, [{ in: 'body', path: '/toPersonId', message: 'a person cannot delegate to themselves' }])
  const backwards = assertProblem(t, await post(call, { ...leave, validTo: '2026-06-01T00:00:00Z' }), 422, 'WHODECIDES_ERR_INVALID_RECORD')
  t.equal(backwards.errors[0].path, '/validTo')
  t.equal(changeCount(app, 'delegations'), 0)
  t.equal((await post(call, { ...leave, id: 'empty', validTo: leave.validFrom })).statusCode, 201, 'an empty period is allowed: it never holds')
  await call({ method: 'DELETE', url: '/v1/delegations/empty' })

  await post(call, { ...leave, id: 'd' })
  const selfPatch = assertProblem(t, await call({ method: 'PATCH', url: '/v1/delegations/d', payload: { fromPersonId: 'grace' } }), 422, 'WHODECIDES_ERR_INVALID_RECORD')
  t.equal(selfPatch.errors[0].path, '/toPersonId', 'the merged record is checked')
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/delegations/d', payload: { validFrom: '2026-09-01T00:00:00Z' } }), 422, 'WHODECIDES_ERR_INVALID_RECORD')
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/delegations/d', payload: { toPersonId: 'ghost' } }), 422, 'WHODECIDES_ERR_UNKNOWN_REFERENCE')
  t.equal((await call({ method: 'GET', url: '/v1/delegations/d' })).json().version, 1)
})

t.test('lists filter on people, scope and activeAt, and page with a cursor', async (t) => {
  const { call } = await setup(t)
  const rows = [
    { id: 'd1', ...leave },
    { id: 'd2', fromPersonId: 'ada', toPersonId: 'alan', domainId: 'pricing', validFrom: '2026-08-01T00:00:00Z' },
    { id: 'd3', fromPersonId: 'grace', toPersonId: 'alan', initiativeId: 'new-prices', validFrom: '2026-01-01T00:00:00Z', validTo: '2026-07-01T00:00:00Z' }
  ]
  for (const row of rows) t.equal((await post(call, row)).statusCode, 201)
  const ids = async (query: string): Promise<string[]> =>
    (await call({ method: 'GET', url: `/v1/delegations?${query}`, as: 'reader' })).json().items.map((d: { id: string }) => d.id)
  t.strictSame(await ids(''), ['d1', 'd2', 'd3'])
  t.strictSame(await ids('fromPersonId=ada'), ['d1', 'd2'])
  t.strictSame(await ids('toPersonId=alan'), ['d2', 'd3'])
  t.strictSame(await ids('domainId=pricing'), ['d2'])
  t.strictSame(await ids('initiativeId=new-prices'), ['d3'])
  t.strictSame(await ids('fromPersonId=grace&toPersonId=grace'), [])
  t.strictSame(await ids('activeAt=2026-07-01T00:00:00Z'), ['d1'], 'd3 ended as d1 began')
  t.strictSame(await ids('activeAt=2026-08-01T00:00:00Z'), ['d2'], 'd1 ended as d2 began')
  t.strictSame(await ids('activeAt=2030-01-01T00:00:00Z&fromPersonId=ada'), ['d2'], 'open-ended')
  t.strictSame(await ids('activeAt=2025-01-01T00:00:00Z'), [])

  const first = (await call({ method: 'GET', url: '/v1/delegations?limit=2' })).json()
  t.strictSame(first.items.map((d: { id: string }) => d.id), ['d1', 'd2'])
  const rest = (await call({ method: 'GET', url: `/v1/delegations?limit=2&cursor=${first.nextCursor}` })).json()
  t.strictSame(rest.items.map((d: { id: string }) => d.id), ['d3'])
  t.equal(rest.nextCursor, null)
})

t.test('kind: deputy by default, transfer on request; filtered now and at a past time; old versions read as deputies', async (t) => {
  const { app, call } = await setup(t)
  const deputy = await post(call, { id: 'ada-leave', ...leave })
  t.equal(deputy.json().kind, 'deputy', 'the default, as before kinds')
  const transfer = await post(call, { ...leave, id: 'ada-hands-over', toPersonId: 'alan', kind: 'transfer' })
  t.equal(transfer.statusCode, 201, transfer.body)
  t.equal(transfer.json().kind, 'transfer')
  const bad = assertProblem(t, await post(call, { ...leave, id: 'x1', kind: 'handover' }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.match(bad.errors, [{ in: 'body', path: '/kind' }])
  t.equal((await call({ method: 'GET', url: '/v1/delegations/x1' })).statusCode, 404, 'nothing written')

  const ids = async (query: string): Promise<string[]> => (await call({ method: 'GET', url: `/v1/delegations?${query}` })).json().items.map((d: { id: string }) => d.id)
  t.strictSame(await ids('kind=transfer'), ['ada-hands-over'])
  t.strictSame(await ids('kind=deputy&fromPersonId=ada'), ['ada-leave'])
  const then = transfer.json().createdAt as string
  t.strictSame(await ids(`kind=transfer&at=${then}`), ['ada-hands-over'], 'at a time, from the versions')

  // A version logged before delegations had a kind: its JSON has none, and it reads (and filters) as a deputy.
  app.runtime.db.$client.exec('DROP TRIGGER changes_no_update')
  app.runtime.db.$client.prepare(`UPDATE changes SET after = json_remove(after, '$.kind') WHERE entity = 'delegations' AND entity_id = 'ada-hands-over'`).run()
  const old = await call({ method: 'GET', url: `/v1/delegations/ada-hands-over?at=${then}` })
  t.equal(old.statusCode, 200, old.body)
  t.equal(old.json().kind, 'deputy')
  t.strictSame(await ids(`kind=deputy&at=${then}`), ['ada-hands-over', 'ada-leave'])
  t.strictSame(await ids(`kind=transfer&at=${then}`), [])

  const changed = await call({ method: 'PATCH', url: '/v1/delegations/ada-leave', payload: { kind: 'transfer' } })
  t.equal(changed.statusCode, 200, changed.body)
  t.equal(changed.json().kind, 'transfer')
})
