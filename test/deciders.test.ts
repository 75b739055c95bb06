// Who decides, over HTTP: the four routes, their refusals, the "now" cache, and agreement with a loaded snapshot.
import fc from 'fast-check'
import t, { type Test } from 'tap'
import { resolveDecider } from '../src/registry/resolver.js'
import { loadSnapshot } from '../src/registry/snapshot.js'
import type { PersonStatus } from '../db/schema.js'
import type { RegistryData, Target } from '../src/registry/types.js'
import { assertProblem, buildTestApp, type TestApp } from './helper.js'
import { AT, EPOCH, RegistryBuilder, writeRegistry } from './registry/registry-data.js'

// Every answer runs the audit rules over its slice for its caveats: the property test's 315 answers at times asked
// (each judged afresh) take minutes on a loaded machine.
t.setTimeout(600_000)

const LATER = '2099-06-01T00:00:00.000Z'
const DOMAIN_NAMES: Record<string, string> = { company: 'Company', commercial: 'Commercial', pricing: 'Pricing', hiring: 'Hiring' }
const step = (id: string, domainId: string | null) =>
  ({ kind: 'assignment', id, level: domainId === null ? 'initiative' : 'domain', domainId, domainName: domainId === null ? null : DOMAIN_NAMES[domainId] })
const hand = (id: string, from: string, to: string, validTo: string | null = null, delegationKind = 'deputy') =>
  ({ kind: 'delegation', id, from, to, fromName: from.toUpperCase(), toName: to.toUpperCase(), validTo, delegationKind })

/**
 * Through the API: domains company ← commercial ← pricing, and hiring; initiatives launch (pricing), pool-call
 * (pricing, pool) and solo (no domain); ada decides commercial, bob the launch itself from LATER, cyd hiring;
 * eve is on leave and holds A on solo, delegating everything to fay.
 */
