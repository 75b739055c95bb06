// Idempotency-Key on every POST: replays, reuse with another request, requests in flight, expiry, restarts, callers.
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { defaultConfig } from '../src/config.js'
import { generateOpenApi } from '../src/openapi-document.js'
import { IDEMPOTENCY_TTL_MS } from '../src/services/idempotency.js'
import { hashCanonicalJson, requestFingerprint } from '../src/services/request-fingerprint.js'
import { ADMIN_TOKEN, assertProblem, buildTestApp, type TestApp } from './helper.js'

/** The headers a replay must repeat exactly. */
const REPLAYED = ['content-type', 'location', 'etag', 'x-revision', 'cache-control'] as const

const count = (app: FastifyInstance, table: string): number =>
  (app.runtime.db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n

const keyed = (key: string, headers: Record<string, string> = {}): Record<string, string> => ({ 'idempotency-key': key, ...headers })

/** Same status, body and replayed headers; the second marked as a replay, the first not. */
function assertReplay (t: Test, first: LightMyRequestResponse, again: LightMyRequestResponse): void {
  t.equal(again.statusCode, first.statusCode, 'same status')
  t.equal(again.body, first.body, 'same body, byte for byte')
  for (const name of REPLAYED) t.equal(again.headers[name], first.headers[name], `same ${name}`)
  t.equal(first.headers['idempotent-replayed'], undefined, 'the first answer is not a replay')
  t.equal(again.headers['idempotent-replayed'], 'true', 'the replay says so')
}

function tempDir (t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-idempotency-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A person, a domain and an initiative in it, and a second person: enough for every POST route to succeed. */
async function seed (call: TestApp['call']): Promise<void> {
  for (const payload of [{ id: 'ada', name: 'Ada', email: 'ada@example.com' }, { id: 'bob', name: 'Bob', email: 'bob@example.com' }]) {
    await call({ method: 'POST', url: '/v1/people', payload })
  }
  await call({ method: 'POST', url: '/v1/domains', payload: { id: 'pricing', name: 'Pricing' } })
  await call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'eu', title: 'EU prices', domainId: 'pricing' } })
}

