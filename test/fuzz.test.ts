// OpenAPI-driven fuzzing: seeded valid and mutated requests for every operation of openapi/openapi.json through
// app.inject. FUZZ_SEED and FUZZ_RUNS change the seed and the number of requests (default 10,000).
import type { LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { Checker } from './fuzz/checks.js'
import { Rng, seedFrom } from './fuzz/prng.js'
import type { Draft } from './fuzz/request.js'
import { Fuzzer } from './fuzz/run.js'
import { seedFuzzRegistry } from './fuzz/seed.js'
import { loadDocument, operationsOf, type Operation } from './fuzz/spec.js'
import { isSimplePattern, samplePattern } from './fuzz/values.js'
import { buildTestApp } from './helper.js'

const seedText = process.env.FUZZ_SEED ?? '20261127'
const seed = seedFrom(seedText)
const runs = Number(process.env.FUZZ_RUNS ?? 10_000)
if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be a positive integer, got "${process.env.FUZZ_RUNS}"`)

t.test('the checks catch what they are for', async (t) => {
  const operations = operationsOf(loadDocument())
  const checker = new Checker(operations)
  const op = (id: string): Operation => operations.find((o) => o.id === id)!
  const answer = (statusCode: number, type: string, body: unknown, headers: Record<string, string> = {}): LightMyRequestResponse => {
    const text = typeof body === 'string' ? body : JSON.stringify(body)
    return { statusCode, headers: { 'content-type': type, ...headers }, body: text, rawPayload: Buffer.from(text) } as unknown as LightMyRequestResponse
  }
  const draft = (o: Operation, method = o.method): Draft => ({ op: o, method, params: {}, rawParams: {}, query: [], rawQuery: '', headers: {}, auth: { kind: 'none' }, mutations: [] })
  const problem = (status: number, code: string) => ({ type: 'urn:x', title: 'x', status, detail: 'x', code })
  const person = { id: 'ada', name: 'Ada', email: 'ada@example.com', title: null, status: 'active', statusSince: null, tags: [], stakePercent: null, managerId: null, externalId: null, version: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' }
  const get = op('getPerson')
  const cases: [string, Draft, Operation | undefined, LightMyRequestResponse, boolean, string[]][] = [
    ['a valid record', draft(get), get, answer(200, 'application/json; charset=utf-8', person, { etag: '"1"' }), false, []],
    ['a valid problem', draft(get), get, answer(404, 'application/problem+json; charset=utf-8', problem(404, 'WHODECIDES_ERR_NOT_FOUND')), false, []],
    ['a 5xx', draft(get), get, answer(500, 'application/problem+json', problem(500, 'WHODECIDES_ERR_INTERNAL')), false, ['no 5xx']],
    ['Fastify\'s own error JSON', draft(get), get, answer(400, 'application/json', { statusCode: 400, code: 'FST_ERR_BAD_URL', error: 'Bad Request', message: 'x' }), false,
      ['errors are problem details', 'problem status equals HTTP status', 'errors are problem details', 'problem code is in the catalogue']],
    ['a problem whose status differs', draft(get), get, answer(404, 'application/problem+json', problem(400, 'WHODECIDES_ERR_VALIDATION')), false,
      ['problem status equals HTTP status', 'problem code is in the catalogue']],
    ['a record without a required field', draft(get), get, answer(200, 'application/json', { ...person, email: undefined }), false, ['2xx bodies follow the response schema']],
    ['a time that is not RFC 3339', draft(get), get, answer(200, 'application/json', { ...person, createdAt: 'yesterday' }), false, ['2xx bodies follow the response schema']],
    ['a 204 with a body', draft(op('deletePerson')), op('deletePerson'), answer(204, 'application/json', person), false, ['2xx bodies follow the response schema']],
    ['an undocumented 2xx status', draft(get), get, answer(201, 'application/json', person), false, ['2xx answers are documented']],
    ['a 2xx off the document', draft(get, 'PUT'), undefined, answer(200, 'application/json', person), false, ['only documented operations succeed']],
    ['an ETag of another version', draft(get), get, answer(200, 'application/json', person, { etag: '"2"' }), false, ['the ETag names the version in the body']],
    ['a problem naming another request', draft(get), get, answer(404, 'application/problem+json', { ...problem(404, 'WHODECIDES_ERR_NOT_FOUND'), requestId: 'a' }, { 'x-request-id': 'b' }), false,
      ['errors are problem details']],
    ['a read that wrote', draft(get), get, answer(200, 'application/json', person), true, ['a refusal or a read writes nothing']],
    ['a refusal that wrote', draft(op('createPerson')), op('createPerson'), answer(409, 'application/problem+json', problem(409, 'WHODECIDES_ERR_CONFLICT')), true, ['a refusal or a read writes nothing']]
  ]
  for (const [what, d, route, res, wrote, expected] of cases) {
    t.same(checker.check(d, route, res, wrote).map((f) => f.check), expected, what)
  }
})

t.test('the pattern sampler makes strings that match every simple pattern of the document', async (t) => {
  const patterns = new Set<string>()
  JSON.stringify(loadDocument(), (key, value: unknown) => {
    if (key === 'pattern' && typeof value === 'string' && isSimplePattern(value)) patterns.add(value)
    return value
  })
  t.ok(patterns.size > 0, `${patterns.size} patterns`)
  const rng = new Rng(7)
  for (const pattern of patterns) {
    const re = new RegExp(pattern, 'u')
    const misses = Array.from({ length: 200 }, () => samplePattern(rng, pattern)).filter((s) => !re.test(s))
    t.same(misses, [], pattern)
  }
})

t.test(`fuzz: FUZZ_SEED=${seedText} FUZZ_RUNS=${runs}`, async (t) => {
  const operations = operationsOf(loadDocument())
  // The fuzzer sends bogus keys by the hundred and bodies of a megabyte: the failed-authentication limit and the
  // overload guard would soon answer everything with 429 or 503 and the run would test nothing else. They have
  // their own tests; here they are set out of reach.
  const testApp = await buildTestApp(t, { authFailureLimit: 1e9, maxEventLoopDelayMs: 0 })
  await seedFuzzRegistry(t, testApp)
  const fuzzer = new Fuzzer(testApp, operations, seed)
  // Should the run hang or time out, name the request it was waiting for.
  t.teardown(() => { if (fuzzer.inFlight !== undefined) console.error(`fuzz: still waiting for the answer to ${fuzzer.inFlight}`) })
  const started = performance.now()

  await fuzzer.learnSeed()
  const neverSucceeded = await fuzzer.tour(30)
  await fuzzer.random(runs)
  const seconds = (performance.now() - started) / 1000

  t.comment(`fuzz seed ${seedText} (${seed}): ${fuzzer.sent} requests (${fuzzer.valid} valid, ${fuzzer.sent - fuzzer.valid} mutated) over ${operations.length} operations in ${seconds.toFixed(1)} s`)
  const statuses = (counts: Map<number, number>): string => [...counts].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ')
  for (const [id, s] of fuzzer.stats) t.comment(`  ${id}: ${s.sent} sent, ${s.succeeded} 2xx; ${statuses(s.statuses)}`)
  for (const [name, counts] of [...fuzzer.byMutation].sort(([a], [b]) => a.localeCompare(b))) t.comment(`  mutation ${name}: ${statuses(counts)}`)
  for (const slow of fuzzer.slowest) t.comment(`  slow: ${slow.ms.toFixed(0)} ms for #${slow.index + 1} (${slow.status}) ${slow.request}`)
  for (const [id, statuses] of fuzzer.checker.undeclared) t.comment(`  ${id} answered statuses its documentation does not list: ${[...statuses].join(', ')}`)

  t.ok(fuzzer.sent >= runs, `sent at least ${runs} requests`)
  t.same(operations.filter((op) => fuzzer.stats.get(op.id)!.sent === 0).map((op) => op.id), [], 'every operation of the document was exercised')
  t.same(neverSucceeded, [], 'every operation succeeded at least once with a valid request')

  for (const failure of fuzzer.failures) {
    t.fail(`${failure.check}: ${failure.detail}`, {
      diagnostic: true,
      request: failure.request,
      replay: `FUZZ_SEED=${seedText} FUZZ_RUNS=${failure.index + 1} npx tap --disable-coverage test/fuzz.test.ts (request #${failure.index + 1}; the exact request is above)`
    })
  }
  t.same(Object.fromEntries(fuzzer.failureCounts), {}, 'no request broke a check')

  const sqlite = testApp.app.runtime.db.$client
  t.same(sqlite.pragma('integrity_check', { simple: true }), 'ok', 'PRAGMA integrity_check is ok')
  t.same(sqlite.pragma('foreign_key_check'), [], 'PRAGMA foreign_key_check finds nothing')
})
