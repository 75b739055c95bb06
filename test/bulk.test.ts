// Export and import: round trip, upsert and replace, natural keys, dry runs, invalid-row reports, atomicity.
import t from 'tap'
import { assertProblem, buildTestApp, type TestApp } from './helper.js'

const bundle = {
  people: [
    // The report is listed before the manager: the import must not depend on row order.
    { id: 'bob', name: 'Bob', email: 'bob@example.com', managerId: 'ada', tags: ['executive'] },
    { id: 'ada', name: 'Ada', email: 'ada@example.com', status: 'retired', statusSince: '2026-01-01T00:00:00Z', tags: ['founder', 'shareholder'], stakePercent: 40 }
  ],
  domains: [
    { id: 'pricing-eu', name: 'EU pricing', parentId: 'pricing' },
    { id: 'pricing', name: 'Pricing' }
  ],
  initiatives: [{ id: 'tiers', title: 'New tiers', domainId: 'pricing-eu', status: 'active', decisionRule: 'single', decisionDueAt: '2026-09-01T00:00:00Z' }],
  assignments: [
    { id: 'a1', personId: 'bob', role: 'A', domainId: 'pricing', validFrom: '2026-01-01T00:00:00Z' },
    { id: 'a2', personId: 'ada', role: 'C', initiativeId: 'tiers', validFrom: '2026-01-01T00:00:00Z', validTo: '2026-06-01T00:00:00Z' }
  ],
  delegations: [{ id: 'd1', fromPersonId: 'bob', toPersonId: 'ada', allScopes: true, validFrom: '2026-02-01T00:00:00Z', reason: 'leave' }],
  influences: [{ id: 'i1', personId: 'ada', overPersonId: 'bob', strength: 'high', observedAt: '2026-03-01T00:00:00Z', note: 'still steers' }],
  decisions: [{ id: 'tiers-go', initiativeId: 'tiers', decidedBy: 'bob', decidedAt: '2026-04-01T12:00:00+02:00', outcome: 'Three tiers from July', rationale: 'Simpler' }]
}

async function exportAll (call: TestApp['call']): Promise<any> {
  const res = await call({ method: 'GET', url: '/v1/export', as: 'reader' })
  t.equal(res.statusCode, 200)
  return res.json()
}

async function changeCount (call: TestApp['call']): Promise<number> {
  let count = 0
  let url = '/v1/changes?limit=500'
  for (;;) {
    const page = (await call({ method: 'GET', url })).json()
    count += page.items.length
    if (page.nextCursor === null) return count
    url = `/v1/changes?limit=500&cursor=${page.nextCursor}`
  }
}

t.test('export, import into an empty registry, export again: the bundles are equal', async (t) => {
  const first = await buildTestApp(t)
  // Influences are the auditors' and admins' to write: the bundle carries one, so an admin imports it.
  const imported = await first.call({ method: 'POST', url: '/v1/import', as: 'admin', payload: bundle })
  t.equal(imported.statusCode, 200, imported.body)
  t.match(imported.json(), { mode: 'upsert', dryRun: false, invalidCount: 0, collections: { people: { created: 2 }, assignments: { created: 2 }, decisions: { created: 1 } } })
  t.match(imported.headers['x-revision'], /^\d+$/)
  const exported = await exportAll(first.call)
  t.equal(exported.people.length, 2)
  t.same(exported.people.find((p: { id: string }) => p.id === 'ada'), {
    id: 'ada', name: 'Ada', email: 'ada@example.com', title: null, status: 'retired', statusSince: '2026-01-01T00:00:00.000Z',
    tags: ['founder', 'shareholder'], stakePercent: 40, managerId: null, externalId: null
  })
  t.same(exported.decisions, [{ id: 'tiers-go', initiativeId: 'tiers', decidedBy: 'bob', decidedAt: '2026-04-01T10:00:00.000Z', outcome: 'Three tiers from July', rationale: 'Simpler', kind: 'decision', supersedes: null }])

  const second = await buildTestApp(t)
  t.equal((await second.call({ method: 'POST', url: '/v1/import', payload: exported })).statusCode, 200)
  t.same(await exportAll(second.call), exported)

  const again = await first.call({ method: 'POST', url: '/v1/import', as: 'editor', payload: exported })
  t.match(again.json(), { revision: null, collections: { people: { created: 0, updated: 0, unchanged: 2 }, decisions: { created: 0, updated: 0, unchanged: 1 } } })
  t.equal(again.headers['x-revision'], undefined, 'nothing written, no revision')
  t.equal(again.statusCode, 200, 'an editor may import an export that carries influences and decisions it does not change')
})