t.test('a retry with the same key and body replays the first answer and writes nothing', async (t) => {
  const { app, call } = await buildTestApp(t)
  const payload = { name: 'Grace Hopper', email: 'grace@example.com', tags: ['executive'] }
  const first = await call({ method: 'POST', url: '/v1/people', headers: keyed('"8e03978e-40d5-43e8-bc93-6894a57f9324"'), payload })
  t.equal(first.statusCode, 201)
  t.match(first.headers.location, /^\/v1\/people\//)
  const people = count(app, 'people')
  const changes = count(app, 'changes')

  const again = await call({ method: 'POST', url: '/v1/people', headers: keyed('"8e03978e-40d5-43e8-bc93-6894a57f9324"'), payload })
  assertReplay(t, first, again)
  t.not(again.headers['x-request-id'], first.headers['x-request-id'], 'the replay has its own request id')

  // The fingerprint is of the JSON, not its spelling; and the quotes of the structured-field form are not part of the key.
  const reordered = await call({
    method: 'POST', url: '/v1/people', headers: keyed('8e03978e-40d5-43e8-bc93-6894a57f9324', { 'content-type': 'application/json' }),
    payload: '{ "tags": ["executive"],\n  "email": "grace@example.com", "name": "Grace Hopper" }'
  })
  assertReplay(t, first, reordered)
  t.equal(count(app, 'people'), people, 'no second person')
  t.equal(count(app, 'changes'), changes, 'no second change-log entry')

  const withoutKey = await call({ method: 'POST', url: '/v1/people', payload: { ...payload, email: 'grace2@example.com' } })
  t.equal(withoutKey.statusCode, 201, 'without the header, a POST is an ordinary POST')
  t.equal(withoutKey.headers['idempotent-replayed'], undefined)
})

t.test('every POST route honours the header, creates and the others alike', async (t) => {
  const { app, call } = await buildTestApp(t)
  await seed(call)
  const cases: Array<{ url: string, as: 'admin' | 'editor' | 'auditor' | 'reader', payload: Record<string, unknown> }> = [
    { url: '/v1/keys', as: 'admin', payload: { label: 'HR sync', role: 'reader' } },
    { url: '/v1/people', as: 'editor', payload: { name: 'Cy', email: 'cy@example.com' } },
    { url: '/v1/domains', as: 'editor', payload: { name: 'Hiring' } },
    { url: '/v1/initiatives', as: 'editor', payload: { title: 'Hire a CFO', domainId: 'pricing' } },
    { url: '/v1/assignments', as: 'editor', payload: { personId: 'ada', role: 'A', domainId: 'pricing', validFrom: '2026-01-01T00:00:00Z' } },
    { url: '/v1/delegations', as: 'editor', payload: { fromPersonId: 'ada', toPersonId: 'bob', allScopes: true } },
    { url: '/v1/influences', as: 'auditor', payload: { personId: 'bob', strength: 'high', initiativeId: 'eu' } },
    { url: '/v1/initiatives/:id/decisions', as: 'editor', payload: { decidedBy: 'ada', decidedAt: '2026-03-03T09:00:00Z', outcome: 'One price list' } },
    { url: '/v1/waivers', as: 'auditor', payload: { fingerprint: 'abc123', reason: 'Accepted until the merger', expiresAt: '2099-01-01T00:00:00Z' } },
    { url: '/v1/audits', as: 'auditor', payload: {} },
    { url: '/v1/deciders/resolve', as: 'reader', payload: { initiativeIds: ['eu'] } },
    { url: '/v1/import', as: 'editor', payload: { people: [{ id: 'dee', name: 'Dee', email: 'dee@example.com' }] } }
  ]
  const posts = app.routeAccess.filter((r) => r.method === 'POST' && r.url.startsWith('/v1/')).map((r) => r.url)
  t.same(cases.map((c) => c.url).sort(), [...new Set(posts)].sort(), 'a case for every POST route under /v1')

  for (const [i, c] of cases.entries()) {
    const url = c.url.replace(':id', 'eu')
    const first = await call({ method: 'POST', url, as: c.as, headers: keyed(`key-${i}`), payload: c.payload })
    t.ok(first.statusCode >= 200 && first.statusCode < 300, `${url}: ${first.statusCode} (${first.body.slice(0, 200)})`)
    const changes = count(app, 'changes')
    const again = await call({ method: 'POST', url, as: c.as, headers: keyed(`key-${i}`), payload: c.payload })
    t.test(url, async (t) => {
      assertReplay(t, first, again)
      t.equal(count(app, 'changes'), changes, 'the replay wrote nothing')
    })
  }
})

t.test('a new key\'s token is replayed to its caller, but the database keeps it only sealed', async (t) => {
  const { app, call } = await buildTestApp(t)
  const first = await call({ method: 'POST', url: '/v1/keys', headers: keyed('issue-hr'), payload: { label: 'HR', role: 'editor' } })
  t.equal(first.statusCode, 201)
  const { token } = first.json()
  const row = app.runtime.db.$client.prepare('SELECT body, sealed, headers FROM idempotency_keys').get() as { body: Buffer, sealed: number, headers: string }
  t.equal(row.sealed, 1, 'an answer marked no-store is sealed')
  t.notOk(row.body.includes(token), 'the token is not in the stored bytes')
  t.notOk(row.body.includes(Buffer.from(first.json().id)), 'nor the rest of the body')
  t.match(JSON.parse(row.headers), { 'cache-control': 'no-store', location: `/v1/keys/${String(first.json().id)}` })

  const again = await call({ method: 'POST', url: '/v1/keys', headers: keyed('issue-hr'), payload: { label: 'HR', role: 'editor' } })
  assertReplay(t, first, again)
  t.equal(again.json().token, token, 'the caller gets its token again')
  t.equal(count(app, 'api_keys'), 5, 'one key issued (four test keys before it)')

  // Sealed bytes that were altered are not replayed as anything: the answer is a 500, and no second key is issued.
  app.runtime.db.$client.prepare('UPDATE idempotency_keys SET body = ?').run(Buffer.from(row.body.map((b, i) => (i === row.body.length - 1 ? b ^ 1 : b))))
  assertProblem(t, await call({ method: 'POST', url: '/v1/keys', headers: keyed('issue-hr'), payload: { label: 'HR', role: 'editor' } }),
    500, 'WHODECIDES_ERR_INTERNAL')
  t.equal(count(app, 'api_keys'), 5)
})

t.test('the same key with a different request is refused with 422 and writes nothing', async (t) => {
  const { app, call } = await buildTestApp(t)
  await seed(call)
  const first = await call({ method: 'POST', url: '/v1/people', headers: keyed('k1'), payload: { name: 'Cy', email: 'cy@example.com' } })
  t.equal(first.statusCode, 201)
  const people = count(app, 'people')
  const changes = count(app, 'changes')

  const refusals = [
    { what: 'another body', url: '/v1/people', payload: { name: 'Cy', email: 'cy2@example.com' } },
    { what: 'one more field', url: '/v1/people', payload: { name: 'Cy', email: 'cy@example.com', title: 'CFO' } },
    { what: 'another route', url: '/v1/domains', payload: { name: 'Cy' } },
    { what: 'another query', url: '/v1/people?x=1', payload: { name: 'Cy', email: 'cy@example.com' } }
  ]
  for (const r of refusals) {
    const res = await call({ method: 'POST', url: r.url, headers: keyed('k1'), payload: r.payload })
    const problem = assertProblem(t, res, 422, 'WHODECIDES_ERR_IDEMPOTENCY_KEY_REUSED')
    t.same(problem.errors, [{ in: 'headers', path: '/idempotency-key', message: 'was already used for a different request' }], r.what)
  }
  t.equal(count(app, 'people'), people, 'no person written')
  t.equal(count(app, 'changes'), changes, 'no change-log entry')

  // The query is part of the request: a dry run and a real import are two requests.
  const bundle = { people: [{ id: 'dee', name: 'Dee', email: 'dee@example.com' }] }
  const dry = await call({ method: 'POST', url: '/v1/import?dryRun=true', headers: keyed('k2'), payload: bundle })
  t.equal(dry.statusCode, 200)
  assertProblem(t, await call({ method: 'POST', url: '/v1/import?dryRun=false', headers: keyed('k2'), payload: bundle }), 422, 'WHODECIDES_ERR_IDEMPOTENCY_KEY_REUSED')
  t.equal(count(app, 'people'), people, 'the dry run wrote nothing, and the refused import neither')
})

t.test('a retry while the first request is in flight gets 409, then the first answer', async (t) => {
  t.test('a claim left in progress, written directly', async (t) => {
    const { app, call, tokens } = await buildTestApp(t)
    const payload = { name: 'Cy', email: 'cy@example.com' }
    const keyId = (app.runtime.db.$client.prepare("SELECT id FROM api_keys WHERE token_hash = ?")
      .get(createHash('sha256').update(tokens.admin).digest('hex')) as { id: string }).id
    const at = new Date().toISOString()
    app.runtime.db.$client.prepare(`INSERT INTO idempotency_keys (key_id, idempotency_key, fingerprint, state, sealed, created_at, expires_at)
      VALUES (?, 'busy', ?, 'in_progress', 0, ?, ?)`)
      .run(keyId, requestFingerprint({ method: 'POST', path: '/v1/people', query: {}, body: payload }), at, new Date(Date.now() + IDEMPOTENCY_TTL_MS).toISOString())
    const res = await call({ method: 'POST', url: '/v1/people', headers: keyed('busy'), payload })
    assertProblem(t, res, 409, 'WHODECIDES_ERR_IDEMPOTENCY_KEY_IN_PROGRESS')
    t.equal(res.headers['retry-after'], '1')
    t.equal(count(app, 'people'), 0, 'nothing written')
    assertProblem(t, await call({ method: 'POST', url: '/v1/people', headers: keyed('busy'), payload: { ...payload, title: 'x' } }),
      422, 'WHODECIDES_ERR_IDEMPOTENCY_KEY_REUSED')
  })

  t.test('two audits at once: the second arrives while the first runs in the audit process', async (t) => {
    // A file database, so that the audit runs in the audit process: a real wait between the claim and the answer.
    const { app, call } = await buildTestApp(t, { dbPath: join(tempDir(t), 'registry.db') })
    await seed(call)
    const audit = async (): Promise<LightMyRequestResponse> =>
      await call({ method: 'POST', url: '/v1/audits', as: 'auditor', headers: keyed('audit-1'), payload: { scope: null } })
    const running = audit()
    // Wait, turn by turn of the event loop (never by the clock), until the first request holds its claim.
    const claimed = (): boolean => app.runtime.db.$client.prepare("SELECT 1 FROM idempotency_keys WHERE state = 'in_progress'").get() !== undefined
    for (let turns = 0; !claimed() && turns < 100_000; turns++) await new Promise((resolve) => setImmediate(resolve))
    t.ok(claimed(), 'the first request claimed the key')
    const second = await audit()
    assertProblem(t, second, 409, 'WHODECIDES_ERR_IDEMPOTENCY_KEY_IN_PROGRESS')
    const first = await running
    t.equal(first.statusCode, 201)
    assertReplay(t, first, await audit())
    t.equal(count(app, 'audit_runs'), 1, 'one audit run')
  })
})

/** 20 answers to the same request: one record, one written answer, 19 replays of it. */
function assertOneWrite (t: Test, app: FastifyInstance, answers: Array<{ status: number, body: string, headers: Record<string, string | undefined> }>): void {
  t.equal(count(app, 'people'), 1, 'exactly one record')
  t.equal(count(app, 'changes'), 1 + 4, 'exactly one change-log entry (besides the four test keys)')
  const [one] = answers
  for (const a of answers) {
    t.equal(a.status, 201)
    t.equal(a.body, one?.body)
    for (const name of REPLAYED) t.equal(a.headers[name], one?.headers[name], name)
  }
  t.equal(answers.filter((a) => a.headers['idempotent-replayed'] === 'true').length, answers.length - 1, 'all but one are replays')
}

t.test('20 concurrent POSTs with one key and one body create one record and get the same answer', async (t) => {
  const payload = { name: 'Cy', email: 'cy@example.com' }

  t.test('through app.inject', async (t) => {
    const { app, call } = await buildTestApp(t)
    const answers = await Promise.all(Array.from({ length: 20 }, async () =>
      await call({ method: 'POST', url: '/v1/people', headers: keyed('twenty'), payload })))
    assertOneWrite(t, app, answers.map((a) => ({ status: a.statusCode, body: a.body, headers: a.headers as Record<string, string | undefined> })))
  })

  t.test('over real HTTP, one connection each', async (t) => {
    const { app } = await buildTestApp(t, { dbPath: join(tempDir(t), 'registry.db') })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo
    const answers = await Promise.all(Array.from({ length: 20 }, async () => {
      const res = await fetch(`http://127.0.0.1:${port}/v1/people`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': 'twenty' },
        body: JSON.stringify(payload)
      })
      return { status: res.status, body: await res.text(), headers: Object.fromEntries(res.headers) }
    }))
    assertOneWrite(t, app, answers)
  })
})

