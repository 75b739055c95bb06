// Reads `at` a past time: each collection walked through create, change and delete (or end), read at every instant
// in between; filters, paging and ETags at a time; people's status from the timeline; and bad times.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import t, { type Test } from 'tap'
import { migrationsFolder } from '../src/config.js'
import { assertProblem, buildTestApp, type TestApp } from './helper.js'

/** An instant strictly between the write before and the write after it (the registry's clock has milliseconds). */
async function instant (): Promise<string> {
  await sleep(3)
  const at = new Date().toISOString()
  await sleep(3)
  return at
}

const ok = async (res: Promise<Awaited<ReturnType<TestApp['call']>>>): Promise<any> => {
  const answer = await res
  if (answer.statusCode >= 300) throw new Error(`${answer.statusCode}: ${answer.body}`)
  return answer.statusCode === 204 ? undefined : answer.json()
}

/** The ids of a list read at `at` (all pages). */
async function idsAt (call: TestApp['call'], url: string, at: string): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | null = null
  do {
    const sep = url.includes('?') ? '&' : '?'
    const page: { items: { id: string }[], nextCursor: string | null } =
      await ok(call({ url: `${url}${sep}at=${encodeURIComponent(at)}${cursor === null ? '' : `&cursor=${cursor}`}` }))
    ids.push(...page.items.map((i) => i.id))
    cursor = page.nextCursor
  } while (cursor !== null)
  return ids
}

/** Reads one record at `at`: its body, or null on the usual 404 problem. */
async function getAt (t: Test, call: TestApp['call'], url: string, at: string): Promise<any> {
  const res = await call({ url: `${url}?at=${encodeURIComponent(at)}`, as: 'reader' })
  if (res.statusCode === 404) {
    assertProblem(t, res, 404, 'WHODECIDES_ERR_NOT_FOUND')
    return null
  }
  t.equal(res.statusCode, 200, res.body)
  t.notOk(res.headers.etag, 'a read at a time carries no ETag')
  return res.json()
}

interface Walk {
  collection: string
  /** Creates the record (after whatever it needs); returns its id. */
  create: () => Promise<string>
  /** The PATCH body of the change, which the second version shows. */
  patch: Record<string, unknown>
  /** DELETE removes the record (404 afterwards) or, for assignments, ends it (validTo set). */
  ends?: boolean
}

async function walk (t: Test, call: TestApp['call'], w: Walk): Promise<void> {
  const before = await instant()
  const id = await w.create()
  const url = `/v1/${w.collection}/${id}`
  const created = await ok(call({ url }))
  const afterCreate = await instant()
  const { effects: _effects, ...changed } = await ok(call({ method: 'PATCH', url, payload: w.patch }))
  const afterChange = await instant()
  t.equal((await call({ method: 'DELETE', url })).statusCode, w.ends === true ? 200 : 204)
  const afterDelete = await instant()

  t.equal(await getAt(t, call, url, before), null, 'not there before it was created')
  t.strictSame(await getAt(t, call, url, afterCreate), created, 'the first version after the create')
  t.strictSame(await getAt(t, call, url, afterChange), changed, 'the second version after the change')
  t.match(changed, w.patch)
  if (w.ends === true) {
    const ended = await getAt(t, call, url, afterDelete)
    t.equal(ended.version, 3, 'ended: the third version')
    t.type(ended.validTo, 'string')
  } else {
    t.equal(await getAt(t, call, url, afterDelete), null, 'gone after the delete')
  }

  t.notOk((await idsAt(call, `/v1/${w.collection}`, before)).includes(id), 'not listed before the create')
  t.ok((await idsAt(call, `/v1/${w.collection}`, afterCreate)).includes(id), 'listed after the create')
  t.equal((await idsAt(call, `/v1/${w.collection}`, afterDelete)).includes(id), w.ends === true, 'listed after the delete only if ended')

  // The boundaries are the change log's own instants: a version holds from its write, inclusive.
  const log: { at: string, action: string }[] = (await ok(call({ as: 'auditor', url: `/v1/changes?entity=${w.collection}&entityId=${id}` }))).items
  t.strictSame(log.map((c) => c.action), ['create', 'update', w.ends === true ? 'end' : 'delete'])
  const justBefore = new Date(Date.parse(log[1]!.at) - 1).toISOString()
  if (log[1]!.at > log[0]!.at) t.equal((await getAt(t, call, url, justBefore)).version, 1, 'one millisecond before the change: the first version')
  t.equal((await getAt(t, call, url, log[1]!.at)).version, 2, 'at the very instant of the change: the second version')
}

