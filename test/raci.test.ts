// The RACI view: direct holders, holders inherited up two ancestor levels, and the validity window at a time.
import fc from 'fast-check'
import t from 'tap'
import { assertProblem, buildTestApp, type TestApp } from './helper.js'
import { RegistryBuilder, writeRegistry } from './registry/registry-data.js'

const AT = '2026-03-03T09:00:00.000Z'

/** A registry with the domain tree root ← mid ← leaf (and an unrelated one), and assignments around it. */
async function registry (t: Parameters<typeof buildTestApp>[0]): Promise<TestApp> {
  const test = await buildTestApp(t)
  const { call } = test
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
  // Through the API, as a client writes them: the decider index follows the writes, and /decider with it.
  for (const [id, personId, role, initiativeId, domainId, validFrom, validTo] of rows) {
    const payload = { id, personId, role, validFrom, ...(initiativeId === null ? { domainId } : { initiativeId }), ...(validTo === null ? {} : { validTo }) }
    const res = await call({ method: 'POST', url: '/v1/assignments', payload })
    if (res.statusCode !== 201) throw new Error(`${id}: ${res.body}`)
  }
  return test
}

/** Where each level of the registry sits from 'launch' (and 'solo', once moved under 'other'), and its name. */
const LEVELS: Record<string, { distance: number, name: string }> = {
  leaf: { distance: 1, name: 'Pricing' }, mid: { distance: 2, name: 'Commercial' }, root: { distance: 3, name: 'Company' }, other: { distance: 1, name: 'Hiring' }
}
const TITLES: Record<string, string> = { launch: 'Launch', sibling: 'Sibling', solo: 'Solo' }

const holder = (assignmentId: string, personId: string, domainId: string | null, validFrom: string, validTo: string | null = null,
  options: { authority?: 'effective' | 'overridden', initiativeId?: string } = {}) => ({
  assignmentId, personId, name: personId.toUpperCase(), source: domainId === null ? 'direct' : 'inherited', domainId, validFrom, validTo,
  origin: domainId === null
    ? { level: 'initiative', id: options.initiativeId ?? 'launch', name: TITLES[options.initiativeId ?? 'launch'], distance: 0 }
    : { level: 'domain', id: domainId, name: LEVELS[domainId]!.name, distance: LEVELS[domainId]!.distance },
  ...(options.authority === undefined ? {} : { authority: options.authority })
})
const effective = { authority: 'effective' } as const
const overridden = { authority: 'overridden' } as const
const decider = (initiativeId: string, at: string) => `/v1/initiatives/${initiativeId}/decider?at=${encodeURIComponent(at)}`

t.test('direct and inherited holders, valid at the given time', async (t) => {
  const { call } = await registry(t)
  const res = await call({ method: 'GET', url: '/v1/initiatives/launch/raci?at=2026-03-03T10:00:00%2B01:00', as: 'reader' })
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), {
    initiativeId: 'launch',
    at: AT,
    decider: decider('launch', AT),
    R: [holder('as-r1', 'ada', null, '2026-01-01T00:00:00.000Z'), holder('as-r2', 'eve', 'root', '2025-01-01T00:00:00.000Z')],
    A: [holder('as-a1', 'bob', 'leaf', '2026-01-01T00:00:00.000Z', null, effective)],
    C: [holder('as-c1', 'cyd', 'mid', '2025-06-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')],
    I: [holder('as-i3', 'bob', 'mid', AT), holder('as-i1', 'dee', 'root', '2025-01-01T00:00:00.000Z')]
  })
})

