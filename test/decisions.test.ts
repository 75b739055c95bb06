// Decision records: recording one decides a live initiative (its own change), lists newest first, refusals, blockers, bulk.
import t from 'tap'
import { assertProblem, buildTestApp, type TestApp } from './helper.js'

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

const changeCount = (app: TestApp['app']): number =>
  (app.runtime.db.$client.prepare('SELECT count(*) AS n FROM changes').get() as { n: number }).n

const changeAt = (app: TestApp['app'], revision: number): unknown =>
  app.runtime.db.$client.prepare('SELECT action, entity, entity_id AS entityId, before, after FROM changes WHERE revision = ?').get(revision)

/** Two people and one initiative in each status, named after it. */
async function seed (call: TestApp['call']): Promise<void> {
  for (const [id, name] of [['ada', 'Ada'], ['bob', 'Bob']]) {
    const res = await call({ method: 'POST', url: '/v1/people', payload: { id, name, email: `${id}@example.com` } })
    if (res.statusCode !== 201) throw new Error(res.body)
  }
  for (const status of ['proposed', 'active', 'on_hold', 'decided', 'done', 'abandoned']) {
    const res = await call({ method: 'POST', url: '/v1/initiatives', payload: { id: status.replace('_', '-'), title: `An initiative ${status}`, status } })
    if (res.statusCode !== 201) throw new Error(res.body)
  }
}

const decide = (call: TestApp['call'], initiative: string, payload: Record<string, unknown>, as: 'editor' | 'admin' = 'editor') =>
  call({ method: 'POST', url: `/v1/initiatives/${initiative}/decisions`, as, payload: { decidedBy: 'ada', decidedAt: '2026-05-04T12:00:00+02:00', outcome: 'Go', ...payload } })

t.test('recording a decision on a live initiative decides it, in two changes of one transaction', async (t) => {
  const { app, call } = await buildTestApp(t)
  await seed(call)
  const before = changeCount(app)
  const res = await decide(call, 'active', { id: 'go-eu', rationale: 'Customers arbitrage the national lists' })
  t.equal(res.statusCode, 201, res.body)
  t.equal(res.headers.location, '/v1/initiatives/active/decisions/go-eu')
  t.equal(res.headers.etag, '"1"')
  const body = res.json()
  t.match(body.createdAt, ISO)
  t.strictSame(body, {
    id: 'go-eu', initiativeId: 'active', decidedBy: 'ada', decidedAt: '2026-05-04T10:00:00.000Z', outcome: 'Go',
    rationale: 'Customers arbitrage the national lists', kind: 'decision', supersedes: null, version: 1, createdAt: body.createdAt, updatedAt: body.createdAt
  }, 'decidedAt normalized to UTC')

  const revision = Number(res.headers['x-revision'])
  t.equal(changeCount(app), before + 2, 'two changes: the decision and the initiative')
  t.match(changeAt(app, revision - 1), { action: 'create', entity: 'decisions', entityId: 'go-eu', before: null })
  t.same(JSON.parse((changeAt(app, revision - 1) as { after: string }).after), body)
  const moved = changeAt(app, revision) as { action: string, entity: string, entityId: string, before: string, after: string }
  t.match(moved, { action: 'update', entity: 'initiatives', entityId: 'active' }, 'X-Revision is the initiative\'s change, the last')
  t.match(JSON.parse(moved.before), { status: 'active', version: 1 })
  t.match(JSON.parse(moved.after), { status: 'decided', version: 2, updatedAt: body.createdAt })

  const initiative = await call({ method: 'GET', url: '/v1/initiatives/active', as: 'reader' })
  t.match(initiative.json(), { status: 'decided', version: 2 })
  t.equal(initiative.headers.etag, '"2"')
  const history = (await call({ method: 'GET', url: '/v1/changes?entity=initiatives&entityId=active' })).json()
  t.same(history.items.map((c: { action: string }) => c.action), ['create', 'update'])

  const got = await call({ method: 'GET', url: '/v1/initiatives/active/decisions/go-eu', as: 'reader' })
  t.equal(got.statusCode, 200)
  t.equal(got.headers.etag, '"1"')
  t.strictSame(got.json(), body)

  const generated = await decide(call, 'active', { decidedBy: 'bob', rationale: null })
  t.equal(generated.statusCode, 201, generated.body)
  t.match(generated.json(), { id: /^[a-z0-9][a-z0-9._-]{0,63}$/, rationale: null, decidedBy: 'bob' })
  t.equal(generated.headers.location, `/v1/initiatives/active/decisions/${generated.json().id as string}`)
  t.match((await call({ method: 'GET', url: '/v1/initiatives/active' })).json(), { status: 'decided', version: 2 }, 'a decided initiative stays at its version')
})