t.test('each collection: get and list at every instant of create, change, delete', async (t) => {
  const { call } = await buildTestApp(t)
  const post = async (url: string, payload: Record<string, unknown>): Promise<string> => (await ok(call({ method: 'POST', url, payload }))).id
  await post('/v1/people', { id: 'ada', name: 'Ada', email: 'ada@example.com' })
  await post('/v1/people', { id: 'bob', name: 'Bob', email: 'bob@example.com' })
  await post('/v1/domains', { id: 'pricing', name: 'Pricing' })
  await post('/v1/initiatives', { id: 'tiers', title: 'Tiers', domainId: 'pricing' })

  const walks: Walk[] = [
    { collection: 'people', create: async () => await post('/v1/people', { id: 'cy', name: 'Cy', email: 'cy@example.com' }), patch: { title: 'CFO', tags: ['board'], managerId: 'ada' } },
    { collection: 'domains', create: async () => await post('/v1/domains', { id: 'hiring', name: 'Hiring' }), patch: { parentId: 'pricing', description: 'Who we hire' } },
    { collection: 'initiatives', create: async () => await post('/v1/initiatives', { id: 'eu', title: 'EU prices' }), patch: { domainId: 'pricing', status: 'active', decisionRule: 'pool' } },
    { collection: 'assignments', create: async () => await post('/v1/assignments', { id: 'ada-a', personId: 'ada', role: 'A', initiativeId: 'tiers', validFrom: '2026-01-01T00:00:00Z' }), patch: { role: 'R' }, ends: true },
    { collection: 'delegations', create: async () => await post('/v1/delegations', { id: 'ada-bob', fromPersonId: 'ada', toPersonId: 'bob', allScopes: true }), patch: { reason: 'leave', validTo: '2030-01-01T00:00:00.000Z' } },
    { collection: 'influences', create: async () => await post('/v1/influences', { id: 'bob-tiers', personId: 'bob', initiativeId: 'tiers', strength: 'low' }), patch: { strength: 'high', note: 'steers it' } }
  ]
  for (const w of walks) await t.test(w.collection, async (t) => { await walk(t, call, w) })
})

t.test('decisions at a time: the initiative must exist then; newest first, paged, filtered', async (t) => {
  const { call } = await buildTestApp(t)
  const beforeInitiative = await instant()
  await ok(call({ method: 'POST', url: '/v1/people', payload: { id: 'ada', name: 'Ada', email: 'ada@example.com' } }))
  await ok(call({ method: 'POST', url: '/v1/people', payload: { id: 'bob', name: 'Bob', email: 'bob@example.com' } }))
  await ok(call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'eu', title: 'EU prices', status: 'active' } }))
  const beforeDecisions = await instant()
  await ok(call({ method: 'POST', url: '/v1/initiatives/eu/decisions', payload: { id: 'first', decidedBy: 'ada', decidedAt: '2026-03-01T00:00:00Z', outcome: 'Go' } }))
  const afterFirst = await instant()
  await ok(call({ method: 'POST', url: '/v1/initiatives/eu/decisions', payload: { id: 'second', decidedBy: 'bob', decidedAt: '2026-04-01T00:00:00Z', outcome: 'Stop' } }))
  await ok(call({ method: 'POST', url: '/v1/initiatives/eu/decisions', payload: { id: 'older', decidedBy: 'ada', decidedAt: '2026-02-01T00:00:00Z', outcome: 'Wait' } }))
  const afterAll = await instant()

  assertProblem(t, await call({ url: `/v1/initiatives/eu/decisions?at=${beforeInitiative}` }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await call({ url: `/v1/initiatives/eu/decisions/first?at=${beforeInitiative}` }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  t.strictSame(await idsAt(call, '/v1/initiatives/eu/decisions', beforeDecisions), [])
  t.strictSame(await idsAt(call, '/v1/initiatives/eu/decisions', afterFirst), ['first'])
  t.strictSame(await idsAt(call, '/v1/initiatives/eu/decisions', afterAll), ['second', 'first', 'older'], 'newest decidedAt first')
  t.strictSame(await idsAt(call, '/v1/initiatives/eu/decisions?decidedBy=ada', afterAll), ['first', 'older'])
  t.strictSame(await idsAt(call, '/v1/initiatives/eu/decisions?limit=1', afterAll), ['second', 'first', 'older'], 'paged one by one')
  const page = await ok(call({ url: `/v1/initiatives/eu/decisions?limit=2&at=${afterFirst}` }))
  t.strictSame(page, { items: [await ok(call({ url: '/v1/initiatives/eu/decisions/first' }))], nextCursor: null })

  assertProblem(t, await call({ url: `/v1/initiatives/eu/decisions/second?at=${afterFirst}` }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  t.match(await getAt(t, call, '/v1/initiatives/eu/decisions/second', afterAll), { id: 'second', decidedBy: 'bob' })
  await ok(call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'other', title: 'Other' } }))
  assertProblem(t, await call({ url: `/v1/initiatives/other/decisions/second?at=${await instant()}` }), 404, 'WHODECIDES_ERR_NOT_FOUND')

  // Recording the first decision moved the initiative to decided: its own versions show it.
  t.match(await getAt(t, call, '/v1/initiatives/eu', beforeDecisions), { status: 'active', version: 1 })
  t.match(await getAt(t, call, '/v1/initiatives/eu', afterFirst), { status: 'decided', version: 2 })
})