t.test('keys are per caller: two callers with the same key do not collide', async (t) => {
  const { app, call } = await buildTestApp(t)
  const payload = { name: 'Cy', email: 'cy@example.com' }
  const mine = await call({ method: 'POST', url: '/v1/people', as: 'admin', headers: keyed('shared'), payload })
  const theirs = await call({ method: 'POST', url: '/v1/people', as: 'editor', headers: keyed('shared'), payload: { name: 'Di', email: 'di@example.com' } })
  t.equal(mine.statusCode, 201)
  t.equal(theirs.statusCode, 201, 'another caller\'s different body is not a reuse')
  t.not(theirs.json().id, mine.json().id)
  t.equal(theirs.headers['idempotent-replayed'], undefined)
  const sameBody = await call({ method: 'POST', url: '/v1/people', as: 'editor', headers: keyed('other'), payload })
  assertProblem(t, sameBody, 409, 'WHODECIDES_ERR_CONFLICT') // the email is taken: it ran, it was not replayed to a stranger
  t.equal(count(app, 'people'), 2)
  assertReplay(t, mine, await call({ method: 'POST', url: '/v1/people', as: 'admin', headers: keyed('shared'), payload }))
})

t.test('a key holds for 24 hours; after that the same key is a new request, and old keys are purged', async (t) => {
  const { app, call } = await buildTestApp(t)
  const payload = { name: 'Cy', email: 'cy@example.com' }
  const first = await call({ method: 'POST', url: '/v1/people', headers: keyed('day'), payload })
  t.equal(first.statusCode, 201)
  /** Moves the key's record back in time, as if it had been written `hours` ago. */
  const age = (key: string, hours: number): void => {
    const created = Date.now() - hours * 3600_000
    app.runtime.db.$client.prepare('UPDATE idempotency_keys SET created_at = ?, expires_at = ? WHERE idempotency_key = ?')
      .run(new Date(created).toISOString(), new Date(created + IDEMPOTENCY_TTL_MS).toISOString(), key)
  }

  age('day', 23.9)
  assertReplay(t, first, await call({ method: 'POST', url: '/v1/people', headers: keyed('day'), payload }))

  age('day', 24.1)
  const other = { name: 'Di', email: 'di@example.com' }
  const fresh = await call({ method: 'POST', url: '/v1/people', headers: keyed('day'), payload: other })
  t.equal(fresh.statusCode, 201, 'an expired key is not a reuse: the new request runs')
  t.equal(fresh.headers['idempotent-replayed'], undefined)
  t.equal(count(app, 'people'), 2)
  t.equal(count(app, 'idempotency_keys'), 1, 'the expired record was replaced')

  // Expired records of other keys go on the next claim (these hold 422 answers: no such initiative).
  for (const key of ['old-1', 'old-2']) {
    assertProblem(t, await call({ method: 'POST', url: '/v1/deciders/resolve', headers: keyed(key), payload: { initiativeIds: ['none'], strict: true } }),
      422, 'WHODECIDES_ERR_UNKNOWN_REFERENCE')
  }
  age('old-1', 30)
  age('old-2', 30)
  t.equal(count(app, 'idempotency_keys'), 3)
  await call({ method: 'POST', url: '/v1/deciders/resolve', headers: keyed('new'), payload: { initiativeIds: ['none'] } })
  t.same((app.runtime.db.$client.prepare('SELECT idempotency_key AS k FROM idempotency_keys ORDER BY k').all() as Array<{ k: string }>).map((r) => r.k),
    ['day', 'new'], 'the expired ones are gone')
})