t.test('each live status moves to decided; decided, done and abandoned keep theirs and write one change', async (t) => {
  const { app, call } = await buildTestApp(t)
  await seed(call)
  for (const [id, after, changes] of [
    ['proposed', 'decided', 2], ['active', 'decided', 2], ['on-hold', 'decided', 2],
    ['decided', 'decided', 1], ['done', 'done', 1], ['abandoned', 'abandoned', 1]
  ] as const) {
    const before = changeCount(app)
    const res = await decide(call, id, {}, 'admin')
    t.equal(res.statusCode, 201, `${id}: ${res.body}`)
    t.equal(changeCount(app) - before, changes, `${id}: ${changes} change(s)`)
    t.match(changeAt(app, Number(res.headers['x-revision'])), { entity: changes === 2 ? 'initiatives' : 'decisions' }, `${id}: X-Revision is the last change`)
    t.match((await call({ method: 'GET', url: `/v1/initiatives/${id}` })).json(), { status: after, version: changes === 2 ? 2 : 1 }, `${id} → ${after}`)
  }
})

t.test('list newest decidedAt first, page through, filter by decidedBy; get only under its own initiative', async (t) => {
  const { call } = await buildTestApp(t)
  await seed(call)
  const rows: [string, string, string][] = [
    ['d1', 'ada', '2026-01-01T00:00:00Z'],
    ['d2', 'bob', '2026-03-01T00:00:00Z'],
    ['d3', 'ada', '2026-02-01T00:00:00Z'],
    ['d4', 'ada', '2026-03-01T01:00:00+01:00'], // the same instant as d2
    ['d5', 'bob', '2025-12-31T23:59:59.999Z']
  ]
  for (const [id, decidedBy, decidedAt] of rows) t.equal((await decide(call, 'active', { id, decidedBy, decidedAt })).statusCode, 201)
  await decide(call, 'done', { id: 'elsewhere' })

  const all = await call({ method: 'GET', url: '/v1/initiatives/active/decisions', as: 'reader' })
  t.equal(all.statusCode, 200)
  t.same(all.json().items.map((d: { id: string }) => d.id), ['d4', 'd2', 'd3', 'd1', 'd5'], 'newest decidedAt first, ties by id descending')
  t.equal(all.json().nextCursor, null)

  const paged: string[] = []
  let url = '/v1/initiatives/active/decisions?limit=2'
  for (let pages = 0; pages < 10; pages++) {
    const page = (await call({ method: 'GET', url })).json()
    t.ok(page.items.length <= 2)
    paged.push(...page.items.map((d: { id: string }) => d.id))
    if (page.nextCursor === null) break
    url = `/v1/initiatives/active/decisions?limit=2&cursor=${page.nextCursor as string}`
  }
  t.same(paged, ['d4', 'd2', 'd3', 'd1', 'd5'], 'pages hold every decision once, in order, across a tie')

  const bobs = (await call({ method: 'GET', url: '/v1/initiatives/active/decisions?decidedBy=bob' })).json()
  t.same(bobs.items.map((d: { id: string }) => d.id), ['d2', 'd5'])
  const bobPage = (await call({ method: 'GET', url: '/v1/initiatives/active/decisions?decidedBy=bob&limit=1' })).json()
  const bobNext = (await call({ method: 'GET', url: `/v1/initiatives/active/decisions?decidedBy=bob&limit=1&cursor=${bobPage.nextCursor as string}` })).json()
  t.same([...bobPage.items, ...bobNext.items].map((d: { id: string }) => d.id), ['d2', 'd5'], 'the filter holds across pages')
  t.same((await call({ method: 'GET', url: '/v1/initiatives/active/decisions?decidedBy=nobody' })).json(), { items: [], nextCursor: null })
  t.same((await call({ method: 'GET', url: '/v1/initiatives/proposed/decisions' })).json(), { items: [], nextCursor: null })

  const otherKind = (await call({ method: 'GET', url: '/v1/initiatives?limit=1' })).json().nextCursor as string
  for (const cursor of ['nonsense', otherKind, Buffer.from('at:2026-01-01T00:00:00Z/d1').toString('base64url'), Buffer.from('at:2026-01-01T00:00:00.000Z/D1').toString('base64url')]) {
    const bad = assertProblem(t, await call({ method: 'GET', url: `/v1/initiatives/active/decisions?cursor=${cursor}` }), 400, 'WHODECIDES_ERR_VALIDATION')
    t.match(bad.errors, [{ in: 'query', path: '/cursor' }])
  }
  assertProblem(t, await call({ method: 'GET', url: '/v1/initiatives/active/decisions?limit=0' }), 400, 'WHODECIDES_ERR_VALIDATION')
  assertProblem(t, await call({ method: 'GET', url: '/v1/initiatives/active/decisions?outcome=Go' }), 400, 'WHODECIDES_ERR_VALIDATION')

  t.equal((await call({ method: 'GET', url: '/v1/initiatives/done/decisions/elsewhere' })).statusCode, 200)
  assertProblem(t, await call({ method: 'GET', url: '/v1/initiatives/active/decisions/elsewhere' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await call({ method: 'GET', url: '/v1/initiatives/active/decisions/nope' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await call({ method: 'GET', url: '/v1/initiatives/nope/decisions/d1' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await call({ method: 'GET', url: '/v1/initiatives/nope/decisions' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
})

t.test('refusals: 400 names the field, 401, 403, 404, 409 and 422 write nothing', async (t) => {
  const { app, call } = await buildTestApp(t)
  await seed(call)
  const before = changeCount(app)
  const invalid: [string, Record<string, unknown>, string][] = [
    ['an unknown field', { shoeSize: 44 }, '/shoeSize'],
    ['no outcome', { outcome: undefined }, '/outcome'],
    ['an empty outcome', { outcome: '' }, '/outcome'],
    ['an over-long outcome', { outcome: 'x'.repeat(2001) }, '/outcome'],
    ['an over-long rationale', { rationale: 'x'.repeat(4001) }, '/rationale'],
    ['no decidedAt', { decidedAt: undefined }, '/decidedAt'],
    ['a date without a time', { decidedAt: '2026-05-04' }, '/decidedAt'],
    ['a time that is no instant', { decidedAt: '2026-02-30T10:00:00Z' }, '/decidedAt'],
    ['no decidedBy', { decidedBy: undefined }, '/decidedBy'],
    ['an id outside the pattern', { id: 'Not An Id' }, '/id'],
    ['initiativeId in the body', { initiativeId: 'active' }, '/initiativeId']
  ]
  for (const [what, payload, path] of invalid) {
    const problem = assertProblem(t, await decide(call, 'active', payload), 400, 'WHODECIDES_ERR_VALIDATION')
    t.match(problem.errors, [{ in: 'body', path }], what)
  }
  t.equal((await decide(call, 'active', { outcome: 'x'.repeat(2000), rationale: 'y'.repeat(4000) })).statusCode, 201, 'the longest texts allowed')
  const afterLongest = changeCount(app)
  t.equal(afterLongest, before + 2)

  assertProblem(t, await call({ method: 'POST', url: '/v1/initiatives/active/decisions', as: null, payload: { decidedBy: 'ada', decidedAt: '2026-05-04T10:00:00Z', outcome: 'Go' } }),
    401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  for (const role of ['reader', 'auditor'] as const) {
    assertProblem(t, await call({ method: 'POST', url: '/v1/initiatives/active/decisions', as: role, payload: { decidedBy: 'ada', decidedAt: '2026-05-04T10:00:00Z', outcome: 'Go' } }),
      403, 'WHODECIDES_ERR_FORBIDDEN')
  }
  assertProblem(t, await decide(call, 'nowhere', {}), 404, 'WHODECIDES_ERR_NOT_FOUND')

  const unknown = assertProblem(t, await decide(call, 'proposed', { decidedBy: 'nobody' }), 422, 'WHODECIDES_ERR_UNKNOWN_REFERENCE')
  t.match(unknown.errors, [{ in: 'body', path: '/decidedBy', message: /nobody/ }])
  t.match((await call({ method: 'GET', url: '/v1/initiatives/proposed' })).json(), { status: 'proposed', version: 1 }, 'the initiative did not move')

  t.equal((await decide(call, 'proposed', { id: 'taken' })).statusCode, 201)
  const afterTaken = changeCount(app)
  const taken = assertProblem(t, await decide(call, 'active', { id: 'taken' }), 409, 'WHODECIDES_ERR_CONFLICT')
  t.match(taken.errors, [{ path: '/id' }])
  t.equal(changeCount(app), afterTaken, 'no change written by a refusal')
  t.equal(afterTaken, afterLongest + 2, 'only the accepted decision wrote (the 400s, 401, 403, 404 and 422 wrote nothing)')
  t.equal((await call({ method: 'GET', url: '/v1/initiatives/proposed/decisions' })).json().items.length, 1)

  t.equal((await call({ method: 'PATCH', url: '/v1/initiatives/active/decisions/taken', payload: { outcome: 'No' } })).statusCode, 404, 'no PATCH: history')
  t.equal((await call({ method: 'DELETE', url: '/v1/initiatives/proposed/decisions/taken' })).statusCode, 404, 'no DELETE: history')
})

t.test('an initiative or a person a decision points at cannot be deleted', async (t) => {
  const { call } = await buildTestApp(t)
  await seed(call)
  await decide(call, 'active', { id: 'go', decidedBy: 'bob' })
  const initiative = assertProblem(t, await call({ method: 'DELETE', url: '/v1/initiatives/active' }), 409, 'WHODECIDES_ERR_IN_USE')
  t.same(initiative.blockedBy, [{ entity: 'decisions', id: 'go' }])
  const person = assertProblem(t, await call({ method: 'DELETE', url: '/v1/people/bob' }), 409, 'WHODECIDES_ERR_IN_USE')
  t.same(person.blockedBy, [{ entity: 'decisions', id: 'go' }])
  t.equal((await call({ method: 'DELETE', url: '/v1/people/ada' })).statusCode, 204, 'a person without decisions still can be')
  t.equal((await call({ method: 'DELETE', url: '/v1/initiatives/done' })).statusCode, 204, 'an initiative without decisions still can be')
})

t.test('decisions in the bundle: exported, imported without deciding the initiative, matched on their natural key', async (t) => {
  const first = await buildTestApp(t)
  await seed(first.call)
  await decide(first.call, 'on-hold', { id: 'hold-go', rationale: 'Budget freed' })
  const exported = (await first.call({ method: 'GET', url: '/v1/export', as: 'reader' })).json()
  t.same(exported.decisions, [{ id: 'hold-go', initiativeId: 'on-hold', decidedBy: 'ada', decidedAt: '2026-05-04T10:00:00.000Z', outcome: 'Go', rationale: 'Budget freed', kind: 'decision', supersedes: null }])

  const second = await buildTestApp(t)
  const bundle = {
    ...exported,
    initiatives: exported.initiatives.map((i: { id: string }) => i.id === 'on-hold' ? { ...i, status: 'on_hold' } : i),
    decisions: [...exported.decisions, { initiativeId: 'active', decidedBy: 'bob', decidedAt: '2026-06-01T00:00:00+02:00', outcome: 'Later' }]
  }
  const imported = await second.call({ method: 'POST', url: '/v1/import', payload: bundle })
  t.equal(imported.statusCode, 200, imported.body)
  t.match(imported.json().collections.decisions, { created: 2, updated: 0 })
  t.match((await second.call({ method: 'GET', url: '/v1/initiatives/on-hold' })).json(), { status: 'on_hold', version: 1 }, 'the bundle states the status')
  t.match((await second.call({ method: 'GET', url: '/v1/initiatives/active' })).json(), { status: 'active', version: 1 })
  const later = (await second.call({ method: 'GET', url: '/v1/initiatives/active/decisions' })).json().items
  t.match(later, [{ decidedBy: 'bob', decidedAt: '2026-05-31T22:00:00.000Z', rationale: null, version: 1 }])

  const same = await second.call({ method: 'POST', url: '/v1/import', payload: { decisions: [{ initiativeId: 'active', decidedBy: 'bob', decidedAt: '2026-05-31T22:00:00Z', outcome: 'Later' }] } })
  t.equal(same.statusCode, 200, same.body)
  t.match(same.json().collections.decisions, { created: 0, updated: 0, unchanged: 1 }, 'matched on (initiativeId, decidedBy, decidedAt)')
  const again = assertProblem(t, await second.call({ method: 'POST', url: '/v1/import', payload: { decisions: [{ initiativeId: 'active', decidedBy: 'bob', decidedAt: '2026-05-31T22:00:00Z', outcome: 'Later, in June' }] } }),
    422, 'WHODECIDES_ERR_INVALID_BUNDLE')
  t.match(again.report.invalid, [{ collection: 'decisions', index: 0, field: '/outcome', reason: new RegExp(`"${later[0].id}" is already on record`) }],
    'matched on its natural key, a decision on record is never changed: decisions are append-only')

  const bad = assertProblem(t, await second.call({
    method: 'POST',
    url: '/v1/import',
    payload: { decisions: [{ initiativeId: 'gone', decidedBy: 'nobody', decidedAt: '2026-01-01T00:00:00Z', outcome: 'x' }, { initiativeId: 'active', decidedBy: 'ada', outcome: '' }] }
  }), 422, 'WHODECIDES_ERR_INVALID_BUNDLE')
  t.same(bad.report.invalid.map((i: { index: number, field: string }) => `${i.index}${i.field}`).sort(), ['0/decidedBy', '0/initiativeId', '1/decidedAt', '1/outcome'])

  const orphaned = assertProblem(t, await second.call({ method: 'POST', url: '/v1/import?mode=replace', payload: { people: exported.people, decisions: exported.decisions } }),
    422, 'WHODECIDES_ERR_INVALID_BUNDLE')
  t.match(orphaned.report.invalid, [{ collection: 'decisions', index: 0, field: '/initiativeId' }], 'a replace cannot leave a decision without its initiative')
  const replaced = assertProblem(t, await second.call({ method: 'POST', url: '/v1/import?mode=replace', payload: { people: exported.people, initiatives: bundle.initiatives } }),
    409, 'WHODECIDES_ERR_CONFLICT')
  t.same(replaced.blockedBy.map((b: { entity: string }) => b.entity), ['decisions', 'decisions'], 'a replace cannot delete decisions on record')
  t.equal((await second.call({ method: 'GET', url: '/v1/export' })).json().decisions.length, 2, 'nothing was removed')
})

t.test('kinds and supersedes: a deferral leaves the initiative open; supersedes names an earlier decision on the same initiative', async (t) => {
  const { app, call } = await buildTestApp(t)
  await seed(call)
  const deferral = await decide(call, 'active', { id: 'defer', kind: 'deferral', decidedAt: '2026-05-01T00:00:00Z', outcome: 'Bob decides' })
  t.equal(deferral.statusCode, 201, deferral.body)
  t.match(deferral.json(), { kind: 'deferral', supersedes: null })
  t.match((await call({ method: 'GET', url: '/v1/initiatives/active' })).json(), { status: 'active', version: 1 }, 'a deferral hands the call over: still open')

  const call1 = await decide(call, 'active', { id: 'go', decidedBy: 'bob', decidedAt: '2026-05-02T00:00:00Z' })
  t.equal(call1.json().kind, 'decision', 'the default kind')
  t.match((await call({ method: 'GET', url: '/v1/initiatives/active' })).json(), { status: 'decided' })
  const reversal = await decide(call, 'active', { id: 'undo', kind: 'reversal', supersedes: 'go', decidedAt: '2026-05-03T00:00:00Z', outcome: 'No' })
  t.equal(reversal.statusCode, 201, reversal.body)
  t.match(reversal.json(), { kind: 'reversal', supersedes: 'go' })
  t.strictSame((await call({ method: 'GET', url: '/v1/initiatives/active/decisions/undo' })).json(), reversal.json())
  t.strictSame((await call({ method: 'GET', url: '/v1/initiatives/active/decisions?kind=reversal' })).json().items.map((d: { id: string }) => d.id), ['undo'])
  t.equal((await decide(call, 'proposed', { id: 'elsewhere' })).statusCode, 201)

  const before = changeCount(app)
  const refused: [string, Record<string, unknown>, number, string, RegExp][] = [
    ['an unknown decision', { supersedes: 'nothing' }, 422, 'WHODECIDES_ERR_UNKNOWN_REFERENCE', /nothing/],
    ['a decision on another initiative', { supersedes: 'elsewhere' }, 422, 'WHODECIDES_ERR_INVALID_RECORD', /another initiative/],
    ['itself', { id: 'me', supersedes: 'me' }, 422, 'WHODECIDES_ERR_INVALID_RECORD', /itself/],
    ['a later decision', { supersedes: 'undo', decidedAt: '2026-04-01T00:00:00Z' }, 422, 'WHODECIDES_ERR_INVALID_RECORD', /after this one/]
  ]
  for (const [what, payload, status, code, message] of refused) {
    const problem = assertProblem(t, await decide(call, 'active', payload), status, code)
    t.match(problem.errors, [{ in: 'body', path: '/supersedes', message }], what)
  }
  const badKind = assertProblem(t, await decide(call, 'active', { kind: 'overrule' }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.match(badKind.errors, [{ in: 'body', path: '/kind' }])
  t.equal(changeCount(app), before, 'no refusal wrote anything')

  // A version logged before decisions had a kind reads as a plain decision superseding none.
  const then = reversal.json().createdAt as string
  app.runtime.db.$client.exec('DROP TRIGGER changes_no_update')
  app.runtime.db.$client.prepare(`UPDATE changes SET after = json_remove(after, '$.kind', '$.supersedes') WHERE entity = 'decisions' AND entity_id = 'go'`).run()
  t.match((await call({ method: 'GET', url: `/v1/initiatives/active/decisions/go?at=${then}` })).json(), { kind: 'decision', supersedes: null })
  const listed = (await call({ method: 'GET', url: `/v1/initiatives/active/decisions?at=${then}&kind=decision` })).json()
  t.strictSame(listed.items.map((d: { id: string, kind: string }) => [d.id, d.kind]), [['go', 'decision']])
})