t.test('filters apply to the version at the time: the domain, parent, person and period it had then', async (t) => {
  const { call } = await buildTestApp(t)
  for (const id of ['ada', 'bob']) await ok(call({ method: 'POST', url: '/v1/people', payload: { id, name: id, email: `${id}@example.com` } }))
  for (const id of ['sales', 'ops']) await ok(call({ method: 'POST', url: '/v1/domains', payload: { id, name: id } }))
  await ok(call({ method: 'POST', url: '/v1/domains', payload: { id: 'emea', name: 'EMEA', parentId: 'sales' } }))
  for (const id of ['i1', 'i2', 'i3']) await ok(call({ method: 'POST', url: '/v1/initiatives', payload: { id, title: id, domainId: 'sales' } }))
  await ok(call({ method: 'POST', url: '/v1/assignments', payload: { id: 'a1', personId: 'ada', role: 'A', initiativeId: 'i1', validFrom: '2026-01-01T00:00:00Z' } }))
  await ok(call({ method: 'POST', url: '/v1/assignments', payload: { id: 'a2', personId: 'bob', role: 'R', initiativeId: 'i1', validFrom: '2026-01-01T00:00:00Z' } }))
  const t1 = await instant()
  await ok(call({ method: 'PATCH', url: '/v1/initiatives/i2', payload: { domainId: 'ops', status: 'active' } }))
  await ok(call({ method: 'PATCH', url: '/v1/domains/emea', payload: { parentId: 'ops' } }))
  await ok(call({ method: 'PATCH', url: '/v1/assignments/a2', payload: { personId: 'ada' } }))
  await ok(call({ method: 'DELETE', url: '/v1/assignments/a1' }))
  const t2 = await instant()

  t.strictSame(await idsAt(call, '/v1/initiatives?domainId=sales', t1), ['i1', 'i2', 'i3'])
  t.strictSame(await idsAt(call, '/v1/initiatives?domainId=sales', t2), ['i1', 'i3'])
  t.strictSame(await idsAt(call, '/v1/initiatives?domainId=ops', t1), [])
  t.strictSame(await idsAt(call, '/v1/initiatives?domainId=ops', t2), ['i2'])
  t.strictSame(await idsAt(call, '/v1/initiatives?status=active', t1), [])
  t.strictSame(await idsAt(call, '/v1/initiatives?status=proposed&domainId=sales', t2), ['i1', 'i3'])
  t.strictSame(await idsAt(call, '/v1/domains?parentId=sales', t1), ['emea'], 'the tree as it was')
  t.strictSame(await idsAt(call, '/v1/domains?parentId=sales', t2), [])
  t.strictSame(await idsAt(call, '/v1/domains?parentId=ops', t2), ['emea'])
  t.strictSame(await idsAt(call, '/v1/assignments?personId=bob', t1), ['a2'])
  t.strictSame(await idsAt(call, '/v1/assignments?personId=bob', t2), [])
  t.strictSame(await idsAt(call, '/v1/assignments?personId=ada&initiativeId=i1', t2), ['a1', 'a2'])
  t.strictSame(await idsAt(call, '/v1/assignments?personId=ada&role=A', t1), ['a1'])
  t.strictSame(await idsAt(call, '/v1/assignments?activeAt=2027-01-01T00:00:00Z', t1), ['a1', 'a2'], 'a1 still held then')
  t.strictSame(await idsAt(call, '/v1/assignments?activeAt=2027-01-01T00:00:00Z', t2), ['a2'], 'a1 ended since')
  t.strictSame(await idsAt(call, '/v1/assignments?activeAt=2025-01-01T00:00:00Z', t1), [])
  t.strictSame(await idsAt(call, '/v1/initiatives?domainId=nowhere', t2), [], 'an unknown value: an empty list, as now')
})

