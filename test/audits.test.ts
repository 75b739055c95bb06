// Audit runs: totals, new/persisting/resolved against the previous run of a scope, scopes, findings filters and paging.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { runRules } from '../src/audit/engine.js'
import { findingRow, type FindingRow } from '../src/audit/finding-row.js'
import { auditFindings, auditRows, loadRegistry, refreshRegistry } from '../src/audit/job.js'
import { AuditProcess } from '../src/audit/audit-process.js'
import type { AuditRequest } from '../src/audit/audit-process-main.js'
import type { AuditJob } from '../src/audit/job.js'
import type { AuditRun } from '../src/schemas/audits.js'
import { canonicalScope } from '../src/services/audits.js'
import type { Written } from '../src/store/records.js'
import { createReadModel } from '../src/registry/read-model.js'
import { loadSnapshot } from '../src/registry/snapshot.js'
import { ruleConfigs } from '../src/services/rule-settings.js'
import { assertProblem, buildTestApp, type TestApp } from './helper.js'
import { AT, importFixture, keysOf } from './audit-fixture.js'
import { auditProcesses, SCHED_IDLE, statFields } from './audit-processes.js'
import { changeAt } from './seed-registry.js'

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

/** What the fixture holds at AT, by rule and subject. */
const FULL = [
  'absent-decider i-absent',
  'decided-by-non-decider dc-gus-two',
  'delegation-to-inactive dl-dee-hal',
  'multiple-final-deciders i-two',
  'no-final-decider i-none',
  'retired-influence cyd',
  'shareholder-overreach eve',
  'unanimity-trap i-unan'
]

async function runAudit (t: Test, call: TestApp['call'], payload: Record<string, unknown> = { at: AT }): Promise<any> {
  const res = await call({ method: 'POST', url: '/v1/audits', payload, as: 'auditor' })
  t.equal(res.statusCode, 201, `audit run (${res.body.slice(0, 300)})`)
  return res.json()
}

/** Every finding of a run, through every page. */
async function allFindings (call: TestApp['call'], runId: string, query = ''): Promise<any[]> {
  const found: any[] = []
  let url = `/v1/audits/${runId}/findings?limit=500${query}`
  for (;;) {
    const page = (await call({ method: 'GET', url, as: 'auditor' })).json()
    found.push(...page.items)
    if (page.nextCursor === null) return found
    url = `/v1/audits/${runId}/findings?limit=500${query}&cursor=${page.nextCursor}`
  }
}

const byState = (findings: any[], state: string): string[] => keysOf(findings.filter((f) => f.state === state))

/** A finding as the API lists it, back in the shape of the row it was stored from. */
const asRow = (f: any): FindingRow => [f.fingerprint, f.ruleId, f.severity, f.subject.kind, f.subject.id, JSON.stringify(f.related), f.message, f.data === null ? null : JSON.stringify(f.data),
  f.remediation]

let runs = 0
/** What the server hands the audit process for the job: the run to store, and who asked. */
const request = (job: AuditJob): AuditRequest => {
  const { scope, key } = canonicalScope(job.scope)
  return { job, run: { id: `run-${++runs}`, scopeKey: key, scope, at: job.at, startedAt: AT }, actor: { keyId: null, label: 'audits test' } }
}


t.test('a run over a registry with known problems: its totals, findings, headers and change-log entry', async (t) => {
  const { app, call } = await buildTestApp(t)
  await importFixture(t, call)
  const res = await call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })
  t.equal(res.statusCode, 201)
  const run = res.json()
  t.equal(res.headers.location, `/v1/audits/${run.id}`)
  t.match(run, { scope: null, at: AT, startedAt: ISO, finishedAt: ISO })
  t.ok(run.finishedAt >= run.startedAt, 'finished after it started')
  t.strictSame({ counts: run.counts, new: run.new, persisting: run.persisting, resolved: run.resolved, waived: run.waived },
    { counts: { error: 5, warning: 3, info: 0 }, new: 8, persisting: 0, resolved: 0, waived: 0 })
  t.strictSame(changeAt(app, Number(res.headers['x-revision'])), { action: 'run', entity: 'audits', entityId: run.id, before: null, after: run })

  const got = await call({ method: 'GET', url: `/v1/audits/${run.id}`, as: 'auditor' })
  t.equal(got.statusCode, 200)
  t.strictSame(got.json(), run)

  const findings = await allFindings(call, run.id)
  t.strictSame(keysOf(findings), FULL)
  t.strictSame(findings.map((f) => f.severity), ['error', 'error', 'error', 'error', 'error', 'warning', 'warning', 'warning'], 'errors first')
  for (const f of findings) {
    t.match(f, { fingerprint: /^[0-9a-f]{32}$/, state: 'new', waived: null, message: /\S/ })
  }
  const two = findings.find((f) => f.ruleId === 'multiple-final-deciders')
  t.strictSame(two.subject, { kind: 'initiative', id: 'i-two' })
  t.strictSame(two.related, [{ kind: 'person', id: 'ada' }, { kind: 'person', id: 'bob' }])
  t.equal(new Set(findings.map((f) => f.fingerprint)).size, findings.length, 'fingerprints are distinct')
})