t.test('a malformed key is refused with 400 naming the header, and nothing is written', async (t) => {
  const { app, call } = await buildTestApp(t)
  const cases: Array<[string, string | string[], string]> = [
    ['empty', '', 'must not be empty'],
    ['an empty string', '""', 'must not be empty'],
    ['too long', 'k'.repeat(256), 'must be at most 255 characters long'],
    ['too long, quoted', `"${'k'.repeat(256)}"`, 'must be at most 255 characters long'],
    ['a space in a bare key', 'two words', 'must be printable ASCII characters without spaces, or one double-quoted string (send the header once)'],
    ['a control character', 'key\u0001', 'must be printable ASCII characters without spaces, or one double-quoted string (send the header once)'],
    ['an unterminated string', '"open', 'must be printable ASCII characters without spaces, or one double-quoted string (send the header once)'],
    ['a bad escape', '"a\\b"', 'must be printable ASCII characters without spaces, or one double-quoted string (send the header once)'],
    ['twice', ['one', 'two'], 'must be sent once']
  ]
  for (const [what, value, message] of cases) {
    const res = await call({ method: 'POST', url: '/v1/people', headers: { 'idempotency-key': value as string }, payload: { name: 'Cy', email: 'cy@example.com' } })
    t.test(what, async (t) => {
      const problem = assertProblem(t, res, 400, 'WHODECIDES_ERR_VALIDATION')
      if (Array.isArray(value)) {
        // The header parser may join two fields into one value ("one, two"), which the check then refuses for its space.
        t.match(problem.errors, [{ in: 'headers', path: '/idempotency-key' }])
      } else {
        t.same(problem.errors, [{ in: 'headers', path: '/idempotency-key', message }])
      }
      t.match(problem.detail, /^idempotency-key: /)
    })
  }
  t.equal(count(app, 'people'), 0)
  t.equal(count(app, 'idempotency_keys'), 0)
  const longest = await call({ method: 'POST', url: '/v1/people', headers: keyed(`"${'k'.repeat(254)}\\""`), payload: { name: 'Cy', email: 'cy@example.com' } })
  t.equal(longest.statusCode, 201, '255 characters, one of them escaped, is a valid key')
})

