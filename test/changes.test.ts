// The change log: exactly one entry per mutation, none for a refused one, and GET /v1/changes with its filters and pages.
import t from 'tap'
import { assertProblem, buildTestApp, recordOf, type TestApp } from './helper.js'

type Call = TestApp['call']

/** Every entry the query matches, walking all pages as the auditor. */
async function allEntries (call: Call, query = ''): Promise<any[]> {
  const items: any[] = []
  let cursor: string | null = null
  do {
    const res = await call({ as: 'auditor', url: `/v1/changes?limit=500${query}${cursor === null ? '' : `&cursor=${cursor}`}` })
    if (res.statusCode !== 200) throw new Error(res.body)
    const page = res.json()
    items.push(...page.items)
    cursor = page.nextCursor
  } while (cursor !== null)
  return items
}

const keyIdOf = async (call: Call, label: string): Promise<string> =>
  (await call({ url: '/v1/keys' })).json().items.find((k: { label: string }) => k.label === label).id

const ada = { id: 'ada', name: 'Ada Lovelace', email: 'ada@example.com', title: 'CEO', tags: ['founder', 'executive'], stakePercent: 12.5, externalId: 'HR-1' }

t.test('each mutation writes one entry: revision = X-Revision, before/after whole, actor = key id and label', async (t) => {
  const { call } = await buildTestApp(t)
  const editorId = await keyIdOf(call, 'test editor')
  const adminId = await keyIdOf(call, 'bootstrap admin')
  const start = (await allEntries(call)).length
  t.equal(start, 4, 'the test keys: bootstrap admin and three more')

  const created = await call({ as: 'editor', method: 'POST', url: '/v1/people', payload: ada })
  t.equal(created.statusCode, 201)
  const updated = await call({ as: 'editor', method: 'PATCH', url: '/v1/people/ada', payload: { status: 'on_leave', tags: ['founder'] } })
  t.equal(updated.statusCode, 200)
  const removed = await call({ as: 'editor', method: 'DELETE', url: '/v1/people/ada' })
  t.equal(removed.statusCode, 204)
  const issued = await call({ method: 'POST', url: '/v1/keys', payload: { label: 'sync', role: 'reader' } })
  t.equal(issued.statusCode, 201)
  const revoked = await call({ method: 'DELETE', url: `/v1/keys/${issued.json().id as string}` })
  t.equal(revoked.statusCode, 204)

  const writes = [created, updated, removed, issued, revoked]
  const entries = await allEntries(call)
  t.equal(entries.length, start + writes.length, 'exactly one entry per mutation')
  const fresh = entries.slice(start)
  t.same(writes.map((w) => Number(w.headers['x-revision'])), fresh.map((e) => e.revision), 'each write\'s X-Revision is its entry\'s revision')
  for (let i = 1; i < entries.length; i++) {
    t.ok(entries[i].revision > entries[i - 1].revision, 'revisions increase')
    t.ok(entries[i].at >= entries[i - 1].at, 'times never go backwards')
  }

  const byEditor = { keyId: editorId, label: 'test editor' }
  const byAdmin = { keyId: adminId, label: 'bootstrap admin' }
  t.same(fresh.map(({ action, entity, entityId, actor }) => ({ action, entity, entityId, actor })), [
    { action: 'create', entity: 'people', entityId: 'ada', actor: byEditor },
    { action: 'update', entity: 'people', entityId: 'ada', actor: byEditor },
    { action: 'delete', entity: 'people', entityId: 'ada', actor: byEditor },
    { action: 'create', entity: 'keys', entityId: issued.json().id, actor: byAdmin },
    { action: 'revoke', entity: 'keys', entityId: issued.json().id, actor: byAdmin }
  ])
  // The snapshots are the records exactly as the API answered: nested arrays and nulls included.
  t.same(fresh[0].before, null)
  t.same(fresh[0].after, recordOf(created))
  t.same(fresh[1].before, recordOf(created))
  t.same(fresh[1].after, recordOf(updated))
  t.same(fresh[2].before, recordOf(updated))
  t.same(fresh[2].after, null)
  const { token: _token, ...issuedKey } = issued.json()
  t.same(fresh[3].after, { ...issuedKey, revokedAt: null })
  t.match(fresh[4], { before: { revokedAt: null }, after: { revokedAt: String } })
  t.same(entries[0].actor, { keyId: null, label: 'system' }, 'the service itself made the bootstrap key')
})