t.test('running an audit is for auditors: editors and readers get 403, and may read the runs', async (t) => {
  const { call } = await buildTestApp(t)
  for (const as of ['editor', 'reader'] as const) {
    assertProblem(t, await call({ method: 'POST', url: '/v1/audits', payload: {}, as }), 403, 'WHODECIDES_ERR_FORBIDDEN')
    t.equal((await call({ method: 'GET', url: '/v1/audits', as })).statusCode, 200, `a ${as} reads the runs`)
  }
  t.equal((await call({ method: 'POST', url: '/v1/audits', payload: {}, as: 'admin' })).statusCode, 201, 'admin may run one')
})

t.test('a second run says exactly what is new, what persists and what was resolved', async (t) => {
  const { call } = await buildTestApp(t)
  await importFixture(t, call)
  const first = await runAudit(t, call)
  const before = await allFindings(call, first.id)

  // Fix one problem (i-two becomes a pool: any one of ada and bob may decide) and add another (i-new has no decider).
  t.equal((await call({ method: 'PATCH', url: '/v1/initiatives/i-two', payload: { decisionRule: 'pool' }, as: 'editor' })).statusCode, 200)
  t.equal((await call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'i-new', title: 'New', domainId: 'hiring', status: 'active' }, as: 'editor' })).statusCode, 201)

  const second = await runAudit(t, call)
  const after = await allFindings(call, second.id)
  const persisting = FULL.filter((k) => k !== 'multiple-final-deciders i-two')
  t.strictSame(byState(after, 'new'), ['no-final-decider i-new', 'no-responsible i-new'])
  t.strictSame(byState(after, 'persisting'), persisting)
  t.strictSame(byState(after, 'resolved'), ['multiple-final-deciders i-two'])
  t.strictSame({ counts: second.counts, new: second.new, persisting: second.persisting, resolved: second.resolved, waived: second.waived },
    { counts: { error: 5, warning: 4, info: 0 }, new: 2, persisting: 7, resolved: 1, waived: 0 }, 'a resolved finding does not count')
  const resolved = after.find((f) => f.state === 'resolved')
  t.strictSame({ ...resolved, state: 'new' }, before.find((f) => f.ruleId === 'multiple-final-deciders'), 'a resolved finding is the previous one, as it was')
  t.same(after.filter((f) => f.state === 'persisting').map((f) => f.fingerprint).sort(),
    before.filter((f) => f.ruleId !== 'multiple-final-deciders').map((f) => f.fingerprint).sort(), 'persisting findings keep their fingerprints')

  const third = await runAudit(t, call)
  t.strictSame({ new: third.new, persisting: third.persisting, resolved: third.resolved }, { new: 0, persisting: 9, resolved: 0 },
    'a finding resolved once is not resolved again')
})

t.test('scopes: a domain, some initiatives; each scope compares with its own previous run', async (t) => {
  const { call } = await buildTestApp(t)
  await importFixture(t, call)
  await runAudit(t, call)

  const pricing = await runAudit(t, call, { scope: { domainId: 'pricing' }, at: AT })
  t.strictSame(pricing.scope, { domainId: 'pricing' })
  t.strictSame(keysOf(await allFindings(call, pricing.id)),
    ['decided-by-non-decider dc-gus-two', 'multiple-final-deciders i-two', 'retired-influence cyd', 'shareholder-overreach eve'])
  t.equal(pricing.new, 4, 'the first run of a scope finds everything new, whatever the runs of other scopes found')
  t.strictSame(keysOf(await allFindings(call, (await runAudit(t, call, { scope: { domainId: 'commercial' }, at: AT })).id)),
    ['decided-by-non-decider dc-gus-two', 'multiple-final-deciders i-two', 'retired-influence cyd', 'shareholder-overreach eve', 'unanimity-trap i-unan'],
    'a domain scope takes in its sub-domains')

  const some = await runAudit(t, call, { scope: { initiativeIds: ['i-none', 'i-absent', 'i-none'] }, at: AT })
  t.strictSame(some.scope, { initiativeIds: ['i-absent', 'i-none'] }, 'ids sorted, each once')
  t.strictSame(keysOf(await allFindings(call, some.id)), ['absent-decider i-absent', 'no-final-decider i-none'])
  t.equal(some.new, 2)
  const again = await runAudit(t, call, { scope: { initiativeIds: ['i-absent', 'i-none'] }, at: AT })
  t.strictSame({ new: again.new, persisting: again.persisting }, { new: 0, persisting: 2 }, 'the same ids in another order are the same scope')
  t.equal((await runAudit(t, call, { scope: null, at: AT })).persisting, 8, 'scope null is the whole registry, compared with the first run')
})

