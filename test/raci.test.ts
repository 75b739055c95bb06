// The RACI view: direct holders, holders inherited up two ancestor levels, and the validity window at a time.
import t from 'tap'
import { assertProblem, buildTestApp, type TestApp } from './helper.js'

const AT = '2026-03-03T09:00:00.000Z'

/** A registry with the domain tree root ← mid ← leaf (and an unrelated one), and assignments around it. */
async function registry (t: Parameters<typeof buildTestApp>[0]): Promise<TestApp> {
  const test = await buildTestApp(t)
  const { app, call } = test
  const posts: [string, object][] = [
    ['/v1/domains', { id: 'root', name: 'Company' }],
    ['/v1/domains', { id: 'mid', name: 'Commercial', parentId: 'root' }],
    ['/v1/domains', { id: 'leaf', name: 'Pricing', parentId: 'mid' }],
    ['/v1/domains', { id: 'other', name: 'Hiring' }],
    ['/v1/initiatives', { id: 'launch', title: 'Launch', domainId: 'leaf' }],
    ['/v1/initiatives', { id: 'sibling', title: 'Sibling', domainId: 'leaf' }],
    ['/v1/initiatives', { id: 'solo', title: 'Solo' }]
  ]
  for (const name of ['ada', 'bob', 'cyd', 'dee', 'eve', 'fay']) {
    posts.push(['/v1/people', { id: name, name: name.toUpperCase(), email: `${name}@example.com` }])
  }
  for (const [url, payload] of posts) {
    const res = await call({ method: 'POST', url, payload })
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.body}`)
  }
  const insert = app.runtime.db.$client.prepare(`INSERT INTO assignments (id, version, created_at, updated_at, person_id, role, initiative_id, domain_id, valid_from, valid_to)
    VALUES (?, 1, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', ?, ?, ?, ?, ?, ?)`)
  const rows: [string, string, string, string | null, string | null, string, string | null][] = [
    ['as-r1', 'ada', 'R', 'launch', null, '2026-01-01T00:00:00.000Z', null],
    ['as-r2', 'eve', 'R', null, 'root', '2025-01-01T00:00:00.000Z', null],
    ['as-a1', 'bob', 'A', null, 'leaf', '2026-01-01T00:00:00.000Z', null],
    ['as-a0', 'eve', 'A', null, 'root', '2025-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'], // ended before AT
    ['as-a2', 'fay', 'A', 'launch', null, '2026-04-01T00:00:00.000Z', null], // starts after AT
    ['as-c1', 'cyd', 'C', null, 'mid', '2025-06-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['as-i1', 'dee', 'I', null, 'root', '2025-01-01T00:00:00.000Z', null],
    ['as-i2', 'fay', 'I', 'launch', null, '2025-01-01T00:00:00.000Z', AT], // ends exactly at AT: no longer holds
    ['as-i3', 'bob', 'I', null, 'mid', AT, null], // starts exactly at AT: holds
    ['as-x1', 'fay', 'R', null, 'other', '2025-01-01T00:00:00.000Z', null],
    ['as-x2', 'fay', 'C', 'sibling', null, '2025-01-01T00:00:00.000Z', null]
  ]
  for (const row of rows) insert.run(...row)
  return test
}

const holder = (assignmentId: string, personId: string, domainId: string | null, validFrom: string, validTo: string | null = null) =>
  ({ assignmentId, personId, name: personId.toUpperCase(), source: domainId === null ? 'direct' : 'inherited', domainId, validFrom, validTo })

t.test('direct and inherited holders, valid at the given time', async (t) => {
  const { call } = await registry(t)
  const res = await call({ method: 'GET', url: '/v1/initiatives/launch/raci?at=2026-03-03T10:00:00%2B01:00', as: 'reader' })
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), {
    initiativeId: 'launch',
    at: AT,
    R: [holder('as-r1', 'ada', null, '2026-01-01T00:00:00.000Z'), holder('as-r2', 'eve', 'root', '2025-01-01T00:00:00.000Z')],
    A: [holder('as-a1', 'bob', 'leaf', '2026-01-01T00:00:00.000Z')],
    C: [holder('as-c1', 'cyd', 'mid', '2025-06-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')],
    I: [holder('as-i3', 'bob', 'mid', AT), holder('as-i1', 'dee', 'root', '2025-01-01T00:00:00.000Z')]
  })
})