t.test('imported records behave like records written through the API', async (t) => {
  const { call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/import', payload: bundle })
  const ada = await call({ method: 'GET', url: '/v1/people/ada' })
  t.equal(ada.headers.etag, '"1"')
  const timeline = (await call({ method: 'GET', url: '/v1/people/ada/statuses' })).json()
  t.same(timeline.items, [{ status: 'retired', from: '2026-01-01T00:00:00.000Z', to: null }])
  const raci = (await call({ method: 'GET', url: '/v1/initiatives/tiers/raci?at=2026-03-01T00:00:00Z' })).json()
  t.same(raci.A.map((h: { personId: string }) => h.personId), ['bob'])
  const changes = (await call({ method: 'GET', url: '/v1/changes?entity=people&entityId=bob' })).json()
  t.equal(changes.items.length, 1)
  t.match(changes.items[0], { action: 'create', after: { id: 'bob', managerId: 'ada', version: 1 } })
  assertProblem(t, await call({ method: 'DELETE', url: '/v1/people/ada' }), 409, 'WHODECIDES_ERR_IN_USE')
  t.match((await call({ method: 'GET', url: '/v1/initiatives/tiers' })).json(), { status: 'active', version: 1 }, 'an imported decision does not decide its initiative')
  t.match((await call({ method: 'GET', url: '/v1/initiatives/tiers/decisions/tiers-go' })).json(), { decidedBy: 'bob', version: 1 })
})

t.test('upsert changes what differs, replace removes what the bundle leaves out', async (t) => {
  const { call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/import', payload: bundle })
  await call({ method: 'POST', url: '/v1/people', payload: { id: 'cy', name: 'Cy', email: 'cy@example.com' } })
  const changedBundle = { ...bundle, people: [{ ...bundle.people[0]!, title: 'CFO' }, bundle.people[1]!] }
  const upsert = (await call({ method: 'POST', url: '/v1/import', payload: changedBundle })).json()
  t.match(upsert.collections.people, { created: 0, updated: 1, unchanged: 1, removed: 0, ids: { updated: ['bob'] } })
  const bob = (await call({ method: 'GET', url: '/v1/people/bob' })).json()
  t.match(bob, { title: 'CFO', version: 2 })
  t.equal((await call({ method: 'GET', url: '/v1/people/cy' })).statusCode, 200, 'upsert keeps records it does not name')

  const dry = (await call({ method: 'POST', url: '/v1/import?mode=replace&dryRun=true', payload: changedBundle })).json()
  t.match(dry.collections.people, { removed: 1, ids: { removed: ['cy'] } })
  t.equal((await call({ method: 'GET', url: '/v1/people/cy' })).statusCode, 200, 'a dry run writes nothing')

  // Decision records are never deleted: the bundle keeps the decision, its initiative and the initiative's domains.
  const kept = { people: changedBundle.people, domains: bundle.domains, initiatives: bundle.initiatives, decisions: bundle.decisions }
  const replaced = await call({ method: 'POST', url: '/v1/import?mode=replace', payload: kept })
  t.equal(replaced.statusCode, 200, replaced.body)
  t.match(replaced.json().collections, { people: { removed: 1 }, assignments: { removed: 2 }, delegations: { removed: 1 }, influences: { removed: 1 }, decisions: { removed: 0, unchanged: 1 } })
  const after = await exportAll(call)
  t.same(after.people.map((p: { id: string }) => p.id), ['ada', 'bob'])
  t.same([after.assignments, after.delegations, after.influences], [[], [], []])
  t.same(after.decisions.map((d: { id: string }) => d.id), ['tiers-go'])
})

t.test('rows without an id match existing records on their natural key', async (t) => {
  const { call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/import', payload: { people: bundle.people } })
  const res = await call({ method: 'POST', url: '/v1/import', payload: { people: [{ name: 'Ada L.', email: 'ADA@example.com' }, { name: 'New', email: 'new@example.com' }] } })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json().collections.people, { created: 1, updated: 1, ids: { updated: ['ada'] } })
  t.equal((await call({ method: 'GET', url: '/v1/people/ada' })).json().name, 'Ada L.')
})

t.test('an invalid bundle is refused whole, with every invalid row reported', async (t) => {
  const { call } = await buildTestApp(t)
  const before = await changeCount(call)
  const bad = {
    people: [
      { id: 'ada', name: 'Ada', email: 'ada@example.com', managerId: 'bob' },
      { id: 'bob', name: 'Bob', email: 'ADA@example.com', managerId: 'ada' },
      { id: 'cy', name: 'Cy', email: 'not-an-email', shoeSize: 44 },
      { id: 'ada', name: 'Ada again', email: 'ada2@example.com' }
    ],
    assignments: [
      { id: 'a1', personId: 'ada', role: 'A', initiativeId: 'nowhere', validFrom: '2026-01-01T00:00:00Z' },
      { id: 'a2', personId: 'ada', role: 'R', validFrom: '2026-01-01T00:00:00Z' },
      { id: 'a3', personId: 'ada', role: 'A', domainId: 'd', validFrom: '2026-01-01T00:00:00Z', validTo: '2025-01-01T00:00:00Z' }
    ],
    domains: [{ id: 'd', name: 'D' }],
    delegations: [{ id: 'x', fromPersonId: 'ada', toPersonId: 'ada', allScopes: true, validFrom: '2026-01-01T00:00:00Z' }]
  }
  for (const url of ['/v1/import', '/v1/import?dryRun=true']) {
    const problem = assertProblem(t, await call({ method: 'POST', url, payload: bad }), 422, 'WHODECIDES_ERR_INVALID_BUNDLE')
    const found = problem.report.invalid.map((i: { collection: string, index: number, field: string }) => `${i.collection}[${i.index}]${i.field}`).sort()
    t.same(found, [
      'assignments[0]/initiativeId',
      'assignments[1]/initiativeId',
      'assignments[2]/validTo',
      'delegations[0]/toPersonId',
      'people[0]/email',
      'people[0]/managerId',
      'people[1]/email',
      'people[1]/managerId',
      'people[2]/email',
      'people[2]/shoeSize',
      'people[3]/id'
    ], url)
    t.equal(problem.report.invalidCount, 11)
  }
  t.equal(await changeCount(call), before, 'no change written')
  t.same((await exportAll(call)).people, [], 'no record written')
})

t.test('rows that are not objects are invalid rows, each reported, nothing written (not a 500)', async (t) => {
  const { call } = await buildTestApp(t)
  const before = await changeCount(call)
  const res = await call({ method: 'POST', url: '/v1/import', payload: { people: [null, 'ada'], assignments: [7] } })
  const problem = assertProblem(t, res, 422, 'WHODECIDES_ERR_INVALID_BUNDLE')
  t.same(problem.report.invalid.map((r: { collection: string, index: number }) => `${r.collection}[${r.index}]`).sort(),
    ['assignments[0]', 'people[0]', 'people[1]'], 'every row that is not an object, by collection and index')
  t.equal(await changeCount(call), before, 'nothing written')
})

t.test('overlapping assignments across the bundle and the registry are refused', async (t) => {
  const { call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/import', payload: bundle })
  const res = await call({ method: 'POST', url: '/v1/import', payload: { assignments: [{ id: 'a9', personId: 'bob', role: 'A', domainId: 'pricing', validFrom: '2026-05-01T00:00:00Z' }] } })
  const problem = assertProblem(t, res, 422, 'WHODECIDES_ERR_INVALID_BUNDLE')
  t.match(problem.report.invalid, [{ collection: 'assignments', index: 0, field: '/validFrom', reason: /a1/ }])
})

t.test('the import is for editors, with its own body limit; a bundle that is not one is a 400', async (t) => {
  const { call } = await buildTestApp(t, { bodyLimit: 2048, importBodyLimit: 4096 })
  assertProblem(t, await call({ method: 'POST', url: '/v1/import', as: 'reader', payload: {} }), 403, 'WHODECIDES_ERR_FORBIDDEN')
  assertProblem(t, await call({ method: 'POST', url: '/v1/import', as: 'auditor', payload: {} }), 403, 'WHODECIDES_ERR_FORBIDDEN')
  const people = Array.from({ length: 30 }, (_, i) => ({ name: `P${i}`, email: `p${i}@example.com` }))
  t.equal((await call({ method: 'POST', url: '/v1/import', payload: { people } })).statusCode, 200, 'bigger than the general limit is fine')
  const many = Array.from({ length: 200 }, (_, i) => ({ name: `Q${i}`, email: `q${i}@example.com` }))
  assertProblem(t, await call({ method: 'POST', url: '/v1/import', payload: { people: many } }), 413, 'WHODECIDES_ERR_BODY_TOO_LARGE')
  assertProblem(t, await call({ method: 'POST', url: '/v1/people', payload: { name: 'x'.repeat(3000), email: 'a@example.com' } }), 413, 'WHODECIDES_ERR_BODY_TOO_LARGE')
  const notBundle = assertProblem(t, await call({ method: 'POST', url: '/v1/import', payload: [] }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.match(notBundle.errors, [{ path: '' }])
  const unknown = assertProblem(t, await call({ method: 'POST', url: '/v1/import', payload: { keys: [] } }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.match(unknown.errors, [{ path: '/keys' }])
  assertProblem(t, await call({ method: 'POST', url: '/v1/import', payload: { people: {} } }), 400, 'WHODECIDES_ERR_VALIDATION')
  assertProblem(t, await call({ method: 'POST', url: '/v1/import?mode=merge', payload: {} }), 400, 'WHODECIDES_ERR_VALIDATION')
})

t.test('an assignment ended before it began round-trips', async (t) => {
  const first = await buildTestApp(t)
  await first.call({ method: 'POST', url: '/v1/import', payload: bundle })
  const future = { id: 'later', personId: 'bob', role: 'A', domainId: 'pricing-eu', validFrom: '2999-01-01T00:00:00Z' }
  t.equal((await first.call({ method: 'POST', url: '/v1/assignments', payload: future })).statusCode, 201)
  const ended = (await first.call({ method: 'DELETE', url: '/v1/assignments/later' })).json()
  t.equal(ended.validTo, ended.validFrom, 'an empty period')
  const exported = await exportAll(first.call)
  const second = await buildTestApp(t)
  const res = await second.call({ method: 'POST', url: '/v1/import', payload: exported })
  t.equal(res.statusCode, 200, res.body)
  t.same(await exportAll(second.call), exported)
})

t.test('self-influence, a shared externalId and bounded overlapping periods are reported; touching periods are not', async (t) => {
  const { call } = await buildTestApp(t)
  const res = await call({
    method: 'POST',
    url: '/v1/import?dryRun=true',
    payload: {
      people: [
        { id: 'ada', name: 'Ada', email: 'ada@example.com', externalId: 'HR-1' },
        { id: 'bob', name: 'Bob', email: 'bob@example.com', externalId: 'HR-1' }
      ],
      domains: [{ id: 'd', name: 'D' }],
      assignments: [
        { id: 'a1', personId: 'ada', role: 'A', domainId: 'd', validFrom: '2026-01-01T00:00:00Z', validTo: '2026-03-01T00:00:00Z' },
        { id: 'a2', personId: 'ada', role: 'A', domainId: 'd', validFrom: '2026-02-01T00:00:00Z', validTo: '2026-04-01T00:00:00Z' },
        { id: 'a3', personId: 'bob', role: 'A', domainId: 'd', validFrom: '2026-01-01T00:00:00Z', validTo: '2026-03-01T00:00:00Z' },
        { id: 'a4', personId: 'bob', role: 'A', domainId: 'd', validFrom: '2026-03-01T00:00:00Z', validTo: '2026-04-01T00:00:00Z' }
      ],
      influences: [{ id: 'i1', personId: 'ada', overPersonId: 'ada', strength: 'low', observedAt: '2026-01-01T00:00:00Z' }]
    }
  })
  const problem = assertProblem(t, res, 422, 'WHODECIDES_ERR_INVALID_BUNDLE')
  const found = problem.report.invalid.map((i: { collection: string, index: number, field: string }) => `${i.collection}[${i.index}]${i.field}`).sort()
  t.same(found, [
    'assignments[0]/validFrom',
    'assignments[1]/validFrom',
    'influences[0]/overPersonId',
    'people[0]/externalId',
    'people[1]/externalId'
  ], 'a3 and a4 only touch, so neither is reported')
})

t.test('an editor may not write influences through the import: the whole bundle is refused with a 403 naming them', async (t) => {
  const { call } = await buildTestApp(t)
  t.equal((await call({ method: 'POST', url: '/v1/import', payload: bundle })).statusCode, 200)
  const before = await changeCount(call)
  const exported = await exportAll(call)
  const edited = {
    ...exported,
    people: [...exported.people, { id: 'cy', name: 'Cy', email: 'cy@example.com' }],
    influences: [{ ...exported.influences[0], note: 'steers less' }, { id: 'i2', personId: 'bob', initiativeId: 'tiers', strength: 'low', observedAt: '2026-03-02T00:00:00Z' }]
  }
  for (const url of ['/v1/import', '/v1/import?dryRun=true']) {
    const problem = assertProblem(t, await call({ as: 'editor', method: 'POST', url, payload: edited }), 403, 'WHODECIDES_ERR_FORBIDDEN')
    t.same(problem.errors, [{ in: 'body', path: '/influences', message: 'may not create 1 row(s) (allowed: auditor, admin), change 1 record(s) (allowed: auditor, admin)' }], url)
    t.match(problem.detail, /^An editor key may not .*nothing was imported\. influences: may not create 1 row\(s\)/)
  }
  const replaced = { ...exported, influences: [] }
  const removal = assertProblem(t, await call({ as: 'editor', method: 'POST', url: '/v1/import?mode=replace', payload: replaced }), 403, 'WHODECIDES_ERR_FORBIDDEN')
  t.same(removal.errors, [{ in: 'body', path: '/influences', message: 'may not delete 1 record(s) the bundle leaves out (allowed: auditor, admin)' }])
  t.equal(await changeCount(call), before, 'nothing written')
  t.same(await exportAll(call), exported)
  t.equal((await call({ as: 'admin', method: 'POST', url: '/v1/import?mode=replace', payload: replaced })).statusCode, 200, 'an admin may')
})

t.test('decision records stay append-only through the import, for every role', async (t) => {
  const { call } = await buildTestApp(t)
  t.equal((await call({ method: 'POST', url: '/v1/import', payload: bundle })).statusCode, 200)
  const before = await changeCount(call)
  const exported = await exportAll(call)
  const rewritten = { decisions: [{ ...exported.decisions[0], outcome: 'Two tiers', rationale: null }] }
  for (const as of ['editor', 'admin'] as const) {
    for (const url of ['/v1/import', '/v1/import?dryRun=true']) {
      const problem = assertProblem(t, await call({ as, method: 'POST', url, payload: rewritten }), 422, 'WHODECIDES_ERR_INVALID_BUNDLE')
      t.same(problem.report.invalid, [{
        collection: 'decisions', index: 0, field: '/outcome', reason: '"tiers-go" is already on record, and decisions are never changed (append-only); this row differs in outcome, rationale'
      }], `${as} ${url}`)
    }
    // Matched on its natural key (initiative, decider, time) instead of its id: the same record, still not to be changed.
    const { id: _id, ...withoutId } = rewritten.decisions[0]
    const byKey = assertProblem(t, await call({ as, method: 'POST', url: '/v1/import', payload: { decisions: [withoutId] } }), 422, 'WHODECIDES_ERR_INVALID_BUNDLE')
    t.match(byKey.report.invalid, [{ collection: 'decisions', index: 0, reason: /"tiers-go" is already on record/ }])

    const dropped = { ...exported, decisions: [] }
    for (const url of ['/v1/import?mode=replace', '/v1/import?mode=replace&dryRun=true']) {
      const problem = assertProblem(t, await call({ as, method: 'POST', url, payload: dropped }), 409, 'WHODECIDES_ERR_CONFLICT')
      t.same(problem.blockedBy, [{ entity: 'decisions', id: 'tiers-go' }], `${as} ${url}`)
      t.match(problem.detail, /mode=replace would delete 1 record\(s\) that are never deleted \(decisions\): decisions\/tiers-go/)
    }
  }
  t.equal(await changeCount(call), before, 'nothing written')
  t.same(await exportAll(call), exported)
  const added = await call({ as: 'editor', method: 'POST', url: '/v1/import', payload: { decisions: [...exported.decisions, { initiativeId: 'tiers', decidedBy: 'ada', decidedAt: '2026-05-01T00:00:00Z', outcome: 'Reversed' }] } })
  t.equal(added.statusCode, 200, added.body)
  t.match(added.json().collections.decisions, { created: 1, unchanged: 1, updated: 0 }, 'a new decision is recorded beside the old one')
})