t.test('a refused write leaves no entry', async (t) => {
  const { call } = await buildTestApp(t)
  t.equal((await call({ method: 'POST', url: '/v1/people', payload: ada })).statusCode, 201)
  t.equal((await call({ method: 'POST', url: '/v1/people', payload: { id: 'bob', name: 'Bob', email: 'bob@example.com', managerId: 'ada' } })).statusCode, 201)
  const before = await allEntries(call)

  const refused: [string, Parameters<Call>[0], number][] = [
    ['unknown field', { method: 'POST', url: '/v1/people', payload: { name: 'X', email: 'x@example.com', shoeSize: 44 } }, 400],
    ['wrong type', { method: 'PATCH', url: '/v1/people/ada', payload: { name: 7 } }, 400],
    ['empty patch', { method: 'PATCH', url: '/v1/people/ada', payload: {} }, 400],
    ['bad key role', { method: 'POST', url: '/v1/keys', payload: { label: 'x', role: 'root' } }, 400],
    ['no key', { as: null, method: 'POST', url: '/v1/people', payload: { name: 'X', email: 'x@example.com' } }, 401],
    ['reader writes', { as: 'reader', method: 'POST', url: '/v1/people', payload: { name: 'X', email: 'x@example.com' } }, 403],
    ['editor issues a key', { as: 'editor', method: 'POST', url: '/v1/keys', payload: { label: 'x', role: 'admin' } }, 403],
    ['patch unknown', { method: 'PATCH', url: '/v1/people/nobody', payload: { name: 'X' } }, 404],
    ['delete unknown', { method: 'DELETE', url: '/v1/people/nobody' }, 404],
    ['revoke unknown', { method: 'DELETE', url: '/v1/keys/nobody' }, 404],
    ['taken id', { method: 'POST', url: '/v1/people', payload: { id: 'ada', name: 'X', email: 'x@example.com' } }, 409],
    ['taken email', { method: 'POST', url: '/v1/people', payload: { name: 'X', email: 'ADA@example.com' } }, 409],
    ['still referenced', { method: 'DELETE', url: '/v1/people/ada' }, 409],
    ['stale If-Match on PATCH', { method: 'PATCH', url: '/v1/people/ada', headers: { 'if-match': '"7"' }, payload: { name: 'X' } }, 412],
    ['stale If-Match on DELETE', { method: 'DELETE', url: '/v1/people/bob', headers: { 'if-match': '"7"' } }, 412],
    ['unknown manager', { method: 'POST', url: '/v1/people', payload: { name: 'X', email: 'x@example.com', managerId: 'nobody' } }, 422],
    ['reporting loop', { method: 'PATCH', url: '/v1/people/ada', payload: { managerId: 'bob' } }, 422]
  ]
  for (const [what, request, status] of refused) {
    const res = await call(request)
    t.equal(res.statusCode, status, `${what} → ${status}`)
    t.notOk('x-revision' in res.headers, `${what}: no X-Revision`)
  }
  t.same(await allEntries(call), before, 'the log is unchanged')
})