t.test('another time shows the holders of that time', async (t) => {
  const { call } = await registry(t)
  const january = (await call({ method: 'GET', url: '/v1/initiatives/launch/raci?at=2026-01-15T00:00:00Z' })).json()
  t.strictSame(january.A, [holder('as-a1', 'bob', 'leaf', '2026-01-01T00:00:00.000Z'), holder('as-a0', 'eve', 'root', '2025-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z')])
  t.strictSame(january.I, [holder('as-i2', 'fay', null, '2025-01-01T00:00:00.000Z', AT), holder('as-i1', 'dee', 'root', '2025-01-01T00:00:00.000Z')])
  const april = (await call({ method: 'GET', url: '/v1/initiatives/launch/raci?at=2026-04-01T00:00:00.000Z' })).json()
  t.strictSame(april.A, [holder('as-a2', 'fay', null, '2026-04-01T00:00:00.000Z'), holder('as-a1', 'bob', 'leaf', '2026-01-01T00:00:00.000Z')])
  const before = (await call({ method: 'GET', url: '/v1/initiatives/launch/raci?at=2020-01-01T00:00:00Z' })).json()
  t.strictSame(before, { initiativeId: 'launch', at: '2020-01-01T00:00:00.000Z', R: [], A: [], C: [], I: [] })
})

t.test('at defaults to now', async (t) => {
  const { call } = await registry(t)
  const start = new Date().toISOString()
  const res = await call({ method: 'GET', url: '/v1/initiatives/launch/raci' })
  const end = new Date().toISOString()
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.ok(body.at >= start && body.at <= end, `at ${body.at} is now`)
  t.strictSame((await call({ method: 'GET', url: `/v1/initiatives/launch/raci?at=${body.at}` })).json(), body, 'the same as asking at that time')
})

t.test('an initiative without a domain has only its own holders; moving domains moves inheritance', async (t) => {
  const { app, call } = await registry(t)
  app.runtime.db.$client.prepare(`INSERT INTO assignments (id, version, created_at, updated_at, person_id, role, initiative_id, valid_from)
    VALUES ('as-s1', 1, ?, ?, 'cyd', 'A', 'solo', ?)`).run(AT, AT, '2025-01-01T00:00:00.000Z')
  const solo = (await call({ method: 'GET', url: `/v1/initiatives/solo/raci?at=${AT}` })).json()
  t.strictSame(solo, { initiativeId: 'solo', at: AT, R: [], A: [holder('as-s1', 'cyd', null, '2025-01-01T00:00:00.000Z')], C: [], I: [] })

  // Moves answer from the moment they are recorded; a time before them keeps the tree as it was.
  const beforeMoves = new Date().toISOString()
  t.equal((await call({ method: 'PATCH', url: '/v1/domains/mid', payload: { parentId: null } })).statusCode, 200)
  const cut = (await call({ method: 'GET', url: '/v1/initiatives/launch/raci' })).json()
  t.strictSame(cut.R, [holder('as-r1', 'ada', null, '2026-01-01T00:00:00.000Z')], 'root no longer above: its R is gone')
  t.strictSame(cut.I, [holder('as-i3', 'bob', 'mid', AT)])
  const then = (await call({ method: 'GET', url: `/v1/initiatives/launch/raci?at=${beforeMoves}` })).json()
  t.strictSame(then.R, [holder('as-r1', 'ada', null, '2026-01-01T00:00:00.000Z'), holder('as-r2', 'eve', 'root', '2025-01-01T00:00:00.000Z')], 'before the move, root was above')

  t.equal((await call({ method: 'PATCH', url: '/v1/initiatives/solo', payload: { domainId: 'other' } })).statusCode, 200)
  const moved = (await call({ method: 'GET', url: '/v1/initiatives/solo/raci' })).json()
  t.strictSame(moved.R, [holder('as-x1', 'fay', 'other', '2025-01-01T00:00:00.000Z')])
  t.strictSame((await call({ method: 'GET', url: `/v1/initiatives/solo/raci?at=${beforeMoves}` })).json().R, [], 'before its move, solo had no domain')
})

t.test('refusals: unknown initiative, bad time, unknown parameter, no key', async (t) => {
  const { call } = await registry(t)
  const missing = assertProblem(t, await call({ method: 'GET', url: '/v1/initiatives/nobody/raci' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  t.equal(missing.detail, 'No initiatives record with id "nobody"')
  for (const query of ['at=yesterday', 'at=2026-03-03T09:00:00', 'at=2026-02-30T00:00:00Z', 'when=2026-03-03T09:00:00Z']) {
    const problem = assertProblem(t, await call({ method: 'GET', url: `/v1/initiatives/launch/raci?${query}` }), 400, 'WHODECIDES_ERR_VALIDATION')
    t.equal(problem.errors[0].in, 'query', query)
  }
  const leap = assertProblem(t, await call({ method: 'GET', url: '/v1/initiatives/launch/raci?at=2026-06-30T23:59:60Z' }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.strictSame(leap.errors.map((e: { in: string, path: string }) => [e.in, e.path]), [['query', '/at']], 'a leap second is no instant')
  assertProblem(t, await call({ method: 'GET', url: '/v1/initiatives/launch/raci', as: null }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
})