t.test('what is stored: handler answers (2xx and 4xx); not refusals before the handler, and not 5xx', async (t) => {
  const { app, call } = await buildTestApp(t)
  await seed(call)

  const invalid = await call({ method: 'POST', url: '/v1/people', headers: keyed('fix-me'), payload: { name: 'Cy' } })
  assertProblem(t, invalid, 400, 'WHODECIDES_ERR_VALIDATION')
  const fixed = await call({ method: 'POST', url: '/v1/people', headers: keyed('fix-me'), payload: { name: 'Cy', email: 'cy@example.com' } })
  t.equal(fixed.statusCode, 201, 'a request refused by validation never took the key: the corrected one runs')

  const forbidden = await call({ method: 'POST', url: '/v1/people', as: 'reader', headers: keyed('role'), payload: { name: 'Di', email: 'di@example.com' } })
  assertProblem(t, forbidden, 403, 'WHODECIDES_ERR_FORBIDDEN')
  t.equal((await call({ method: 'POST', url: '/v1/people', as: 'editor', headers: keyed('role'), payload: { name: 'Di', email: 'di@example.com' } })).statusCode, 201)

  // A 4xx from the handler is the operation's outcome: replayed, even once the missing record exists.
  const decision = { decidedBy: 'ada', decidedAt: '2026-03-03T09:00:00Z', outcome: 'Go' }
  const missing = await call({ method: 'POST', url: '/v1/initiatives/later/decisions', headers: keyed('too-soon'), payload: decision })
  assertProblem(t, missing, 404, 'WHODECIDES_ERR_NOT_FOUND')
  await call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'later', title: 'Later' } })
  assertReplay(t, missing, await call({ method: 'POST', url: '/v1/initiatives/later/decisions', headers: keyed('too-soon'), payload: decision }))
  t.equal(count(app, 'decisions'), 0)

  // A 5xx is not: the failed request wrote nothing, so the key is given back and the retry runs.
  const waiver = { fingerprint: 'abc', reason: 'Accepted', expiresAt: '2099-01-01T00:00:00Z' }
  app.runtime.db.$client.exec('ALTER TABLE waivers RENAME TO waivers_elsewhere')
  const failed = await call({ method: 'POST', url: '/v1/waivers', as: 'auditor', headers: keyed('flaky'), payload: waiver })
  assertProblem(t, failed, 500, 'WHODECIDES_ERR_INTERNAL')
  t.equal(count(app, 'idempotency_keys WHERE idempotency_key = \'flaky\''), 0, 'no record of the failed attempt')
  app.runtime.db.$client.exec('ALTER TABLE waivers_elsewhere RENAME TO waivers')
  const retried = await call({ method: 'POST', url: '/v1/waivers', as: 'auditor', headers: keyed('flaky'), payload: waiver })
  t.equal(retried.statusCode, 201, 'the retry ran')
  t.equal(retried.headers['idempotent-replayed'], undefined)
  assertReplay(t, retried, await call({ method: 'POST', url: '/v1/waivers', as: 'auditor', headers: keyed('flaky'), payload: waiver }))
})

