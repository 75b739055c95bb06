// Assignments: RACI cells with periods — records, ending instead of erasing, overlaps, activeAt, paging, refusals.
import t from 'tap'
import { assertProblem, recordOf, type TestApp } from './helper.js'
import { buildSeededApp as setup, changeAt, changeCount, ISO } from './seed-registry.js'

const post = (call: TestApp['call'], payload: object, as: 'admin' | 'editor' = 'editor') =>
  call({ method: 'POST', url: '/v1/assignments', payload, as })

t.test('create, get, change and end an assignment', async (t) => {
  const { app, call } = await setup(t)
  const res = await post(call, { id: 'ada-a-pricing', personId: 'ada', role: 'A', domainId: 'pricing' })
  t.equal(res.statusCode, 201)
  t.equal(res.headers.location, '/v1/assignments/ada-a-pricing')
  t.equal(res.headers.etag, '"1"')
  const body = recordOf(res)
  t.match(body.createdAt, ISO)
  t.strictSame(body, {
    id: 'ada-a-pricing', personId: 'ada', role: 'A', initiativeId: null, domainId: 'pricing',
    validFrom: body.createdAt, validTo: null, version: 1, createdAt: body.createdAt, updatedAt: body.createdAt
  }, 'validFrom defaults to now; unset fields are null')
  const revision = Number(res.headers['x-revision'])
  t.strictSame(changeAt(app, revision), { action: 'create', entity: 'assignments', entityId: 'ada-a-pricing', before: null, after: body })

  const got = await call({ method: 'GET', url: '/v1/assignments/ada-a-pricing', as: 'reader' })
  t.equal(got.statusCode, 200)
  t.equal(got.headers.etag, '"1"')
  t.strictSame(got.json(), body)

  const switched = await call({
    method: 'PATCH', url: '/v1/assignments/ada-a-pricing', headers: { 'if-match': '"1"' }, as: 'editor',
    payload: { initiativeId: 'new-prices', domainId: null, role: 'R', validFrom: '2026-02-01T01:00:00+01:00', validTo: '2027-01-01T00:00:00Z' }
  })
  t.equal(switched.statusCode, 200)
  t.equal(switched.headers.etag, '"2"')
  t.equal(Number(switched.headers['x-revision']), revision + 1)
  t.match(recordOf(switched), {
    id: 'ada-a-pricing', role: 'R', initiativeId: 'new-prices', domainId: null,
    validFrom: '2026-02-01T00:00:00.000Z', validTo: '2027-01-01T00:00:00.000Z', version: 2, createdAt: body.createdAt
  }, 'the target switches and times are normalized to UTC')
  t.match(changeAt(app, revision + 1), { action: 'update', before: body, after: recordOf(switched) })

  const cleared = await call({ method: 'PATCH', url: '/v1/assignments/ada-a-pricing', payload: { validTo: null }, as: 'editor' })
  t.equal(cleared.statusCode, 200)
  t.equal(recordOf(cleared).validTo, null, 'PATCH with null clears validTo')
  t.strictSame((await call({ method: 'GET', url: '/v1/assignments/ada-a-pricing' })).json(), recordOf(cleared), 'the change is stored')

  const ended = await call({ method: 'DELETE', url: '/v1/assignments/ada-a-pricing', headers: { 'if-match': '"3"' }, as: 'editor' })
  t.equal(ended.statusCode, 200)
  t.equal(ended.headers.etag, '"4"')
  t.equal(Number(ended.headers['x-revision']), revision + 3)
  const endedBody = recordOf(ended)
  t.match(endedBody.validTo, ISO)
  t.ok(endedBody.validTo >= recordOf(cleared).updatedAt, 'validTo is now')
  t.strictSame(endedBody, { ...recordOf(cleared), validTo: endedBody.validTo, version: 4, updatedAt: endedBody.validTo })
  t.match(changeAt(app, revision + 3), { action: 'end', entity: 'assignments', before: recordOf(cleared), after: endedBody })

  const kept = await call({ method: 'GET', url: '/v1/assignments/ada-a-pricing', as: 'reader' })
  t.equal(kept.statusCode, 200, 'an ended assignment stays readable')
  t.strictSame(kept.json(), endedBody)

  const again = await call({ method: 'DELETE', url: '/v1/assignments/ada-a-pricing', as: 'editor' })
  t.equal(again.statusCode, 200, 'ending an ended assignment is answered as it is')
  t.strictSame(recordOf(again), endedBody)
  t.equal(again.headers.etag, '"4"')
  t.equal(Number(again.headers['x-revision']), revision + 3, 'X-Revision names the change that ended it')
  t.equal(changeCount(app, 'assignments'), 4, 'one change-log entry per mutation, none for the repeated end')
})