t.test('scope ids that do not exist: 422 naming each; malformed scopes: 400; nothing stored', async (t) => {
  const { call } = await buildTestApp(t)
  await importFixture(t, call)
  let body = assertProblem(t, await call({ method: 'POST', url: '/v1/audits', payload: { scope: { domainId: 'nowhere' } }, as: 'auditor' }),
    422, 'WHODECIDES_ERR_UNKNOWN_REFERENCE')
  t.strictSame(body.errors, [{ in: 'body', path: '/scope/domainId', message: 'no domains record with id "nowhere"' }])
  body = assertProblem(t, await call({ method: 'POST', url: '/v1/audits', payload: { scope: { initiativeIds: ['i-none', 'nope', 'nah'] } }, as: 'auditor' }),
    422, 'WHODECIDES_ERR_UNKNOWN_REFERENCE')
  t.strictSame(body.errors.map((e: { path: string }) => e.path), ['/scope/initiativeIds/1', '/scope/initiativeIds/2'])
  t.match(body.detail, /nope.*nah/)
  for (const payload of [
    { scope: { initiativeIds: [] } },
    { scope: { initiativeIds: Array.from({ length: 501 }, (_, i) => `i-${i}`) } },
    { scope: { domainId: 'pricing', initiativeIds: ['i-none'] } },
    { scope: { domainId: 'Not An Id' } },
    { at: 'yesterday' },
    { everything: true }
  ]) {
    assertProblem(t, await call({ method: 'POST', url: '/v1/audits', payload, as: 'auditor' }), 400, 'WHODECIDES_ERR_VALIDATION')
  }
  t.strictSame((await call({ method: 'GET', url: '/v1/audits', as: 'auditor' })).json(), { items: [], nextCursor: null })
})