async function registry (t: Test): Promise<TestApp> {
  const test = await buildTestApp(t)
  const posts: [string, object][] = [
    ['/v1/domains', { id: 'company', name: 'Company' }],
    ['/v1/domains', { id: 'commercial', name: 'Commercial', parentId: 'company' }],
    ['/v1/domains', { id: 'pricing', name: 'Pricing', parentId: 'commercial' }],
    ['/v1/domains', { id: 'hiring', name: 'Hiring', parentId: 'company' }],
    ['/v1/initiatives', { id: 'launch', title: 'Launch', domainId: 'pricing' }],
    ['/v1/initiatives', { id: 'pool-call', title: 'Pool call', domainId: 'pricing', decisionRule: 'pool' }],
    ['/v1/initiatives', { id: 'solo', title: 'Solo' }]
  ]
  for (const id of ['ada', 'bob', 'cyd', 'dee', 'fay']) posts.push(['/v1/people', { id, name: id.toUpperCase(), email: `${id}@example.com` }])
  posts.push(
    ['/v1/people', { id: 'eve', name: 'EVE', email: 'eve@example.com', status: 'on_leave', statusSince: EPOCH }],
    ['/v1/assignments', { id: 'as-1', personId: 'ada', role: 'A', domainId: 'commercial', validFrom: EPOCH }],
    ['/v1/assignments', { id: 'as-2', personId: 'bob', role: 'A', initiativeId: 'launch', validFrom: LATER }],
    ['/v1/assignments', { id: 'as-3', personId: 'cyd', role: 'A', domainId: 'hiring', validFrom: EPOCH }],
    ['/v1/assignments', { id: 'as-4', personId: 'eve', role: 'A', initiativeId: 'solo', validFrom: EPOCH }],
    ['/v1/assignments', { id: 'as-5', personId: 'dee', role: 'R', initiativeId: 'launch', validFrom: EPOCH }],
    ['/v1/delegations', { id: 'dg-1', fromPersonId: 'eve', toPersonId: 'fay', allScopes: true, validFrom: EPOCH }]
  )
  for (const [url, payload] of posts) {
    const res = await test.call({ method: 'POST', url, payload })
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.body}`)
  }
  return test
}

/** The answer with its caveats' fingerprints left out (hashes, checked in test/decider-answers.test.ts). */
const unprinted = (answer: any) => ({ ...answer, caveats: answer.caveats.map(({ fingerprint: _f, remediation: _r, ...c }: any) => c) })

const get = async (call: TestApp['call'], url: string) => {
  const res = await call({ method: 'GET', url, as: 'reader' })
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res.json()
}

t.test('GET /v1/initiatives/{id}/decider: inherited, then the initiative\'s own from its start, and a delegation', async (t) => {
  const { call } = await registry(t)
  t.strictSame(await get(call, `/v1/initiatives/launch/decider?at=${AT}`), {
    initiativeId: 'launch',
    at: AT,
    decisionRule: 'single',
    resolution: 'clear',
    summary: "ADA decided 'Launch' on 3 March 2026, as Accountable for the Commercial domain.",
    deciders: [{ personId: 'ada', name: 'ADA', via: [step('as-1', 'commercial')] }],
    absent: [],
    caveats: [],
    nextUp: null
  })
  const later = await get(call, '/v1/initiatives/launch/decider?at=2099-06-01T02:00:00%2B02:00')
  t.equal(later.at, LATER, 'the time is answered in canonical UTC')
  t.strictSame(later.deciders, [{ personId: 'bob', name: 'BOB', via: [step('as-2', null)] }], 'its own A from its start')
  t.strictSame(unprinted(await get(call, `/v1/initiatives/solo/decider?at=${AT}`)), {
    initiativeId: 'solo',
    at: AT,
    decisionRule: 'single',
    resolution: 'clear',
    summary: "FAY decided 'Solo' on 3 March 2026 for EVE, who was on leave; 1 caveat: No one is Responsible for \"Solo\", on it or on its domains.",
    deciders: [{ personId: 'fay', name: 'FAY', via: [step('as-4', null), hand('dg-1', 'eve', 'fay')] }],
    absent: [],
    caveats: [{ ruleId: 'no-responsible', severity: 'warning', summary: 'No one is Responsible for "Solo", on it or on its domains', subject: { kind: 'initiative', id: 'solo' }, waived: null }],
    nextUp: null
  })
  t.strictSame(unprinted(await get(call, `/v1/initiatives/pool-call/decider?at=${AT}`)), {
    initiativeId: 'pool-call',
    at: AT,
    decisionRule: 'pool',
    resolution: 'clear',
    summary: "ADA decided 'Pool call' on 3 March 2026, as Accountable for the Commercial domain (decision rule: pool); 1 caveat: No one is Responsible for \"Pool call\", on it or on its domains.",
    deciders: [{ personId: 'ada', name: 'ADA', via: [step('as-1', 'commercial')] }],
    absent: [],
    caveats: [{ ruleId: 'no-responsible', severity: 'warning', summary: 'No one is Responsible for "Pool call", on it or on its domains', subject: { kind: 'initiative', id: 'pool-call' }, waived: null }],
    nextUp: null
  })
})

t.test('GET /v1/domains/{id}/decider: own, inherited, none', async (t) => {
  const { call } = await registry(t)
  t.strictSame(await get(call, `/v1/domains/pricing/decider?at=${AT}`), {
    domainId: 'pricing',
    at: AT,
    decisionRule: 'single',
    resolution: 'clear',
    summary: 'ADA decided the Pricing domain on 3 March 2026, as Accountable for the Commercial domain.',
    deciders: [{ personId: 'ada', name: 'ADA', via: [step('as-1', 'commercial')] }],
    absent: [],
    caveats: [],
    nextUp: null
  })
  t.strictSame((await get(call, `/v1/domains/hiring/decider?at=${AT}`)).deciders, [{ personId: 'cyd', name: 'CYD', via: [step('as-3', 'hiring')] }])
  t.strictSame(await get(call, `/v1/domains/company/decider?at=${AT}`), {
    domainId: 'company',
    at: AT,
    decisionRule: 'single',
    resolution: 'none',
    summary: 'Nobody decided the Company domain on 3 March 2026: nobody was Accountable for it or for any domain above it.',
    deciders: [],
    absent: [],
    caveats: [],
    nextUp: null
  })
})

t.test('"now" answers follow every write at once, and time passing', async (t) => {
  const { call } = await registry(t)
  const start = new Date().toISOString()
  const first = await get(call, '/v1/initiatives/launch/decider')
  t.ok(first.at >= start && first.at <= new Date().toISOString(), `at ${String(first.at)} is now`)
  t.equal(first.deciders[0].personId, 'ada')
  const again = await get(call, '/v1/initiatives/launch/decider')
  t.ok(again.at >= first.at, 'a later answer carries its own time')
  t.strictSame({ ...again, at: first.at }, first, 'and the same answer')

  // A status change through the API: ada goes on leave; nobody stands in.
  const leave = await call({ method: 'PATCH', url: '/v1/people/ada', payload: { status: 'on_leave' } })
  t.equal(leave.statusCode, 200)
  const absent = await get(call, '/v1/initiatives/launch/decider')
  t.equal(absent.resolution, 'absent')
  t.strictSame(absent.absent, [{ personId: 'ada', name: 'ADA', status: 'on_leave' }])
  t.equal((await get(call, '/v1/domains/pricing/decider')).resolution, 'absent', 'the domain\'s cached answer too')

  // A delegation through the API.
  t.equal((await call({ method: 'POST', url: '/v1/delegations', payload: { id: 'dg-2', fromPersonId: 'ada', toPersonId: 'dee', domainId: 'company' } })).statusCode, 201)
  t.strictSame((await get(call, '/v1/initiatives/launch/decider')).deciders, [{ personId: 'dee', name: 'DEE', via: [step('as-1', 'commercial'), hand('dg-2', 'ada', 'dee')] }])

  // A change of the delegation: its new delegate answers at once.
  const moved = await call({ method: 'PATCH', url: '/v1/delegations/dg-2', payload: { toPersonId: 'cyd' } })
  t.equal(moved.statusCode, 200, moved.body)
  t.equal((await get(call, '/v1/initiatives/launch/decider')).deciders[0].personId, 'cyd')

  // A row that starts holding a moment from now changes the answer when that moment comes, with no write.
  const soon = new Date(Date.now() + 600).toISOString()
  t.equal((await call({ method: 'POST', url: '/v1/assignments', payload: { id: 'as-9', personId: 'fay', role: 'A', initiativeId: 'launch', validFrom: soon } })).statusCode, 201)
  t.equal((await get(call, '/v1/initiatives/launch/decider')).deciders[0].personId, 'cyd', 'before it starts')
  t.equal((await get(call, '/v1/initiatives/launch/decider')).deciders[0].personId, 'cyd', 'still')
  await new Promise((resolve) => setTimeout(resolve, Date.parse(soon) - Date.now() + 20))
  t.strictSame((await get(call, '/v1/initiatives/launch/decider')).deciders, [{ personId: 'fay', name: 'FAY', via: [step('as-9', null)] }], 'once it holds')
})

t.test('GET /v1/people/{id}/authority: direct, inherited, by delegation; a nearer A takes it away', async (t) => {
  const { call } = await registry(t)
  t.strictSame(await get(call, `/v1/people/ada/authority?at=${AT}`), {
    personId: 'ada',
    at: AT,
    initiatives: [
      { initiativeId: 'launch', how: 'inherited', via: [step('as-1', 'commercial')] },
      { initiativeId: 'pool-call', how: 'inherited', via: [step('as-1', 'commercial')] }
    ],
    domains: [
      { domainId: 'commercial', how: 'direct', via: [step('as-1', 'commercial')] },
      { domainId: 'pricing', how: 'inherited', via: [step('as-1', 'commercial')] }
    ]
  })
  t.strictSame((await get(call, `/v1/people/ada/authority?at=${LATER}`)).initiatives.map((i: { initiativeId: string }) => i.initiativeId), ['pool-call'],
    'from LATER, bob\'s own A decides the launch')
  t.strictSame(await get(call, `/v1/people/bob/authority?at=${LATER}`), {
    personId: 'bob', at: LATER, initiatives: [{ initiativeId: 'launch', how: 'direct', via: [step('as-2', null)] }], domains: []
  })
  t.strictSame(await get(call, `/v1/people/fay/authority?at=${AT}`), {
    personId: 'fay', at: AT, initiatives: [{ initiativeId: 'solo', how: 'delegation', via: [step('as-4', null), hand('dg-1', 'eve', 'fay')] }], domains: []
  })
  t.strictSame(await get(call, `/v1/people/eve/authority?at=${AT}`), { personId: 'eve', at: AT, initiatives: [], domains: [] }, 'an absent decider decides nothing')
  t.strictSame(await get(call, `/v1/people/dee/authority?at=${AT}`), { personId: 'dee', at: AT, initiatives: [], domains: [] }, 'an R is no authority')
  const now = await get(call, '/v1/people/cyd/authority')
  t.strictSame(now.domains, [{ domainId: 'hiring', how: 'direct', via: [step('as-3', 'hiring')] }], 'default now')
})

t.test('POST /v1/deciders/resolve: in the order asked, at one time', async (t) => {
  const { call } = await registry(t)
  const res = await call({ method: 'POST', url: '/v1/deciders/resolve', payload: { initiativeIds: ['solo', 'launch', 'pool-call'], at: AT }, as: 'reader' })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.at, AT)
  t.strictSame(body.results.map((r: { initiativeId: string }) => r.initiativeId), ['solo', 'launch', 'pool-call'])
  for (const result of body.results) t.strictSame(result, await get(call, `/v1/initiatives/${String(result.initiativeId)}/decider?at=${AT}`), `${String(result.initiativeId)}: as asked alone`)
  const now = (await call({ method: 'POST', url: '/v1/deciders/resolve', payload: { initiativeIds: ['launch', 'solo'] } })).json()
  t.ok(now.results.every((r: { at: string }) => r.at === now.at), 'one time for every answer')
  t.strictSame(now.results.map((r: { deciders: { personId: string }[] }) => r.deciders[0]?.personId), ['ada', 'fay'])
})

t.test('refusals', async (t) => {
  const { call } = await registry(t)
  for (const url of ['/v1/initiatives/nothing/decider', '/v1/domains/nothing/decider', '/v1/people/nothing/authority']) {
    const problem = assertProblem(t, await call({ method: 'GET', url }), 404, 'WHODECIDES_ERR_NOT_FOUND')
    t.match(problem.detail, /"nothing"/)
    assertProblem(t, await call({ method: 'GET', url: `${url}?at=${AT}` }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  }
  for (const url of ['/v1/initiatives/launch/decider', '/v1/domains/pricing/decider', '/v1/people/ada/authority']) {
    for (const query of ['at=yesterday', 'at=2026-03-03T09:00:00', 'at=2026-02-30T00:00:00Z', 'when=now']) {
      const problem = assertProblem(t, await call({ method: 'GET', url: `${url}?${query}` }), 400, 'WHODECIDES_ERR_VALIDATION')
      t.equal(problem.errors[0].in, 'query', `${url}?${query}`)
    }
    assertProblem(t, await call({ method: 'GET', url, as: null }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
    for (const as of ['reader', 'editor', 'auditor', 'admin'] as const) t.equal((await call({ method: 'GET', url, as })).statusCode, 200, `${url} as ${as}`)
  }

  const resolve = async (payload: unknown, as: 'reader' | null = 'reader') => await call({ method: 'POST', url: '/v1/deciders/resolve', payload: payload as object, as })
  const unknown = assertProblem(t, await resolve({ initiativeIds: ['launch', 'nope', 'solo', 'gone'], strict: true }), 422, 'WHODECIDES_ERR_UNKNOWN_REFERENCE')
  t.strictSame(unknown.errors, [
    { in: 'body', path: '/initiativeIds/1', message: 'no initiatives record with id "nope"' },
    { in: 'body', path: '/initiativeIds/3', message: 'no initiatives record with id "gone"' }
  ])
  const invalid: [string, unknown, string][] = [
    ['no ids', { initiativeIds: [] }, '/initiativeIds'],
    ['ids missing', { at: AT }, '/initiativeIds'],
    ['a repeated id', { initiativeIds: ['launch', 'launch'] }, '/initiativeIds'],
    ['too many', { initiativeIds: Array.from({ length: 501 }, (_, i) => `i-${i}`) }, '/initiativeIds'],
    ['not an id', { initiativeIds: ['Launch!'] }, '/initiativeIds/0'],
    ['a bad time', { initiativeIds: ['launch'], at: 'soon' }, '/at'],
    ['an unknown field', { initiativeIds: ['launch'], when: AT }, '/when'],
    ['strict not a boolean', { initiativeIds: ['launch'], strict: 'yes' }, '/strict']
  ]
  for (const [name, payload, path] of invalid) {
    const problem = assertProblem(t, await resolve(payload), 400, 'WHODECIDES_ERR_VALIDATION')
    t.strictSame(problem.errors.map((e: { path: string }) => e.path), [path], name)
  }
  t.equal((await resolve({ initiativeIds: Array.from({ length: 500 }, () => 'launch').map((id, i) => i === 0 ? id : `${id}-${i}`), strict: true })).statusCode, 422,
    '500 ids are accepted as a request')
  assertProblem(t, await resolve({ initiativeIds: ['launch'] }, null), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  for (const as of ['reader', 'editor', 'auditor', 'admin'] as const) {
    t.equal((await call({ method: 'POST', url: '/v1/deciders/resolve', payload: { initiativeIds: ['launch'] }, as })).statusCode, 200, `resolve as ${as}`)
  }
})

// Random registries written to the app's database: every answer over HTTP matches the snapshot's, and so does every authority.
const PEOPLE = ['p0', 'p1', 'p2', 'p3', 'p4']
const DOMAINS = ['d0', 'd1', 'd2', 'd3']
const INITIATIVES = ['i0', 'i1', 'i2']
const TIMES = ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01'].map((d) => `${d}T00:00:00.000Z`)
const period = fc.tuple(fc.integer({ min: 0, max: TIMES.length - 1 }), fc.integer({ min: 1, max: TIMES.length }))
  .map(([from, span]) => [TIMES[from]!, TIMES[from + span] ?? null] as const)
const where = fc.oneof(fc.constantFrom(...INITIATIVES), fc.constantFrom(...DOMAINS.map((d) => `d:${d}`)))
const registryData = fc.record({
  away: fc.array(fc.tuple(fc.constantFrom(...PEOPLE), fc.constantFrom('on_leave', 'retired' as const), fc.constantFrom(...TIMES)), { maxLength: 4 }),
  parents: fc.array(fc.option(fc.nat(DOMAINS.length - 1), { nil: null }), { minLength: DOMAINS.length, maxLength: DOMAINS.length }),
  homes: fc.array(fc.option(fc.constantFrom(...DOMAINS), { nil: null, freq: 4 }), { minLength: INITIATIVES.length, maxLength: INITIATIVES.length }),
  rules: fc.array(fc.constantFrom('single', 'pool', 'unanimous' as const), { minLength: INITIATIVES.length, maxLength: INITIATIVES.length }),
  assignments: fc.array(fc.tuple(fc.constantFrom(...PEOPLE), where, period), { maxLength: 10 }),
  delegations: fc.array(fc.tuple(fc.constantFrom(...PEOPLE), fc.constantFrom(...PEOPLE), fc.oneof(where, fc.constant('*')), period,
    fc.constantFrom('deputy', 'transfer' as const)), { maxLength: 8 })
}).map((r) => {
  const b = new RegistryBuilder().people(...PEOPLE)
  // Parents only among earlier domains: a tree, as the service keeps it.
  DOMAINS.forEach((id, i) => b.domain(id, r.parents[i] !== null && r.parents[i]! < i ? DOMAINS[r.parents[i]!]! : null))
  INITIATIVES.forEach((id, i) => b.initiative(id, r.homes[i]!, r.rules[i]!))
  // Each person's timeline: active since always, then each change once per time (the table's key).
  const times = new Set<string>()
  for (const [person, status, from] of r.away) {
    if (![...times].some((k) => k.startsWith(`${person} `))) b.status(person, 'active')
    if (!times.has(`${person} ${from}`)) b.status(person, status, from)
    times.add(`${person} ${from}`)
  }
  r.assignments.forEach(([person, target, [from, to]], i) => b.assign(`a${(7 * i) % 10}${i}`, person, target, 'A', from, to))
  r.delegations.forEach(([from, to, scope, [validFrom, validTo], kind], i) => { if (from !== to) b.delegate(`g${(3 * i) % 8}${i}`, from, to, scope, validFrom, validTo, kind) })
  return b.build()
})

const holds = (r: { validFrom: string, validTo: string | null }, at: string): boolean => r.validFrom <= at && (r.validTo === null || at < r.validTo)

/** A person's status at `at`, read from the generated rows: the latest change on or before it; active without one. */
function statusIn (data: RegistryData, personId: string, at: string): PersonStatus {
  let found: { status: PersonStatus, validFrom: string } | undefined
  for (const s of data.statuses) if (s.personId === personId && s.validFrom <= at && (found === undefined || s.validFrom >= found.validFrom)) found = s
  return found?.status ?? 'active'
}

/**
 * What each kind promises, checked on an answer against the generated rows rather than any registry source: every
 * delegation followed is one of the rows, of the kind the step says, valid then, from the person the path had reached;
 * a deputy only for someone not active then; every decider is active; and a decider reached without a delegation has
 * no transfer valid then that covers the initiative whatever its domains (one of its own, or one for everything).
 * Returns whether the answer followed a transfer from an active person.
 */
function kindsHold (t: Test, data: RegistryData, target: Target, at: string, answer: { deciders: { personId: string, via: any[] }[] }): boolean {
  let activeTransfer = false
  for (const d of answer.deciders) {
    let reached = d.via[0].kind === 'assignment' ? data.assignments.find((a) => a.id === d.via[0].id)?.personId : undefined
    for (const step of d.via.slice(1)) {
      const row = data.delegations.find((g) => g.id === step.id)
      const status = reached === undefined ? undefined : statusIn(data, reached, at)
      if (row === undefined || row.kind !== step.delegationKind || !holds(row, at) || row.fromPersonId !== reached || row.toPersonId !== step.to ||
        (row.kind === 'deputy' && status === 'active')) {
        t.fail(`${target.kind} ${target.id} at ${at}: step ${JSON.stringify(step)} breaks its kind's promise`)
        return activeTransfer
      }
      if (row.kind === 'transfer' && status === 'active') activeTransfer = true
      reached = row.toPersonId
    }
    if (reached !== d.personId || statusIn(data, d.personId, at) !== 'active') t.fail(`${target.kind} ${target.id} at ${at}: ${d.personId} decides, not active or not reached`)
    if (d.via.length === 1 && target.kind === 'initiative' && data.delegations.some((g) => g.kind === 'transfer' && g.fromPersonId === d.personId && holds(g, at) &&
      (g.allScopes || g.initiativeId === target.id))) {
      t.fail(`initiative ${target.id} at ${at}: ${d.personId} decides though a transfer of theirs covers it`)
    }
  }
  return activeTransfer
}