t.test('ending shortens a future validTo; one not yet begun ends at its own start', async (t) => {
  const { app, call } = await setup(t)
  await post(call, { id: 'later-end', personId: 'ada', role: 'C', domainId: 'pricing', validFrom: '2020-01-01T00:00:00Z', validTo: '2999-01-01T00:00:00Z' })
  const shortened = await call({ method: 'DELETE', url: '/v1/assignments/later-end' })
  t.equal(shortened.statusCode, 200)
  t.ok(shortened.json().validTo < '2999-01-01T00:00:00.000Z', 'validTo moves to now')
  t.equal(shortened.json().validTo, shortened.json().updatedAt)

  await post(call, { id: 'future', personId: 'ada', role: 'I', domainId: 'pricing', validFrom: '2999-01-01T00:00:00Z' })
  const cancelled = await call({ method: 'DELETE', url: '/v1/assignments/future' })
  t.equal(cancelled.statusCode, 200)
  t.equal(cancelled.json().validTo, '2999-01-01T00:00:00.000Z', 'an empty period: it never holds')
  const before = changeCount(app, 'assignments')
  const again = await call({ method: 'DELETE', url: '/v1/assignments/future' })
  t.equal(again.statusCode, 200)
  t.equal(again.json().version, 2)
  t.equal(changeCount(app, 'assignments'), before, 'a cancelled assignment counts as ended')
  const active = await call({ method: 'GET', url: '/v1/assignments?activeAt=2999-01-01T00:00:00Z' })
  t.strictSame(active.json().items, [], 'it is active at no time')
  const replacement = await post(call, { id: 'future-2', personId: 'ada', role: 'I', domainId: 'pricing', validFrom: '2998-01-01T00:00:00Z' })
  t.equal(replacement.statusCode, 201, 'a cancelled assignment overlaps nothing')
})

t.test('a generated id follows the id pattern', async (t) => {
  const { call } = await setup(t)
  const res = await post(call, { personId: 'ada', role: 'A', initiativeId: 'new-prices', validFrom: '2026-01-01T00:00:00Z' }, 'admin')
  t.equal(res.statusCode, 201)
  t.match(res.json().id, /^[a-z0-9][a-z0-9._-]{0,63}$/)
  t.equal(res.headers.location, `/v1/assignments/${res.json().id}`)
})