t.test('findings: filters by severity, rule, state and waiver; pages that add up to the whole run', async (t) => {
  const { call } = await buildTestApp(t)
  await importFixture(t, call)
  await runAudit(t, call)
  t.equal((await call({ method: 'PATCH', url: '/v1/initiatives/i-two', payload: { decisionRule: 'pool' }, as: 'editor' })).statusCode, 200)
  const run = await runAudit(t, call)
  const all = await allFindings(call, run.id)
  t.equal(all.length, 8)

  const keys = async (query: string): Promise<string[]> => keysOf(await allFindings(call, run.id, query))
  t.strictSame(await keys('&severity=error'), ['absent-decider i-absent', 'decided-by-non-decider dc-gus-two', 'delegation-to-inactive dl-dee-hal', 'multiple-final-deciders i-two', 'no-final-decider i-none'])
  t.strictSame(await keys('&severity=info'), [])
  t.strictSame(await keys('&ruleId=unanimity-trap'), ['unanimity-trap i-unan'])
  t.strictSame(await keys('&state=resolved'), ['multiple-final-deciders i-two'])
  t.strictSame(await keys('&state=new'), [])
  t.strictSame(await keys('&state=persisting&severity=warning'), ['retired-influence cyd', 'shareholder-overreach eve', 'unanimity-trap i-unan'])
  t.strictSame(await keys('&waived=true'), [])
  t.equal((await keys('&waived=false')).length, 8)

  const pages: string[][] = []
  let url = `/v1/audits/${run.id}/findings?limit=3`
  for (;;) {
    const page = (await call({ method: 'GET', url, as: 'admin' })).json()
    pages.push(page.items.map((f: { fingerprint: string }) => f.fingerprint))
    if (page.nextCursor === null) break
    url = `/v1/audits/${run.id}/findings?limit=3&cursor=${page.nextCursor}`
  }
  t.strictSame(pages.map((p) => p.length), [3, 3, 2])
  t.strictSame(pages.flat(), all.map((f) => f.fingerprint), 'the pages are the whole run, in one order')
  t.equal(all[7].state, 'resolved', 'resolved findings come after those that hold')

  assertProblem(t, await call({ method: 'GET', url: `/v1/audits/${run.id}/findings?cursor=bm9wZQ`, as: 'auditor' }), 400, 'WHODECIDES_ERR_VALIDATION')
  assertProblem(t, await call({ method: 'GET', url: `/v1/audits/${run.id}/findings?cursor=${Buffer.from('id:x1').toString('base64url')}`, as: 'auditor' }),
    400, 'WHODECIDES_ERR_VALIDATION')
  assertProblem(t, await call({ method: 'GET', url: `/v1/audits/${run.id}/findings?state=fixed`, as: 'auditor' }), 400, 'WHODECIDES_ERR_VALIDATION')
  assertProblem(t, await call({ method: 'GET', url: '/v1/audits/no-such-run/findings', as: 'auditor' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await call({ method: 'GET', url: '/v1/audits/no-such-run', as: 'auditor' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
})

t.test('runs are listed newest first, in pages', async (t) => {
  const { call } = await buildTestApp(t)
  const ids: string[] = []
  for (let i = 0; i < 5; i++) ids.push((await runAudit(t, call, {})).id)
  const pages: string[][] = []
  let url = '/v1/audits?limit=2'
  for (;;) {
    const res = await call({ method: 'GET', url, as: 'auditor' })
    t.equal(res.statusCode, 200)
    const page = res.json()
    pages.push(page.items.map((r: { id: string }) => r.id))
    if (page.nextCursor === null) break
    url = `/v1/audits?limit=2&cursor=${page.nextCursor}`
  }
  t.strictSame(pages, [[ids[4], ids[3]], [ids[2], ids[1]], [ids[0]]])
  const empty = (await runAudit(t, call, {}))
  t.strictSame(empty.counts, { error: 0, warning: 0, info: 0 }, 'an empty registry has nothing to find')
})

t.test('off the request thread: a database file is audited in its audit process, with the findings of an in-process run', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-audit-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'registry.db')
  const onFile = await buildTestApp(t, { dbPath: path })
  const inMemory = await buildTestApp(t)
  await importFixture(t, onFile.call)
  await importFixture(t, inMemory.call)

  // The request thread stays free while the process reads: a lookup sent after the audit answers before it.
  const order: string[] = []
  const audit = onFile.call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' }).then((res) => { order.push('audit'); return res })
  const lookup = onFile.call({ method: 'GET', url: '/v1/initiatives/i-two', as: 'reader' }).then((res) => { order.push('lookup'); return res })
  const [fileRun, got] = await Promise.all([audit, lookup])
  t.equal(got.statusCode, 200)
  t.strictSame(order, ['lookup', 'audit'])
  t.equal(fileRun.statusCode, 201)
  const memoryRun = await runAudit(t, inMemory.call)
  t.strictSame(fileRun.json().counts, memoryRun.counts)
  t.strictSame(await allFindings(onFile.call, fileRun.json().id), await allFindings(inMemory.call, memoryRun.id), 'the same findings, fingerprints and all')

  // The app's audit process again (started by the run above): jobs queue up and are answered in turn, each run
  // stored and compared with the one stored before it; a failed job fails alone.
  const job = { configs: ruleConfigs(onFile.app.runtime.db), scope: { domainId: 'pricing' }, at: AT }
  const broken = { ...job, configs: {} as typeof job.configs }
  const [pricing, failed, all] = await Promise.allSettled([
    onFile.app.runtime.audits.run(request(job)), onFile.app.runtime.audits.run(request(broken)), onFile.app.runtime.audits.run(request({ ...job, scope: null }))
  ])
  t.equal(pricing.status, 'fulfilled')
  const pricingRun = (pricing as PromiseFulfilledResult<Written<AuditRun>>).value.record
  t.strictSame((await onFile.call({ method: 'GET', url: `/v1/audits/${pricingRun.id}`, as: 'auditor' })).json(), pricingRun, 'the run the process stored, as the server reads it')
  t.strictSame((await allFindings(onFile.call, pricingRun.id)).map(asRow), auditRows(onFile.app.runtime.db, job), 'the process finds what the in-process job finds')
  t.strictSame(auditRows(onFile.app.runtime.db, job), auditFindings(onFile.app.runtime.db, job).map(findingRow), 'the rows the run stores, of the findings of the engine')
  t.match(failed, { status: 'rejected', reason: { name: 'TypeError', message: /configs\.get is not a function/ } }, 'a failed job rejects with its error')
  t.equal(all.status, 'fulfilled')
  const allRun = (all as PromiseFulfilledResult<Written<AuditRun>>).value.record
  t.strictSame(keysOf(await allFindings(onFile.call, allRun.id)), FULL, 'and the process goes on with the next job')
  t.strictSame({ new: allRun.new, persisting: allRun.persisting }, { new: 0, persisting: FULL.length }, 'compared with the run of the same scope before it')

  // The process keeps the registry it read, and brings it up to date with the change log for the next job.
  const loaded = loadRegistry(onFile.app.runtime.db)
  t.equal(refreshRegistry(onFile.app.runtime.db, loaded), loaded, 'unchanged: the same registry')
  t.equal((await onFile.call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).statusCode, 201)
  t.equal(refreshRegistry(onFile.app.runtime.db, loaded)?.data, loaded.data, 'an audit run is not a change of the registry')
  t.equal((await onFile.call({ method: 'PATCH', url: '/v1/initiatives/i-two', payload: { decisionRule: 'pool' } })).statusCode, 200)
  const refreshed = refreshRegistry(onFile.app.runtime.db, loaded)
  t.equal(refreshed?.snapshot.initiative('i-two')?.decisionRule, 'pool', 'an edited initiative is read again')
  t.equal(refreshed?.data.assignments, loaded.data.assignments, 'the assignments, unchanged, are not')
  const rerun = (await onFile.call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).json()
  t.equal(rerun.resolved, 1, 'so the next run in the process sees it: i-two is no longer ambiguous')

  // Past the refresh limit, the next job goes to a fresh process, which reads the registry whole and the last run back.
  const rereading = new AuditProcess(path, { fullRead: () => true })
  t.teardown(async () => { await rereading.close() })
  const first = (await rereading.run(request(job))).record
  const second = (await rereading.run(request(job))).record
  t.strictSame({ new: second.new, persisting: second.persisting, resolved: second.resolved }, { new: 0, persisting: first.new + first.persisting, resolved: 0 },
    'a fresh process finds the same')

  const stopped = new AuditProcess(path)
  const inFlight = stopped.run(request(job))
  await stopped.close()
  await t.rejects(inFlight, /the audit process stopped/, 'closing the process fails the jobs in flight')
})

t.test('the audit process: every thread of it at the lowest priority; a crash fails its jobs, the next job starts afresh', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-audit-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'registry.db')
  const { app, call } = await buildTestApp(t, { dbPath: path })
  await importFixture(t, call)
  const audits = new AuditProcess(path)
  t.teardown(async () => { await audits.close() })
  const job = { configs: ruleConfigs(app.runtime.db), scope: null, at: AT }
  const before = auditProcesses()
  const first = await audits.run(request(job))
  const [pid] = auditProcesses().filter((p) => !before.includes(p))
  t.ok(pid !== undefined, 'a process of its own')
  // In a thread's stat (proc(5)), field 19 is its nice value, field 41 its scheduling policy.
  const threads = readdirSync(`/proc/${pid}/task`).map((tid) => statFields(`/proc/${pid}/task/${tid}/stat`))
  t.ok(threads.length > 1, 'V8\'s helper threads among them')
  t.strictSame(new Set(threads.map((fields) => fields[19 - 3])), new Set(['19']), 'every thread at nice 19')
  if (spawnSync('chrt', ['--idle', '0', 'true']).status === 0) {
    t.strictSame(new Set(threads.map((fields) => fields[41 - 3])), new Set([String(SCHED_IDLE)]), 'and, where chrt is, under SCHED_IDLE')
  }

  const running = audits.run(request(job))
  process.kill(pid!, 'SIGKILL')
  await t.rejects(running, /the audit process stopped \(SIGKILL\)/, 'a crash fails the job in flight')
  const next = (await audits.run(request(job))).record
  t.equal(next.persisting, first.record.new, 'the next job starts a fresh process, which compares with the last run stored')
  t.notOk(auditProcesses().includes(pid!), 'the crashed one is gone')
})

t.test('live findings of one initiative: the rules over its slice, at a time, nothing stored', async (t) => {
  const { app, call } = await buildTestApp(t)
  await importFixture(t, call)
  const res = await call({ method: 'GET', url: `/v1/initiatives/i-two/findings?at=${AT}`, as: 'reader' })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body, { initiativeId: 'i-two', at: AT })
  t.strictSame(keysOf(body.findings), ['decided-by-non-decider dc-gus-two', 'multiple-final-deciders i-two', 'retired-influence cyd'])
  const two = body.findings.find((f: { ruleId: string }) => f.ruleId === 'multiple-final-deciders')
  t.strictSame(Object.keys(two).sort(), ['data', 'fingerprint', 'message', 'related', 'remediation', 'ruleId', 'severity', 'subject', 'waived'], 'no state: nothing to compare with')
  t.equal(two.waived, null)
  t.strictSame((await call({ method: 'GET', url: '/v1/audits', as: 'auditor' })).json().items, [], 'no run stored')

  // Before anyone held a role on it, i-two had no decider at all.
  const earlier = (await call({ method: 'GET', url: '/v1/initiatives/i-two/findings?at=2025-12-01T00:00:00%2B01:00', as: 'reader' })).json()
  t.equal(earlier.at, '2025-11-30T23:00:00.000Z', 'at, in canonical UTC')
  t.strictSame(keysOf(earlier.findings), ['no-final-decider i-two', 'no-responsible i-two'])
  const now = (await call({ method: 'GET', url: '/v1/initiatives/i-deleg/findings', as: 'reader' })).json()
  t.ok(Math.abs(Date.parse(now.at) - Date.now()) < 60_000, 'at defaults to now')
  t.strictSame(now.findings, [], 'dee and hal are on leave, but fay decides in their place')

  assertProblem(t, await call({ method: 'GET', url: '/v1/initiatives/nope/findings', as: 'reader' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await call({ method: 'GET', url: '/v1/initiatives/i-two/findings?at=soon', as: 'reader' }), 400, 'WHODECIDES_ERR_VALIDATION')

  // The slice holds everything the rules need: per initiative, the same findings as the whole registry gives.
  const model = createReadModel(loadSnapshot(app.runtime.db), AT)
  for (const id of ['i-none', 'i-two', 'i-absent', 'i-deleg', 'i-ok', 'i-unan', 'i-done']) {
    const live = (await call({ method: 'GET', url: `/v1/initiatives/${id}/findings?at=${AT}`, as: 'reader' })).json()
    t.strictSame(keysOf(live.findings), keysOf(runRules(model, ruleConfigs(app.runtime.db), { initiativeIds: [id] })), `${id}: the slice finds what the whole registry finds`)
  }
})

t.test('live findings honour rule settings and waivers; decider-overload sees only the slice', async (t) => {
  const { call } = await buildTestApp(t)
  await importFixture(t, call)
  t.equal((await call({ method: 'PATCH', url: '/v1/rules/decider-overload', payload: { options: { maxInitiatives: 1 } }, as: 'auditor' })).statusCode, 200)
  t.equal((await call({ method: 'PATCH', url: '/v1/rules/multiple-final-deciders', payload: { severity: 'warning' }, as: 'auditor' })).statusCode, 200)
  t.equal((await call({ method: 'PATCH', url: '/v1/rules/retired-influence', payload: { enabled: false }, as: 'auditor' })).statusCode, 200)
  const run = await runAudit(t, call)
  t.ok(keysOf(await allFindings(call, run.id)).includes('decider-overload ada'), 'a full audit sees ada decide three live initiatives')

  const live = async (): Promise<any[]> => (await call({ method: 'GET', url: `/v1/initiatives/i-two/findings?at=${AT}`, as: 'reader' })).json().findings
  const findings = await live()
  t.strictSame(keysOf(findings), ['decided-by-non-decider dc-gus-two', 'multiple-final-deciders i-two'], 'no decider-overload, no disabled rule')
  const two = findings.find((f) => f.ruleId === 'multiple-final-deciders')
  t.equal(two.severity, 'warning', 'the configured severity')

  const waiver = await call({ method: 'POST', url: '/v1/waivers', payload: { fingerprint: two.fingerprint, reason: 'Until the merger', expiresAt: '2999-01-01T00:00:00Z' }, as: 'auditor' })
  t.equal(waiver.statusCode, 201)
  t.strictSame((await live()).find((f) => f.ruleId === 'multiple-final-deciders').waived, { waiverId: waiver.json().id, reason: 'Until the merger' })
})
