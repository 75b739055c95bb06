// Waivers: records, refusals, filters and paging; and what they do to audit runs until they expire or are withdrawn.
import t from 'tap'
import { AT, importFixture } from './audit-fixture.js'
import { assertProblem, buildTestApp, type TestApp } from './helper.js'
import { changeAt, changeCount } from './seed-registry.js'

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
const FP = 'a'.repeat(32)
const FUTURE = '2999-01-01T00:00:00.000Z'

const createWaiver = (call: TestApp['call'], payload: Record<string, unknown>, as: 'auditor' | 'admin' | 'editor' | 'reader' = 'auditor') =>
  call({ method: 'POST', url: '/v1/waivers', payload: { fingerprint: FP, reason: 'Accepted', expiresAt: FUTURE, ...payload }, as })

/** Moves a waiver's expiry into the past, as time passing would: the API only accepts future expiries. */
const expire = (app: TestApp['app'], id: string): void => {
  app.runtime.db.$client.prepare("UPDATE waivers SET expires_at = '2020-01-01T00:00:00.000Z' WHERE id = ?").run(id)
}

t.test('create, get, list and delete a waiver', async (t) => {
  const { app, call } = await buildTestApp(t)
  const res = await createWaiver(call, { reason: 'The board wants two deciders until the merger', expiresAt: '2999-06-30T12:00:00+02:00' })
  t.equal(res.statusCode, 201)
  const waiver = res.json()
  t.equal(res.headers.location, `/v1/waivers/${waiver.id}`)
  t.equal(res.headers.etag, '"1"')
  t.strictSame(waiver, {
    id: waiver.id, fingerprint: FP, reason: 'The board wants two deciders until the merger', expiresAt: '2999-06-30T10:00:00.000Z',
    version: 1, createdAt: waiver.createdAt, updatedAt: waiver.createdAt
  })
  t.match(waiver.createdAt, ISO)
  t.strictSame(changeAt(app, Number(res.headers['x-revision'])), { action: 'create', entity: 'waivers', entityId: waiver.id, before: null, after: waiver })

  const got = await call({ method: 'GET', url: `/v1/waivers/${waiver.id}`, as: 'auditor' })
  t.equal(got.statusCode, 200)
  t.equal(got.headers.etag, '"1"')
  t.strictSame(got.json(), waiver)
  t.strictSame((await call({ method: 'GET', url: '/v1/waivers', as: 'auditor' })).json(), { items: [waiver], nextCursor: null })

  const removed = await call({ method: 'DELETE', url: `/v1/waivers/${waiver.id}`, headers: { 'if-match': '"1"' }, as: 'auditor' })
  t.equal(removed.statusCode, 204)
  t.strictSame(changeAt(app, Number(removed.headers['x-revision'])), { action: 'delete', entity: 'waivers', entityId: waiver.id, before: waiver, after: null })
  assertProblem(t, await call({ method: 'GET', url: `/v1/waivers/${waiver.id}`, as: 'auditor' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await call({ method: 'DELETE', url: `/v1/waivers/${waiver.id}`, as: 'auditor' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
})

t.test('refusals: a past expiry (422), malformed fields (400), roles (403), If-Match (412); nothing written', async (t) => {
  const { app, call } = await buildTestApp(t)
  const past = assertProblem(t, await createWaiver(call, { expiresAt: '2020-01-01T00:00:00Z' }), 422, 'WHODECIDES_ERR_INVALID_RECORD')
  t.match(past.errors, [{ in: 'body', path: '/expiresAt', message: /future/ }])
  for (const payload of [
    { fingerprint: 'A'.repeat(32) }, { fingerprint: 'not-hex' }, { fingerprint: 'a'.repeat(65) }, { fingerprint: '' },
    { reason: '' }, { reason: 'x'.repeat(2001) }, { expiresAt: 'tomorrow' }, { until: FUTURE }
  ]) {
    assertProblem(t, await createWaiver(call, payload), 400, 'WHODECIDES_ERR_VALIDATION')
  }
  t.equal((await createWaiver(call, { reason: 'x'.repeat(2000), fingerprint: 'f'.repeat(64) })).statusCode, 201, 'the longest reason and fingerprint')
  for (const as of ['editor', 'reader'] as const) {
    assertProblem(t, await createWaiver(call, {}, as), 403, 'WHODECIDES_ERR_FORBIDDEN')
    t.equal((await call({ method: 'GET', url: '/v1/waivers', as })).statusCode, 200, `a ${as} reads the waivers`)
  }
  const id = (await createWaiver(call, {})).json().id
  assertProblem(t, await call({ method: 'DELETE', url: `/v1/waivers/${id}`, headers: { 'if-match': '"2"' }, as: 'auditor' }), 412, 'WHODECIDES_ERR_PRECONDITION_FAILED')
  assertProblem(t, await call({ method: 'DELETE', url: `/v1/waivers/${id}`, as: 'editor' }), 403, 'WHODECIDES_ERR_FORBIDDEN')
  t.equal(changeCount(app, 'waivers'), 2, 'only the two waivers created')
})

t.test('lists filter by active and fingerprint, and page', async (t) => {
  const { app, call } = await buildTestApp(t)
  const ids: string[] = []
  for (const fingerprint of ['01', '02', '02', '03']) ids.push((await createWaiver(call, { fingerprint })).json().id)
  expire(app, ids[1]!)
  const list = async (query: string): Promise<string[]> =>
    (await call({ method: 'GET', url: `/v1/waivers?limit=500${query}`, as: 'auditor' })).json().items.map((w: { id: string }) => w.id)
  t.strictSame(await list(''), ids)
  t.strictSame(await list('&active=true'), [ids[0], ids[2], ids[3]])
  t.strictSame(await list('&active=false'), [ids[1]])
  t.strictSame(await list('&fingerprint=02'), [ids[1], ids[2]])
  t.strictSame(await list('&fingerprint=02&active=true'), [ids[2]])
  assertProblem(t, await call({ method: 'GET', url: '/v1/waivers?fingerprint=XY', as: 'auditor' }), 400, 'WHODECIDES_ERR_VALIDATION')

  const first = (await call({ method: 'GET', url: '/v1/waivers?limit=3', as: 'auditor' })).json()
  t.strictSame(first.items.map((w: { id: string }) => w.id), ids.slice(0, 3))
  const second = (await call({ method: 'GET', url: `/v1/waivers?limit=3&cursor=${first.nextCursor}`, as: 'auditor' })).json()
  t.strictSame({ ids: second.items.map((w: { id: string }) => w.id), next: second.nextCursor }, { ids: ids.slice(3), next: null })
})

t.test('a waived finding stays in its run, marked with its reason, and out of the totals until the waiver expires', async (t) => {
  const { app, call } = await buildTestApp(t)
  await importFixture(t, call)
  const audit = async (): Promise<{ run: any, none: any }> => {
    const run = (await call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).json()
    const items = (await call({ method: 'GET', url: `/v1/audits/${run.id}/findings?ruleId=no-final-decider`, as: 'auditor' })).json().items
    return { run, none: items.find((f: { subject: { id: string } }) => f.subject.id === 'i-none') }
  }
  const first = await audit()
  t.strictSame(first.run.counts, { error: 5, warning: 3, info: 0 })
  const fingerprint = first.none.fingerprint as string

  const short = (await createWaiver(call, { fingerprint, reason: 'Hiring is paused', expiresAt: '2998-01-01T00:00:00Z' })).json()
  const long = (await createWaiver(call, { fingerprint, reason: 'Hiring is paused until the reorganization', expiresAt: FUTURE })).json()
  const waived = await audit()
  t.strictSame({ counts: waived.run.counts, waived: waived.run.waived, persisting: waived.run.persisting, new: waived.run.new },
    { counts: { error: 4, warning: 3, info: 0 }, waived: 1, persisting: 8, new: 0 }, 'counted as waived, not as an error; still persisting')
  t.strictSame(waived.none.waived, { waiverId: long.id, reason: 'Hiring is paused until the reorganization' }, 'the waiver that lasts longest')
  t.equal(waived.none.state, 'persisting')
  const onlyWaived = (await call({ method: 'GET', url: `/v1/audits/${waived.run.id}/findings?waived=true`, as: 'auditor' })).json().items
  t.strictSame(onlyWaived.map((f: { fingerprint: string }) => f.fingerprint), [fingerprint])
  t.equal((await call({ method: 'GET', url: `/v1/audits/${waived.run.id}/findings?waived=false`, as: 'auditor' })).json().items.length, 7)

  expire(app, long.id)
  const shorter = await audit()
  t.strictSame(shorter.none.waived, { waiverId: short.id, reason: 'Hiring is paused' }, 'once one expires, the other still holds')
  expire(app, short.id)
  const expired = await audit()
  t.strictSame({ counts: expired.run.counts, waived: expired.run.waived }, { counts: { error: 5, warning: 3, info: 0 }, waived: 0 }, 'counted again once expired')
  t.equal(expired.none.waived, null)
  t.strictSame((await call({ method: 'GET', url: `/v1/audits/${waived.run.id}/findings?waived=true`, as: 'auditor' })).json().items[0].waived,
    { waiverId: long.id, reason: 'Hiring is paused until the reorganization' }, 'an earlier run keeps its waiver marks')

  const again = (await createWaiver(call, { fingerprint, reason: 'Paused again' })).json()
  t.equal((await audit()).run.waived, 1)
  t.equal((await call({ method: 'DELETE', url: `/v1/waivers/${again.id}`, as: 'auditor' })).statusCode, 204)
  t.strictSame((await audit()).run.counts, { error: 5, warning: 3, info: 0 }, 'a withdrawn waiver waives nothing')
})