/** An answer over HTTP as the resolver gives it: without its sentence, caveats and next up, and its paths without names. */
function core ({ summary: _summary, caveats: _caveats, nextUp: _nextUp, ...answer }: any): object {
  const bare = ({ domainName: _d, fromName: _f, toName: _t, ...step }: any): object => step
  return { ...answer, deciders: answer.deciders.map((d: any) => ({ ...d, via: d.via.map(bare) })) }
}

t.test('over HTTP, every answer and every authority matches the snapshot of the same registry', async (t) => {
  const samples = fc.sample(registryData, { seed: 42, numRuns: 15 })
  const ats = ['2026-01-15T00:00:00.000Z', '2026-03-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z']
  let checked = 0
  let granted = 0
  let transfersWhileActive = 0
  for (const data of samples) {
    const { app, call } = await buildTestApp(t)
    writeRegistry(app.runtime.db, data)
    const snapshot = loadSnapshot(app.runtime.db)
    for (const at of ats) {
      const expected = new Map<string, { initiatives: string[], domains: string[] }>(PEOPLE.map((p) => [p, { initiatives: [], domains: [] }]))
      const targets: Target[] = [...INITIATIVES.map((id) => ({ kind: 'initiative' as const, id })), ...DOMAINS.map((id) => ({ kind: 'domain' as const, id }))]
      for (const target of targets) {
        const answer = resolveDecider(snapshot, target, at)
        const { target: _target, ...rest } = answer
        const url = `/v1/${target.kind === 'initiative' ? 'initiatives' : 'domains'}/${target.id}/decider?at=${at}`
        const got = await get(call, url)
        t.strictSame(core(got), { [target.kind === 'initiative' ? 'initiativeId' : 'domainId']: target.id, ...rest }, url)
        t.type(got.summary, 'string')
        if (kindsHold(t, data, target, at, got)) transfersWhileActive++
        for (const d of answer.deciders) expected.get(d.personId)![target.kind === 'initiative' ? 'initiatives' : 'domains'].push(target.id)
        checked++
      }
      for (const person of PEOPLE) {
        const authority = await get(call, `/v1/people/${person}/authority?at=${at}`)
        const got = { initiatives: authority.initiatives.map((i: { initiativeId: string }) => i.initiativeId), domains: authority.domains.map((d: { domainId: string }) => d.domainId) }
        t.strictSame(got, expected.get(person), `${person}'s authority at ${at}`)
        granted += got.initiatives.length + got.domains.length
      }
    }
    await app.close()
  }
  t.ok(checked >= 300 && granted > 60, `${checked} answers and ${granted} grants of authority compared`)
  t.ok(transfersWhileActive >= 10, `${transfersWhileActive} answers followed a transfer from an active person`)
})