t.test('paging at a time walks the records as they stood, with the same cursors as now', async (t) => {
  const { call } = await buildTestApp(t)
  for (let i = 1; i <= 7; i++) await ok(call({ method: 'POST', url: '/v1/domains', payload: { id: `d${i}`, name: `D${i}` } }))
  const then = await instant()
  for (const id of ['d2', 'd5']) await ok(call({ method: 'DELETE', url: `/v1/domains/${id}` }))
  await ok(call({ method: 'PATCH', url: '/v1/domains/d3', payload: { name: 'renamed' } }))
  for (const id of ['d0', 'd8']) await ok(call({ method: 'POST', url: '/v1/domains', payload: { id, name: id } }))

  const first = await ok(call({ url: `/v1/domains?limit=3&at=${then}` }))
  t.strictSame(first.items.map((d: { id: string }) => d.id), ['d1', 'd2', 'd3'])
  t.equal(first.items[2].name, 'D3', 'the name it had then')
  const second = await ok(call({ url: `/v1/domains?limit=3&at=${then}&cursor=${first.nextCursor as string}` }))
  t.strictSame(second.items.map((d: { id: string }) => d.id), ['d4', 'd5', 'd6'])
  const last = await ok(call({ url: `/v1/domains?limit=3&at=${then}&cursor=${second.nextCursor as string}` }))
  t.strictSame(last, { items: [await getAt(t, call, '/v1/domains/d7', then)], nextCursor: null })

  const now = await ok(call({ url: '/v1/domains?limit=3' }))
  const continued = await ok(call({ url: `/v1/domains?limit=3&at=${then}&cursor=${now.nextCursor as string}` }))
  t.strictSame(continued.items.map((d: { id: string }) => d.id), ['d4', 'd5', 'd6'], 'a cursor of the current list pages the past one too')
  assertProblem(t, await call({ url: `/v1/domains?at=${then}&cursor=bogus` }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.strictSame(await ok(call({ url: '/v1/domains?at=2000-01-01T00:00:00Z' })), { items: [], nextCursor: null }, 'before anything existed')
})

t.test('a person\'s status at a time comes from the status timeline, as "who decides?" reads it', async (t) => {
  const { call } = await buildTestApp(t)
  await ok(call({ method: 'POST', url: '/v1/people', payload: { id: 'ada', name: 'Ada', email: 'ada@example.com' } }))
  await ok(call({ method: 'POST', url: '/v1/domains', payload: { id: 'pricing', name: 'Pricing' } }))
  await ok(call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'tiers', title: 'Tiers', domainId: 'pricing' } }))
  await ok(call({ method: 'POST', url: '/v1/assignments', payload: { personId: 'ada', role: 'A', initiativeId: 'tiers', validFrom: '2026-01-01T00:00:00Z' } }))
  const leaveBegan = await instant()
  const recordedLate = await instant()
  // Recorded now, effective from leaveBegan: at leaveBegan the registry still said active, but she was on leave.
  await ok(call({ method: 'PATCH', url: '/v1/people/ada', payload: { status: 'on_leave', statusSince: leaveBegan } }))
  const onLeave = await instant()

  for (const at of [leaveBegan, recordedLate, onLeave]) {
    const ada = await getAt(t, call, '/v1/people/ada', at)
    t.match(ada, { status: 'on_leave', statusSince: leaveBegan }, `on leave at ${at}`)
    t.equal((await ok(call({ url: `/v1/initiatives/tiers/decider?at=${at}` }))).resolution, 'absent', '/decider agrees: she cannot act')
  }
  const earlier = new Date(Date.parse(leaveBegan) - 1).toISOString()
  t.match(await getAt(t, call, '/v1/people/ada', earlier), { status: 'active', statusSince: null, version: 1 })
  t.strictSame(await idsAt(call, '/v1/people?status=on_leave', recordedLate), ['ada'], '?status= filters by the status then')
  t.strictSame(await idsAt(call, '/v1/people?status=active', recordedLate), [])
  t.strictSame(await idsAt(call, '/v1/people?status=active', earlier), ['ada'])

  // A status recorded ahead for a later date: the record says retired now, the timeline from that date on.
  const retiring = '2099-01-01T00:00:00.000Z'
  await ok(call({ method: 'PATCH', url: '/v1/people/ada', payload: { status: 'retired', statusSince: retiring } }))
  t.match(await ok(call({ url: '/v1/people/ada' })), { status: 'retired', statusSince: retiring })
  t.match(await getAt(t, call, '/v1/people/ada', await instant()), { status: 'on_leave', statusSince: leaveBegan, version: 3 })
  t.match(await getAt(t, call, '/v1/people/ada', '2100-01-01T00:00:00Z'), { status: 'retired', statusSince: retiring, version: 3 })

  // Deleted, then a new person under the same id: the old versions keep their own status, not the new timeline.
  await ok(call({ method: 'POST', url: '/v1/people', payload: { id: 'cy', name: 'Cy', email: 'cy@example.com', tags: ['founder'] } }))
  const cyActive = await instant()
  await ok(call({ method: 'DELETE', url: '/v1/people/cy' }))
  await ok(call({ method: 'POST', url: '/v1/people', payload: { id: 'cy', name: 'Cy Two', email: 'cy2@example.com', status: 'retired' } }))
  t.match(await getAt(t, call, '/v1/people/cy', cyActive), { name: 'Cy', status: 'active', tags: ['founder'] })
  t.match(await getAt(t, call, '/v1/people/cy', await instant()), { name: 'Cy Two', status: 'retired' })
  t.strictSame(await idsAt(call, '/v1/people?tag=founder', cyActive), ['cy'], '?tag= on the version then')
  t.strictSame(await idsAt(call, '/v1/people?tag=founder', await instant()), [])
})