t.test('an answer that cannot be stored still goes out, and its key is free again', async (t) => {
  const { app, call } = await buildTestApp(t)
  app.runtime.db.$client.exec(`CREATE TRIGGER no_room BEFORE UPDATE ON idempotency_keys BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`)
  const payload = { name: 'Cy', email: 'cy@example.com' }
  const first = await call({ method: 'POST', url: '/v1/people', headers: keyed('unstored'), payload })
  t.equal(first.statusCode, 201, 'the write happened and is answered')
  t.equal(count(app, 'idempotency_keys'), 0, 'no claim left behind to answer 409 for a day')
  app.runtime.db.$client.exec('DROP TRIGGER no_room')
  // Without a stored answer the retry runs again: here it meets the record the first one wrote.
  assertProblem(t, await call({ method: 'POST', url: '/v1/people', headers: keyed('unstored'), payload }), 409, 'WHODECIDES_ERR_CONFLICT')
  t.equal(count(app, 'people'), 1)
})

t.test('a replay survives a restart, and claims left in flight by a stopped process are released', async (t) => {
  const dbPath = join(tempDir(t), 'registry.db')
  const config = { ...defaultConfig, dbPath, bootstrapKey: ADMIN_TOKEN, logLevel: 'silent' as const, prettyLogs: false }
  const request = { method: 'POST' as const, url: '/v1/people', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'idempotency-key': 'restart' }, payload: { name: 'Cy', email: 'cy@example.com' } }

  const before = await buildApp(config)
  const first = await before.inject(request)
  t.equal(first.statusCode, 201)
  // As if a request had been in flight when the process died.
  before.runtime.db.$client.prepare(`INSERT INTO idempotency_keys (key_id, idempotency_key, fingerprint, state, sealed, created_at, expires_at)
    SELECT key_id, 'in-flight', fingerprint, 'in_progress', 0, created_at, expires_at FROM idempotency_keys`).run()
  await before.close()

  const after = await buildApp(config)
  t.teardown(() => after.close())
  assertReplay(t, first, await after.inject(request))
  t.equal(count(after, 'people'), 1)
  t.equal(count(after, "idempotency_keys WHERE state = 'in_progress'"), 0, 'the claim of the dead process is gone')
  const inFlight = await after.inject({ ...request, headers: { ...request.headers, 'idempotency-key': 'in-flight' } })
  assertProblem(t, inFlight, 409, 'WHODECIDES_ERR_CONFLICT') // it runs again (the email is taken), rather than 409 in progress for a day
})