t.test('a transfer hands the decision over while the delegator is active; a deputy does not; ?at= before, during and after', async (t) => {
  const { call } = await buildTestApp(t)
  const FROM = '2026-01-01T00:00:00.000Z'
  const TO = '2026-03-01T00:00:00.000Z'
  const posts: [string, object][] = [
    ['/v1/initiatives', { id: 'crm', title: 'Roll out a CRM' }],
    ...['mark', 'nina', 'owen'].map((id): [string, object] => ['/v1/people', { id, name: id.toUpperCase(), email: `${id}@example.com` }]),
    ['/v1/assignments', { id: 'as-1', personId: 'mark', role: 'A', initiativeId: 'crm', validFrom: EPOCH }],
    ['/v1/delegations', { id: 'dg-deputy', fromPersonId: 'mark', toPersonId: 'owen', allScopes: true, validFrom: EPOCH }],
    ['/v1/delegations', { id: 'dg-transfer', fromPersonId: 'mark', toPersonId: 'nina', initiativeId: 'crm', kind: 'transfer', validFrom: FROM, validTo: TO }]
  ]
  for (const [url, payload] of posts) {
    const res = await call({ method: 'POST', url, payload })
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.body}`)
  }
  const decider = async (at: string) => (await get(call, `/v1/initiatives/crm/decider?at=${at}`)).deciders
  t.strictSame(await decider('2025-12-01T00:00:00.000Z'), [{ personId: 'mark', name: 'MARK', via: [step('as-1', null)] }],
    'before: Mark decides; his deputy does not stand in while he is active')
  t.strictSame(await decider('2026-02-01T00:00:00.000Z'), [{ personId: 'nina', name: 'NINA', via: [step('as-1', null), hand('dg-transfer', 'mark', 'nina', TO, 'transfer')] }],
    'during: Nina, by the transfer, though Mark is active')
  t.strictSame(await decider(TO), [{ personId: 'mark', name: 'MARK', via: [step('as-1', null)] }], 'after it ended: Mark again')

  const initiativesOf = async (person: string, at: string) => (await get(call, `/v1/people/${person}/authority?at=${at}`)).initiatives
  t.strictSame(await initiativesOf('nina', '2026-02-01T00:00:00.000Z'),
    [{ initiativeId: 'crm', how: 'delegation', via: [step('as-1', null), hand('dg-transfer', 'mark', 'nina', TO, 'transfer')] }], 'the delegate decides by delegation')
  t.strictSame(await initiativesOf('mark', '2026-02-01T00:00:00.000Z'), [], 'the delegator does not, while the transfer holds')
  t.strictSame(await initiativesOf('mark', TO), [{ initiativeId: 'crm', how: 'direct', via: [step('as-1', null)] }])
  t.strictSame(await initiativesOf('nina', TO), [])

  // Mark on leave during the transfer: still Nina; after it: his deputy.
  const leave = await call({ method: 'PATCH', url: '/v1/people/mark', payload: { status: 'on_leave', statusSince: EPOCH } })
  t.equal(leave.statusCode, 200, leave.body)
  t.strictSame((await decider('2026-02-01T00:00:00.000Z')).map((d: { personId: string }) => d.personId), ['nina'])
  t.strictSame(await decider(TO), [{ personId: 'owen', name: 'OWEN', via: [step('as-1', null), hand('dg-deputy', 'mark', 'owen')] }])
})