t.test('ETags: a past version has none, and its version number is no good for If-Match', async (t) => {
  const { call } = await buildTestApp(t)
  await ok(call({ method: 'POST', url: '/v1/people', payload: { id: 'ada', name: 'Ada', email: 'ada@example.com' } }))
  const first = await instant()
  await ok(call({ method: 'PATCH', url: '/v1/people/ada', payload: { title: 'CEO' } }))

  const current = await call({ url: '/v1/people/ada' })
  t.equal(current.headers.etag, '"2"', 'the current read keeps its ETag')
  const past = await call({ url: `/v1/people/ada?at=${first}` })
  t.equal(past.statusCode, 200)
  t.equal(past.headers.etag, undefined, 'no ETag on a read at a time')
  t.equal(past.json().version, 1)
  assertProblem(t, await call({ method: 'PATCH', url: '/v1/people/ada', headers: { 'if-match': `"${past.json().version as number}"` }, payload: { title: 'never' } }),
    412, 'WHODECIDES_ERR_PRECONDITION_FAILED')

  const future = await call({ url: '/v1/people/ada?at=2999-01-01T00:00:00Z' })
  t.strictSame(future.json(), current.json(), 'a time in the future: the current version, as far as we know')
  t.equal(future.headers.etag, undefined, 'still a read at a time: no ETag')
})