t.test('the OpenAPI document shows the header, 409 and 422 on every POST', async (t) => {
  const document = JSON.parse(await generateOpenApi()) as { paths: Record<string, Record<string, any>> }
  const posts = Object.entries(document.paths).flatMap(([path, item]) => item.post === undefined ? [] : [{ path, op: item.post }])
  t.ok(posts.length >= 12)
  for (const { path, op } of posts) {
    const header = (op.parameters ?? []).find((p: any) => p.in === 'header' && p.name === 'idempotency-key')
    t.match(header, { required: false, schema: { type: 'string', maxLength: 512 } }, `${path}: the header`)
    t.ok(op.responses['409'] !== undefined && op.responses['422'] !== undefined, `${path}: 409 and 422`)
  }
  const getPeople = document.paths['/v1/people']?.get
  t.notOk((getPeople?.parameters ?? []).some((p: any) => p.name === 'idempotency-key'), 'not on reads')
})

t.test('the fingerprint: key order does not matter, values do, and depth costs no stack', async (t) => {
  const parts = { method: 'POST', path: '/v1/people', query: {} }
  t.equal(requestFingerprint({ ...parts, body: { a: 1, b: [1, { c: null, d: 'x' }] } }), requestFingerprint({ ...parts, body: { b: [1, { d: 'x', c: null }], a: 1 } }))
  t.not(requestFingerprint({ ...parts, body: { a: 1 } }), requestFingerprint({ ...parts, body: { a: '1' } }))
  t.not(requestFingerprint({ ...parts, body: [1, 2] }), requestFingerprint({ ...parts, body: [2, 1] }))
  t.not(requestFingerprint({ ...parts, body: { a: 1 } }), requestFingerprint({ ...parts, method: 'PUT', body: { a: 1 } }))
  t.not(requestFingerprint({ ...parts, body: null }), requestFingerprint({ ...parts, query: { dryRun: true }, body: null }))

  // The canonical form is JSON itself, with sorted keys.
  const seen: string[] = []
  hashCanonicalJson({ update: (s: string) => { seen.push(s) } } as any, { z: [true, null, 'é"'], a: { y: 1.5, b: {} } })
  t.equal(seen.join(''), '{"a":{"b":{},"y":1.5},"z":[true,null,"é\\""]}')

  const depth = 200_000
  const deep = JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown
  t.match(requestFingerprint({ ...parts, body: deep }), /^[0-9a-f]{64}$/, 'a body nested 200,000 deep is hashed without recursion')
})