t.test('another time shows the holders of that time', async (t) => {
  const { call } = await registry(t)
  const january = (await call({ method: 'GET', url: '/v1/initiatives/launch/raci?at=2026-01-15T00:00:00Z' })).json()
  t.strictSame(january.A, [holder('as-a1', 'bob', 'leaf', '2026-01-01T00:00:00.000Z', null, effective), holder('as-a0', 'eve', 'root', '2025-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', overridden)])
  t.strictSame(january.I, [holder('as-i2', 'fay', null, '2025-01-01T00:00:00.000Z', AT), holder('as-i1', 'dee', 'root', '2025-01-01T00:00:00.000Z')])
  const april = (await call({ method: 'GET', url: '/v1/initiatives/launch/raci?at=2026-04-01T00:00:00.000Z' })).json()
  t.strictSame(april.A, [holder('as-a2', 'fay', null, '2026-04-01T00:00:00.000Z', null, effective), holder('as-a1', 'bob', 'leaf', '2026-01-01T00:00:00.000Z', null, overridden)])
  const before = (await call({ method: 'GET', url: '/v1/initiatives/launch/raci?at=2020-01-01T00:00:00Z' })).json()
  t.strictSame(before, { initiativeId: 'launch', at: '2020-01-01T00:00:00.000Z', decider: decider('launch', '2020-01-01T00:00:00.000Z'), R: [], A: [], C: [], I: [] })
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
  const { call } = await registry(t)
  t.equal((await call({ method: 'POST', url: '/v1/assignments', payload: { id: 'as-s1', personId: 'cyd', role: 'A', initiativeId: 'solo', validFrom: '2025-01-01T00:00:00.000Z' } })).statusCode, 201)
  const solo = (await call({ method: 'GET', url: `/v1/initiatives/solo/raci?at=${AT}` })).json()
  t.strictSame(solo, { initiativeId: 'solo', at: AT, decider: decider('solo', AT), R: [], A: [holder('as-s1', 'cyd', null, '2025-01-01T00:00:00.000Z', null, { ...effective, initiativeId: 'solo' })], C: [], I: [] })

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

t.test('a direct A overrides an inherited one: /raci, the matrix and /decider say the same', async (t) => {
  const { call } = await registry(t)
  // From April, fay's A on launch itself replaces bob's, inherited from leaf.
  const april = '2026-04-02T00:00:00.000Z'
  const raci = (await call({ method: 'GET', url: `/v1/initiatives/launch/raci?at=${april}` })).json()
  t.strictSame(raci.A.map((h: { personId: string, authority: string }) => [h.personId, h.authority]), [['fay', 'effective'], ['bob', 'overridden']])
  const answer = (await call({ method: 'GET', url: raci.decider })).json()
  t.equal(answer.at, april, 'the decider link asks at the same time')
  t.strictSame(answer.deciders.map((d: { personId: string }) => d.personId), ['fay'], '/decider names the direct A')
  t.equal(answer.deciders[0].via[0].id, 'as-a2')

  const matrix = await call({ method: 'GET', url: `/v1/raci?format=json&at=${april}` })
  t.equal(matrix.statusCode, 200)
  const row = matrix.json().rows.find((r: { initiativeId: string }) => r.initiativeId === 'launch')
  t.strictSame(row.accountable, [holder('as-a2', 'fay', null, '2026-04-01T00:00:00.000Z', null, effective), holder('as-a1', 'bob', 'leaf', '2026-01-01T00:00:00.000Z', null, overridden)])
  t.strictSame(row.roles, { ada: ['R'], fay: ['A'] }, 'the cells keep showing the roles held on the initiative itself')
  const sibling = matrix.json().rows.find((r: { initiativeId: string }) => r.initiativeId === 'sibling')
  t.strictSame(sibling.accountable, [holder('as-a1', 'bob', 'leaf', '2026-01-01T00:00:00.000Z', null, effective)], 'an inherited A with nothing nearer is effective')
})

t.test('an absent A stays the effective one; /decider says who decides in its place', async (t) => {
  const { call } = await registry(t)
  const since = '2026-03-01T00:00:00.000Z'
  t.equal((await call({ method: 'PATCH', url: '/v1/people/bob', payload: { status: 'on_leave', statusSince: since } })).statusCode, 200)
  t.equal((await call({ method: 'POST', url: '/v1/delegations', payload: { id: 'dg-1', fromPersonId: 'bob', toPersonId: 'cyd', domainId: 'leaf', validFrom: since } })).statusCode, 201)
  const raci = (await call({ method: 'GET', url: `/v1/initiatives/launch/raci?at=${AT}` })).json()
  t.strictSame(raci.A, [holder('as-a1', 'bob', 'leaf', '2026-01-01T00:00:00.000Z', null, effective)])
  const answer = (await call({ method: 'GET', url: raci.decider })).json()
  t.strictSame(answer.deciders.map((d: { personId: string, via: Array<{ id: string }> }) => [d.personId, d.via.map((s) => s.id)]), [['cyd', ['as-a1', 'dg-1']]])
})

// Random small organizations written to a real database: at each time, for every initiative, the effective A's of
// /raci are exactly the formal deciders /decider starts from (the first step of each decider's path, and the absent).
const PEOPLE = ['p0', 'p1', 'p2', 'p3', 'p4']
const DOMAINS = ['d0', 'd1', 'd2', 'd3']
const INITIATIVES = ['i0', 'i1', 'i2', 'i3']
const TIMES = ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01'].map((d) => `${d}T00:00:00.000Z`)
const period = fc.tuple(fc.integer({ min: 0, max: TIMES.length - 1 }), fc.integer({ min: 1, max: TIMES.length }))
  .map(([from, span]) => [TIMES[from]!, TIMES[from + span] ?? null] as const)
const where = fc.oneof(fc.constantFrom(...INITIATIVES), fc.constantFrom(...DOMAINS.map((d) => `d:${d}`)))
const organization = fc.record({
  away: fc.array(fc.tuple(fc.constantFrom(...PEOPLE), fc.constantFrom('on_leave', 'retired' as const), fc.constantFrom(...TIMES)), { minLength: 2, maxLength: 5 }),
  parents: fc.array(fc.option(fc.nat(DOMAINS.length - 1), { nil: null }), { minLength: DOMAINS.length, maxLength: DOMAINS.length }),
  homes: fc.array(fc.option(fc.constantFrom(...DOMAINS), { nil: null, freq: 4 }), { minLength: INITIATIVES.length, maxLength: INITIATIVES.length }),
  rules: fc.array(fc.constantFrom('single', 'pool', 'unanimous' as const), { minLength: INITIATIVES.length, maxLength: INITIATIVES.length }),
  assignments: fc.array(fc.tuple(fc.constantFrom(...PEOPLE), where, fc.constantFrom('A', 'A', 'A', 'R', 'C' as const), period), { minLength: 6, maxLength: 16 }),
  delegations: fc.array(fc.tuple(fc.constantFrom(...PEOPLE), fc.oneof(where, fc.constant('*')), period), { minLength: 3, maxLength: 8 })
}).map((r) => {
  // Each person pK hands authority only to their own deputy qK, who holds no role: no two deciders share a delegate.
  const b = new RegistryBuilder().people(...PEOPLE, ...PEOPLE.map((p) => p.replace('p', 'q')))
  DOMAINS.forEach((id, i) => b.domain(id, r.parents[i] !== null && r.parents[i]! < i ? DOMAINS[r.parents[i]!]! : null))
  INITIATIVES.forEach((id, i) => b.initiative(id, r.homes[i]!, r.rules[i]!))
  const times = new Set<string>()
  for (const [person, status, from] of r.away) {
    if (![...times].some((k) => k.startsWith(`${person} `))) b.status(person, 'active')
    if (!times.has(`${person} ${from}`)) b.status(person, status, from)
    times.add(`${person} ${from}`)
  }
  r.assignments.forEach(([person, target, role, [from, to]], i) => b.assign(`a${i}`, person, target, role, from, to))
  r.delegations.forEach(([from, scope, [validFrom, validTo]], i) => b.delegate(`g${i}`, from, from.replace('p', 'q'), scope, validFrom, validTo))
  return b.build()
})

t.test('property: for a random organization, the effective A\'s of /raci are /decider\'s formal deciders', async (t) => {
  const ats = ['2026-01-15T00:00:00.000Z', '2026-02-15T00:00:00.000Z', '2026-03-15T00:00:00.000Z', '2026-05-01T00:00:00.000Z']
  let compared = 0
  let overriddenSeen = 0
  let delegatedSeen = 0
  for (const data of fc.sample(organization, { seed: 15, numRuns: 12 })) {
    const { app, call } = await buildTestApp(t)
    writeRegistry(app.runtime.db, data)
    for (const at of ats) {
      const matrix = (await call({ method: 'GET', url: `/v1/raci?format=json&at=${at}` })).json()
      for (const id of INITIATIVES) {
        const raci = (await call({ method: 'GET', url: `/v1/initiatives/${id}/raci?at=${at}` })).json()
        const answer = (await call({ method: 'GET', url: `/v1/initiatives/${id}/decider?at=${at}` })).json()
        const A = raci.A as Array<{ assignmentId: string, personId: string, authority: string, origin: { distance: number } }>
        const effectiveA = A.filter((h) => h.authority === 'effective')
        const holderOf = new Map(A.map((h) => [h.assignmentId, h]))
        const formal = answer.deciders.map((d: { via: Array<{ id: string }> }) => d.via[0]!.id) as string[]
        const formalPeople = new Set([...formal.map((a) => holderOf.get(a)?.personId), ...answer.absent.map((p: { personId: string }) => p.personId)])
        const label = `${id} at ${at} (sample ${compared})`
        t.ok(formal.every((a) => holderOf.get(a)?.authority === 'effective'), `${label}: each decider comes from an effective A`)
        t.strictSame([...new Set(effectiveA.map((h) => h.personId))].sort(), [...formalPeople].sort(), `${label}: effective A's = formal deciders`)
        t.equal(effectiveA.length === 0, answer.resolution === 'none', `${label}: no effective A exactly when nobody is found`)
        const nearest = Math.min(...effectiveA.map((h) => h.origin.distance))
        t.ok(A.every((h) => h.authority === 'effective' ? h.origin.distance === nearest : h.origin.distance > nearest), `${label}: the nearest level wins`)
        const row = matrix.rows.find((r: { initiativeId: string }) => r.initiativeId === id)
        t.strictSame(row.accountable, raci.A, `${label}: the matrix row says the same as /raci`)
        overriddenSeen += A.length - effectiveA.length
        delegatedSeen += answer.deciders.filter((d: { via: unknown[] }) => d.via.length > 1).length
        compared++
      }
    }
    await app.close()
  }
  t.ok(compared === 12 * 4 * INITIATIVES.length && overriddenSeen > 10 && delegatedSeen > 3, `${compared} initiatives compared; ${overriddenSeen} overridden A's, ${delegatedSeen} decisions through a deputy`)
})