t.test('a bad at is a 400 naming it; at joins the other query fields', async (t) => {
  const { call } = await buildTestApp(t)
  await ok(call({ method: 'POST', url: '/v1/people', payload: { id: 'ada', name: 'Ada', email: 'ada@example.com' } }))
  for (const url of ['/v1/people', '/v1/people/ada', '/v1/domains', '/v1/initiatives', '/v1/assignments', '/v1/delegations', '/v1/influences',
    '/v1/initiatives/x/decisions', '/v1/initiatives/x/decisions/y']) {
    for (const bad of ['yesterday', '2026-13-01T00:00:00Z', '2026-03-03', '2026-03-03T25:00:00Z', '', 'x'.repeat(41)]) {
      const body = assertProblem(t, await call({ url: `${url}?at=${encodeURIComponent(bad)}` }), 400, 'WHODECIDES_ERR_VALIDATION')
      t.match(body.errors, [{ in: 'query', path: '/at' }], `${url} at=${bad}`)
    }
  }
  const body = assertProblem(t, await call({ url: '/v1/people/ada?when=2026-01-01T00:00:00Z' }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.match(body.detail, /when/, 'an unknown query field on a single read is refused, as on the lists')
  t.equal((await call({ url: `/v1/people/ada?at=${encodeURIComponent('2999-01-01T01:00:00+01:00')}` })).statusCode, 200, 'any offset')
  t.equal((await call({ as: null, url: '/v1/people/ada?at=2026-01-01T00:00:00Z' })).statusCode, 401, 'still needs a key')
})

t.test('records written by an import are readable at a time too', async (t) => {
  const { call } = await buildTestApp(t)
  const before = await instant()
  await ok(call({ method: 'POST', url: '/v1/import', payload: { people: [{ id: 'ada', name: 'Ada', email: 'ada@example.com', status: 'on_leave' }], domains: [{ id: 'pricing', name: 'Pricing' }] } }))
  const imported = await instant()
  await ok(call({ method: 'POST', url: '/v1/import', payload: { people: [{ id: 'ada', name: 'Ada L.', email: 'ada@example.com', status: 'on_leave' }], domains: [{ id: 'pricing', name: 'Pricing' }] } }))
  t.equal(await getAt(t, call, '/v1/people/ada', before), null)
  const current = await ok(call({ url: '/v1/people/ada' }))
  t.strictSame(await getAt(t, call, '/v1/people/ada', imported), { ...current, name: 'Ada', version: 1, updatedAt: current.createdAt })
  t.match(await getAt(t, call, '/v1/people/ada', await instant()), { name: 'Ada L.', status: 'on_leave', version: 2 })
  t.strictSame(await idsAt(call, '/v1/domains', imported), ['pricing'])
})

t.test('a database from before change_refs gets the references its log made (migration 0006)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-refs-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const dbPath = join(dir, 'registry.db')
  const first = await buildTestApp(t, { dbPath })
  for (const id of ['ada', 'bob']) await ok(first.call({ method: 'POST', url: '/v1/people', payload: { id, name: id, email: `${id}@example.com` } }))
  await ok(first.call({ method: 'POST', url: '/v1/domains', payload: { id: 'sales', name: 'Sales' } }))
  for (const id of ['i1', 'i2']) await ok(first.call({ method: 'POST', url: '/v1/initiatives', payload: { id, title: id, domainId: 'sales' } }))
  for (const [id, personId, role] of [['a1', 'ada', 'A'], ['a2', 'bob', 'R']]) {
    await ok(first.call({ method: 'POST', url: '/v1/assignments', payload: { id, personId, role, initiativeId: 'i1', validFrom: '2026-01-01T00:00:00Z' } }))
  }
  const then = await instant()
  await ok(first.call({ method: 'PATCH', url: '/v1/assignments/a2', payload: { personId: 'ada' } }))
  await ok(first.call({ method: 'DELETE', url: '/v1/initiatives/i2' }))
  await first.app.close()

  // The change log as 0005 left it (no change_refs, the seven json_extract indexes), then 0006's own statements run
  // over it: the migrations after 0006 stay applied, so the later schema does not have to be taken apart.
  const sqlite = new Database(dbPath)
  sqlite.exec('DROP TABLE change_refs')
  for (const field of ['initiativeId', 'personId', 'domainId', 'parentId', 'fromPersonId', 'toPersonId', 'overPersonId']) {
    sqlite.exec(`CREATE INDEX changes_${field}_idx ON changes (entity, json_extract(after, '$.${field}'), entity_id) WHERE json_extract(after, '$.${field}') IS NOT NULL`)
  }
  const migration0006 = readFileSync(join(migrationsFolder(), '0006_change_refs.sql'), 'utf8')
  sqlite.transaction(() => { for (const statement of migration0006.split('--> statement-breakpoint')) sqlite.exec(statement) })()
  sqlite.close()

  const second = await buildTestApp(t, { dbPath })
  t.strictSame(await idsAt(second.call, '/v1/assignments?personId=bob', then), ['a2'], 'a reference changed away from before the migration')
  t.strictSame(await idsAt(second.call, '/v1/assignments?personId=ada', then), ['a1'])
  t.strictSame(await idsAt(second.call, '/v1/assignments?personId=ada', new Date().toISOString()), ['a1', 'a2'])
  t.strictSame(await idsAt(second.call, '/v1/initiatives?domainId=sales', then), ['i1', 'i2'], 'a record deleted before the migration')
  t.strictSame(await idsAt(second.call, '/v1/initiatives?domainId=sales', new Date().toISOString()), ['i1'])
})