t.test('malformed requests get 400 naming the field, and write nothing', async (t) => {
  const { app, call } = await setup(t)
  const good = { personId: 'ada', role: 'A', domainId: 'pricing' }
  const cases: [string, object, string][] = [
    ['unknown field', { ...good, weight: 3 }, '/weight'],
    ['wrong type', { ...good, personId: 7 }, '/personId'],
    ['over-long string', { ...good, personId: 'a'.repeat(65) }, '/personId'],
    ['bad enum', { ...good, role: 'X' }, '/role'],
    ['bad date-time', { ...good, validFrom: 'yesterday' }, '/validFrom'],
    ['date without time', { ...good, validTo: '2026-01-01' }, '/validTo'],
    ['missing role', { personId: 'ada', domainId: 'pricing' }, '/role'],
    ['wrong type of a nullable field', { ...good, validTo: 5 }, '/validTo'],
    ['leap second', { ...good, validFrom: '2016-12-31T23:59:60Z' }, '/validFrom']
  ]
  for (const [name, payload, path] of cases) {
    const problem = assertProblem(t, await post(call, payload), 400, 'WHODECIDES_ERR_VALIDATION')
    t.ok(problem.errors.some((e: { path: string, in: string }) => e.path === path && e.in === 'body'), `${name}: errors name ${path}`)
  }

  const both = assertProblem(t, await post(call, { ...good, initiativeId: 'new-prices' }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.strictSame(both.errors.map((e: { path: string }) => e.path), ['/initiativeId', '/domainId'], 'both targets are named')
  const neither = assertProblem(t, await post(call, { personId: 'ada', role: 'A', domainId: null }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.strictSame(neither.errors, [
    { in: 'body', path: '/initiativeId', message: 'one of initiativeId | domainId is required' },
    { in: 'body', path: '/domainId', message: 'one of initiativeId | domainId is required' }
  ])

  const badQuery = assertProblem(t, await call({ method: 'GET', url: '/v1/assignments?role=Z' }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.strictSame(badQuery.errors.map((e: { in: string, path: string }) => [e.in, e.path]), [['query', '/role']])
  assertProblem(t, await call({ method: 'GET', url: '/v1/assignments?activeAt=soon' }), 400, 'WHODECIDES_ERR_VALIDATION')
  const leap = assertProblem(t, await call({ method: 'GET', url: '/v1/assignments?activeAt=2016-12-31T23:59:60Z' }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.strictSame(leap.errors.map((e: { in: string, path: string }) => [e.in, e.path]), [['query', '/activeAt']], 'a leap second is no instant')
  assertProblem(t, await call({ method: 'GET', url: '/v1/assignments?colour=red' }), 400, 'WHODECIDES_ERR_VALIDATION')
  assertProblem(t, await call({ method: 'GET', url: '/v1/assignments?limit=501' }), 400, 'WHODECIDES_ERR_VALIDATION')
  const badCursor = assertProblem(t, await call({ method: 'GET', url: '/v1/assignments?cursor=bogus' }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.equal(badCursor.errors[0].path, '/cursor')

  t.equal(changeCount(app, 'assignments'), 0, 'nothing was written')
  t.strictSame((await call({ method: 'GET', url: '/v1/assignments' })).json(), { items: [], nextCursor: null })

  await post(call, { ...good, id: 'cell' })
  const patches: [object, string][] = [[{}, ''], [{ colour: 'red' }, '/colour'], [{ domainId: null }, '/initiativeId'], [{ initiativeId: 'new-prices' }, '/domainId']]
  for (const [payload, path] of patches) {
    const problem = assertProblem(t, await call({ method: 'PATCH', url: '/v1/assignments/cell', payload }), 400, 'WHODECIDES_ERR_VALIDATION')
    t.ok(problem.errors.some((e: { path: string }) => e.path === path), `PATCH ${JSON.stringify(payload)} names ${path}`)
  }
  t.equal((await call({ method: 'GET', url: '/v1/assignments/cell' })).json().version, 1, 'no refused PATCH was written')
  t.equal(changeCount(app, 'assignments'), 1)
})

t.test('keys and roles: 401 without a key, 403 for a reader writing', async (t) => {
  const { app, call } = await setup(t)
  await post(call, { id: 'cell', personId: 'ada', role: 'A', domainId: 'pricing' })
  assertProblem(t, await call({ method: 'GET', url: '/v1/assignments', as: null }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  assertProblem(t, await call({ method: 'GET', url: '/v1/assignments/cell', as: null }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  assertProblem(t, await call({ method: 'POST', url: '/v1/assignments', payload: { personId: 'ada', role: 'R', domainId: 'pricing' }, as: null }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  for (const as of ['reader', 'auditor'] as const) {
    assertProblem(t, await call({ method: 'POST', url: '/v1/assignments', payload: { personId: 'ada', role: 'R', domainId: 'pricing' }, as }), 403, 'WHODECIDES_ERR_FORBIDDEN')
    assertProblem(t, await call({ method: 'PATCH', url: '/v1/assignments/cell', payload: { role: 'R' }, as }), 403, 'WHODECIDES_ERR_FORBIDDEN')
    assertProblem(t, await call({ method: 'DELETE', url: '/v1/assignments/cell', as }), 403, 'WHODECIDES_ERR_FORBIDDEN')
    t.equal((await call({ method: 'GET', url: '/v1/assignments', as })).statusCode, 200, `a ${as} reads`)
  }
  t.equal(changeCount(app, 'assignments'), 1)
  t.strictSame((await call({ method: 'GET', url: '/v1/assignments/cell' })).json().validTo, null, 'not ended')
})

t.test('404 for an unknown assignment', async (t) => {
  const { call } = await setup(t)
  const problem = assertProblem(t, await call({ method: 'GET', url: '/v1/assignments/nope' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  t.equal(problem.detail, 'No assignments record with id "nope"')
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/assignments/nope', payload: { role: 'R' } }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await call({ method: 'DELETE', url: '/v1/assignments/nope' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
})

t.test('409: a taken id, and the same role on the same target over overlapping periods', async (t) => {
  const { app, call } = await setup(t)
  const first = { id: 'ada-2026', personId: 'ada', role: 'A', domainId: 'pricing', validFrom: '2026-01-01T00:00:00Z', validTo: '2026-07-01T00:00:00Z' }
  t.equal((await post(call, first)).statusCode, 201)
  const taken = assertProblem(t, await post(call, { ...first, role: 'I' }), 409, 'WHODECIDES_ERR_CONFLICT')
  t.strictSame(taken.errors, [{ in: 'body', path: '/id', message: 'already exists' }])

  const overlap = assertProblem(t, await post(call, { ...first, id: 'ada-again', validFrom: '2026-06-30T00:00:00Z', validTo: null }), 409, 'WHODECIDES_ERR_CONFLICT')
  t.strictSame(overlap.blockedBy, [{ entity: 'assignments', id: 'ada-2026' }], 'the existing assignment is named')
  t.match(overlap.detail, /"ada-2026"/)
  t.equal(overlap.errors[0].path, '/validFrom')
  const inside = assertProblem(t, await post(call, { ...first, id: 'inside', validFrom: '2026-03-01T00:00:00Z', validTo: '2026-04-01T00:00:00Z' }), 409, 'WHODECIDES_ERR_CONFLICT')
  t.strictSame(inside.blockedBy, [{ entity: 'assignments', id: 'ada-2026' }])
  const around = await post(call, { ...first, id: 'around', validFrom: '2025-01-01T00:00:00Z', validTo: null })
  t.equal(around.statusCode, 409, 'an open-ended period that starts earlier overlaps too')
  t.equal(changeCount(app, 'assignments'), 1, 'refused creates wrote nothing')

  const adjacentAfter = await post(call, { ...first, id: 'ada-later', validFrom: '2026-07-01T00:00:00Z', validTo: null })
  t.equal(adjacentAfter.statusCode, 201, 'a period starting where the other ends does not overlap')
  const adjacentBefore = await post(call, { ...first, id: 'ada-earlier', validFrom: '2025-01-01T00:00:00Z', validTo: '2026-01-01T00:00:00Z' })
  t.equal(adjacentBefore.statusCode, 201, 'a period ending where the other starts does not overlap')
  t.equal((await post(call, { ...first, id: 'ada-r', role: 'R' })).statusCode, 201, 'another role on the same target is fine')
  t.equal((await post(call, { ...first, id: 'grace-a', personId: 'grace' })).statusCode, 201, 'another person is fine')
  t.equal((await post(call, { ...first, id: 'ada-a-initiative', domainId: null, initiativeId: 'new-prices' })).statusCode, 201, 'another target is fine')

  const moved = await call({ method: 'PATCH', url: '/v1/assignments/ada-earlier', payload: { validTo: '2026-01-02T00:00:00Z' } })
  const problem = assertProblem(t, moved, 409, 'WHODECIDES_ERR_CONFLICT')
  t.strictSame(problem.blockedBy, [{ entity: 'assignments', id: 'ada-2026' }], 'PATCH is checked against the others')
  const self = await call({ method: 'PATCH', url: '/v1/assignments/ada-2026', payload: { validFrom: '2026-01-01T12:00:00Z' } })
  t.equal(self.statusCode, 200, 'an assignment does not overlap itself')
})

t.test('412: a stale If-Match writes nothing', async (t) => {
  const { app, call } = await setup(t)
  await post(call, { id: 'cell', personId: 'ada', role: 'A', domainId: 'pricing' })
  const stale = await call({ method: 'PATCH', url: '/v1/assignments/cell', headers: { 'if-match': '"7"' }, payload: { role: 'R' } })
  const problem = assertProblem(t, stale, 412, 'WHODECIDES_ERR_PRECONDITION_FAILED')
  t.equal(problem.detail, 'If-Match does not match the current version 1')
  assertProblem(t, await call({ method: 'DELETE', url: '/v1/assignments/cell', headers: { 'if-match': '"2"' } }), 412, 'WHODECIDES_ERR_PRECONDITION_FAILED')
  const got = (await call({ method: 'GET', url: '/v1/assignments/cell' })).json()
  t.equal(got.role, 'A')
  t.equal(got.validTo, null)
  t.equal(got.version, 1)
  t.equal(changeCount(app, 'assignments'), 1)
  const weak = await call({ method: 'PATCH', url: '/v1/assignments/cell', headers: { 'if-match': 'W/"1"' }, payload: { role: 'R' } })
  t.equal(weak.statusCode, 200, 'the current version passes')
})

t.test('422: unknown references and an empty or backwards period', async (t) => {
  const { app, call } = await setup(t)
  const good = { personId: 'ada', role: 'A', domainId: 'pricing', validFrom: '2026-01-01T00:00:00Z' }
  const refs: [object, string, string][] = [
    [{ personId: 'nobody' }, '/personId', 'no people record with id "nobody"'],
    [{ domainId: 'nowhere' }, '/domainId', 'no domains record with id "nowhere"'],
    [{ domainId: null, initiativeId: 'nothing' }, '/initiativeId', 'no initiatives record with id "nothing"']
  ]
  for (const [change, path, message] of refs) {
    const problem = assertProblem(t, await post(call, { ...good, ...change }), 422, 'WHODECIDES_ERR_UNKNOWN_REFERENCE')
    t.strictSame(problem.errors, [{ in: 'body', path, message }])
  }
  for (const validTo of ['2025-12-31T00:00:00Z', '2026-01-01T00:59:59+01:00']) {
    const problem = assertProblem(t, await post(call, { ...good, validTo }), 422, 'WHODECIDES_ERR_INVALID_RECORD')
    t.strictSame(problem.errors.map((e: { path: string }) => e.path), ['/validTo'], `validTo ${validTo}`)
  }
  t.equal(changeCount(app, 'assignments'), 0)

  await post(call, { ...good, id: 'cell' })
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/assignments/cell', payload: { validFrom: '2027-01-01T00:00:00Z', validTo: '2026-06-01T00:00:00Z' } }), 422, 'WHODECIDES_ERR_INVALID_RECORD')
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/assignments/cell', payload: { validTo: '2025-06-01T00:00:00Z' } }), 422, 'WHODECIDES_ERR_INVALID_RECORD')
  const ref = assertProblem(t, await call({ method: 'PATCH', url: '/v1/assignments/cell', payload: { domainId: null, initiativeId: 'ghost' } }), 422, 'WHODECIDES_ERR_UNKNOWN_REFERENCE')
  t.equal(ref.errors[0].path, '/initiativeId')
  t.equal((await call({ method: 'GET', url: '/v1/assignments/cell' })).json().version, 1)
})

t.test('lists filter on person, target, role and activeAt', async (t) => {
  const { call } = await setup(t)
  const rows = [
    { id: 'a1', personId: 'ada', role: 'A', domainId: 'pricing', validFrom: '2026-01-01T00:00:00Z', validTo: '2026-07-01T00:00:00Z' },
    { id: 'a2', personId: 'ada', role: 'R', initiativeId: 'new-prices', validFrom: '2026-03-01T00:00:00Z' },
    { id: 'g1', personId: 'grace', role: 'A', domainId: 'pricing', validFrom: '2026-07-01T00:00:00Z' },
    { id: 'g2', personId: 'grace', role: 'C', domainId: 'commercial', validFrom: '2025-01-01T00:00:00Z', validTo: '2026-01-01T00:00:00Z' }
  ]
  for (const row of rows) t.equal((await post(call, row)).statusCode, 201)
  const ids = async (query: string): Promise<string[]> =>
    (await call({ method: 'GET', url: `/v1/assignments?${query}`, as: 'reader' })).json().items.map((a: { id: string }) => a.id)
  t.strictSame(await ids(''), ['a1', 'a2', 'g1', 'g2'])
  t.strictSame(await ids('personId=ada'), ['a1', 'a2'])
  t.strictSame(await ids('domainId=pricing'), ['a1', 'g1'])
  t.strictSame(await ids('initiativeId=new-prices'), ['a2'])
  t.strictSame(await ids('role=A'), ['a1', 'g1'])
  t.strictSame(await ids('role=A&domainId=pricing&personId=grace'), ['g1'])
  t.strictSame(await ids('personId=alan'), [])
  t.strictSame(await ids('activeAt=2026-01-01T00:00:00Z'), ['a1'], 'validFrom is inclusive, validTo exclusive')
  t.strictSame(await ids('activeAt=2025-12-31T23:59:59.999Z'), ['g2'])
  t.strictSame(await ids('activeAt=2026-04-01T00:00:00Z'), ['a1', 'a2'])
  t.strictSame(await ids('activeAt=2026-07-01T00:00:00Z'), ['a2', 'g1'], 'a1 has ended, g1 has begun')
  t.strictSame(await ids('activeAt=2026-07-01T02:00:00%2B02:00'), ['a2', 'g1'], 'an offset is read as the same instant')
  t.strictSame(await ids('activeAt=2026-07-01T00:00:00Z&role=A'), ['g1'])
  t.strictSame(await ids('activeAt=2024-01-01T00:00:00Z'), [])
})

t.test('lists page with a cursor', async (t) => {
  const { call } = await setup(t)
  for (let i = 0; i < 5; i++) {
    t.equal((await post(call, { id: `cell-${i}`, personId: 'ada', role: 'A', domainId: 'pricing', validFrom: `202${i}-01-01T00:00:00Z`, validTo: `202${i}-06-01T00:00:00Z` })).statusCode, 201)
  }
  const first = (await call({ method: 'GET', url: '/v1/assignments?limit=2' })).json()
  t.strictSame(first.items.map((a: { id: string }) => a.id), ['cell-0', 'cell-1'])
  t.type(first.nextCursor, 'string')
  const second = (await call({ method: 'GET', url: `/v1/assignments?limit=2&cursor=${first.nextCursor}` })).json()
  t.strictSame(second.items.map((a: { id: string }) => a.id), ['cell-2', 'cell-3'])
  const last = (await call({ method: 'GET', url: `/v1/assignments?limit=2&cursor=${second.nextCursor}` })).json()
  t.strictSame(last, { items: [last.items[0]], nextCursor: null })
  t.equal(last.items[0].id, 'cell-4')
  const all = (await call({ method: 'GET', url: '/v1/assignments' })).json()
  t.equal(all.items.length, 5)
  t.equal(all.nextCursor, null)
})
