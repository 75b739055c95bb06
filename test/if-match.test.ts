// Safe edits: If-Match on PATCH and DELETE, and the race of twenty writers holding the same version.
import t from 'tap'
import { assertProblem, buildTestApp } from './helper.js'

const person = { id: 'ada', name: 'Ada Lovelace', email: 'ada@example.com' }

t.test('20 concurrent PATCHes with the same If-Match: one wins, nineteen get 412, one entry', async (t) => {
  const { call } = await buildTestApp(t)
  t.equal((await call({ method: 'POST', url: '/v1/people', payload: person })).statusCode, 201)
  t.equal((await call({ url: '/v1/people/ada' })).headers.etag, '"1"')
  const since = (await call({ as: 'auditor', url: '/v1/changes?entity=people&entityId=ada' })).json().items[0].revision

  const answers = await Promise.all(Array.from({ length: 20 }, async (_, i) =>
    await call({ as: 'editor', method: 'PATCH', url: '/v1/people/ada', headers: { 'if-match': '"1"' }, payload: { title: `writer ${i}` } })))

  const winners = answers.filter((r) => r.statusCode === 200)
  const losers = answers.filter((r) => r.statusCode !== 200)
  t.equal(winners.length, 1, 'exactly one 200')
  t.equal(losers.length, 19)
  for (const res of losers) assertProblem(t, res, 412, 'WHODECIDES_ERR_PRECONDITION_FAILED')
  const winner = winners[0]!
  t.equal(winner.headers.etag, '"2"')

  const now = await call({ url: '/v1/people/ada' })
  t.equal(now.json().version, 2, 'the version moved once')
  t.equal(now.json().title, winner.json().title, 'and holds the winner\'s change')
  const entries = (await call({ as: 'auditor', url: `/v1/changes?since=${since as number}` })).json().items
  t.equal(entries.length, 1, 'one change-log entry')
  t.match(entries[0], { action: 'update', entityId: 'ada', revision: Number(winner.headers['x-revision']), after: { version: 2, title: winner.json().title } })
})

t.test('If-Match forms on PATCH: absent, current, *, weak, lists, stale', async (t) => {
  const { call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/people', payload: person })
  const patch = async (ifMatch: string | undefined, title: string) =>
    await call({ method: 'PATCH', url: '/v1/people/ada', headers: ifMatch === undefined ? {} : { 'if-match': ifMatch }, payload: { title } })

  t.equal((await patch(undefined, 'a')).headers.etag, '"2"', 'no If-Match: unconditional')
  t.equal((await patch('"2"', 'b')).headers.etag, '"3"', 'the current version')
  t.equal((await patch('*', 'c')).headers.etag, '"4"', '* matches any version')
  t.equal((await patch('W/"4"', 'd')).headers.etag, '"5"', 'the weak form')
  t.equal((await patch('"1", "5"', 'e')).headers.etag, '"6"', 'a list naming the current version')
  for (const stale of ['"5"', 'W/"5"', '"1", "2"', '6', '""']) {
    const body = assertProblem(t, await patch(stale, 'never'), 412, 'WHODECIDES_ERR_PRECONDITION_FAILED')
    t.match(body.detail, /current version 6/, stale)
  }
  t.match((await call({ url: '/v1/people/ada' })).json(), { version: 6, title: 'e' }, 'no stale write landed')
  assertProblem(t, await patch('x'.repeat(101), 'never'), 400, 'WHODECIDES_ERR_VALIDATION')
})

t.test('If-Match on DELETE: a stale version keeps the record, the current one (or * or W/) deletes it', async (t) => {
  const { call } = await buildTestApp(t)
  for (const id of ['a', 'b', 'c']) await call({ method: 'POST', url: '/v1/people', payload: { id, name: id, email: `${id}@example.com` } })
  await call({ method: 'PATCH', url: '/v1/people/a', payload: { title: 'x' } })

  assertProblem(t, await call({ method: 'DELETE', url: '/v1/people/a', headers: { 'if-match': '"1"' } }), 412, 'WHODECIDES_ERR_PRECONDITION_FAILED')
  t.equal((await call({ url: '/v1/people/a' })).statusCode, 200, 'still there')
  t.equal((await call({ method: 'DELETE', url: '/v1/people/a', headers: { 'if-match': '"2"' } })).statusCode, 204)
  t.equal((await call({ method: 'DELETE', url: '/v1/people/b', headers: { 'if-match': '*' } })).statusCode, 204)
  t.equal((await call({ method: 'DELETE', url: '/v1/people/c', headers: { 'if-match': 'W/"1"' } })).statusCode, 204)
  for (const id of ['a', 'b', 'c']) t.equal((await call({ url: `/v1/people/${id}` })).statusCode, 404, `${id} is gone`)
  assertProblem(t, await call({ method: 'DELETE', url: '/v1/people/a', headers: { 'if-match': '*' } }), 404, 'WHODECIDES_ERR_NOT_FOUND')
})