t.test('since, entity and entityId filter; limit and cursor page in revision order', async (t) => {
  const { call } = await buildTestApp(t)
  for (const id of ['p1', 'p2', 'p3']) {
    t.equal((await call({ method: 'POST', url: '/v1/people', payload: { id, name: id, email: `${id}@example.com` } })).statusCode, 201)
  }
  t.equal((await call({ method: 'PATCH', url: '/v1/people/p2', payload: { title: 'CFO' } })).statusCode, 200)
  const all = await allEntries(call)
  t.equal(all.length, 8)

  const revisions = (items: any[]): number[] => items.map((e) => e.revision)
  t.same(revisions(await allEntries(call, `&since=${all[5].revision as number}`)), revisions(all.slice(6)), 'since: strictly after')
  t.same(await allEntries(call, `&since=${all[7].revision as number}`), [], 'nothing after the last')
  t.same(revisions(await allEntries(call, '&entity=keys')), revisions(all.slice(0, 4)))
  t.same(revisions(await allEntries(call, '&entity=people')), revisions(all.slice(4)))
  t.same(revisions(await allEntries(call, '&entity=domains')), [])
  t.same(revisions(await allEntries(call, '&entityId=p2')), [all[5].revision, all[7].revision])
  t.same(revisions(await allEntries(call, '&entity=people&entityId=p2')), [all[5].revision, all[7].revision])
  t.same(revisions(await allEntries(call, `&entity=people&entityId=p2&since=${all[5].revision as number}`)), [all[7].revision])
  t.same(revisions(await allEntries(call, '&entity=keys&entityId=p2')), [])

  // Pages of 3: 3 + 3 + 2, each cursor carrying on from the last revision of its page.
  const pages: any[] = []
  let url = '/v1/changes?limit=3'
  for (;;) {
    const page = (await call({ as: 'auditor', url })).json()
    pages.push(page)
    if (page.nextCursor === null) break
    url = `/v1/changes?limit=3&cursor=${page.nextCursor as string}`
  }
  t.same(pages.map((p) => p.items.length), [3, 3, 2])
  t.same(pages.flatMap((p) => revisions(p.items)), revisions(all))
  const exact = (await call({ as: 'auditor', url: `/v1/changes?limit=2&since=${all[5].revision as number}` })).json()
  t.equal(exact.items.length, 2)
  t.equal(exact.nextCursor, null, 'no cursor when the page holds the rest exactly')
  const paged = (await call({ as: 'auditor', url: '/v1/changes?limit=2&entity=people' })).json()
  const next = (await call({ as: 'auditor', url: `/v1/changes?limit=2&entity=people&cursor=${paged.nextCursor as string}` })).json()
  t.same(revisions(next.items), revisions(all.slice(6)), 'a cursor keeps to the filter it is used with')

  for (const [query, path] of [['cursor=aWQ6cDE', '/cursor'], ['cursor=cmV2OmFiYw', '/cursor'], ['cursor=bogus', '/cursor'], ['since=-1', '/since'], ['since=abc', '/since'],
    ['entity=widgets', '/entity'], ['limit=0', '/limit'], ['limit=501', '/limit'], ['actor=x', '/actor']] as const) {
    const body = assertProblem(t, await call({ as: 'auditor', url: `/v1/changes?${query}` }), 400, 'WHODECIDES_ERR_VALIDATION')
    t.match(body.errors, [{ in: 'query', path }], query)
  }
})

t.test('the default page holds 50 entries', async (t) => {
  const { call } = await buildTestApp(t)
  for (let i = 0; i < 50; i++) {
    await call({ method: 'POST', url: '/v1/people', payload: { name: `p${i}`, email: `p${i}@example.com` } })
  }
  const page = (await call({ as: 'auditor', url: '/v1/changes' })).json()
  t.equal(page.items.length, 50)
  t.type(page.nextCursor, 'string')
  const rest = (await call({ as: 'auditor', url: `/v1/changes?cursor=${page.nextCursor as string}` })).json()
  t.same([rest.items.length, rest.nextCursor], [4, null])
})

t.test('the change log is append-only: only reads under /v1/changes, and SQLite refuses to change or remove an entry', async (t) => {
  const { app, call } = await buildTestApp(t)
  t.equal((await call({ method: 'POST', url: '/v1/people', payload: { id: 'ada', name: 'Ada', email: 'ada@example.com' } })).statusCode, 201)
  const routes = app.routeAccess.filter((r) => r.url.startsWith('/v1/changes'))
  t.strictSame([...new Set(routes.map((r) => r.method))].sort(), ['GET', 'HEAD'], 'no route writes the change log')
  for (const method of ['PATCH', 'PUT', 'DELETE', 'POST'] as const) {
    t.equal((await call({ method, url: '/v1/changes', payload: {} })).statusCode, 404, `${method} /v1/changes has no route`)
  }
  const sqlite = app.runtime.db.$client
  const before = sqlite.prepare('SELECT * FROM changes').all()
  t.throws(() => sqlite.prepare("UPDATE changes SET actor_label = 'someone else'").run(), /the change log is append-only/)
  t.throws(() => sqlite.prepare('DELETE FROM changes').run(), /the change log is append-only/)
  t.strictSame(sqlite.prepare('SELECT * FROM changes').all(), before, 'every entry as it was')
})
