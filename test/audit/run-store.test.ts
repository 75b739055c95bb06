// Storing an audit run a step at a time: no reader sees a run before its last step, lookups are answered between
// the steps, runs stored at once compare with each other in turn, and a run cut off half way is never shown.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { findingRow, rowSlices, type FindingRow } from '../../src/audit/finding-row.js'
import type { StorePace } from '../../src/audit/run-store.js'
import type { Db } from '../../src/store/connection.js'
import { runAudit } from '../../src/services/audits.js'
import { assertProblem, buildTestApp, type TestApp } from '../helper.js'
import { AT, importFixture, keysOf } from '../audit-fixture.js'
import { auditProcesses } from '../audit-processes.js'

const actor = { keyId: null, label: 'audit-store test' }
/**
 * One step per transaction (a slice of findings, a resolved finding copied, a row removed): every run of the fixture
 * takes several, with a turn of the event loop between each. The app's audit runner is made so (a build option).
 */
const SLOW: StorePace = { rows: 1, ms: 1000 }

/** A scope per initiative of the fixture, and a domain's: with the whole registry's, more scopes than are remembered. */
const NARROWER_SCOPES = [...['i-none', 'i-two', 'i-absent', 'i-deleg', 'i-ok', 'i-unan', 'i-done'].map((id) => ({ initiativeIds: [id] })), { domainId: 'pricing' }]

const turn = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }
const unfinished = (db: Db): string[] => db.$client.prepare("SELECT id FROM audit_runs WHERE status <> 'done' ORDER BY rowid").pluck().all() as string[]
const storedRows = (db: Db, runId: string): number => db.$client.prepare('SELECT count(*) FROM findings WHERE run_id = ?').pluck().get(runId) as number

/** Waits, turn by turn of the event loop (never by the clock), until a run is being stored and has `rows` findings. */
async function whileStoring (db: Db, rows = 1): Promise<string> {
  for (let turns = 0; turns < 10_000_000; turns++) {
    const [id] = unfinished(db)
    if (id !== undefined && storedRows(db, id) >= rows) return id
    await turn()
  }
  throw new Error('no run was being stored')
}

async function listedRuns (call: TestApp['call']): Promise<string[]> {
  return (await call({ method: 'GET', url: '/v1/audits', as: 'auditor' })).json().items.map((r: { id: string }) => r.id)
}

async function allFindings (call: TestApp['call'], runId: string): Promise<any[]> {
  return (await call({ method: 'GET', url: `/v1/audits/${runId}/findings?limit=500`, as: 'auditor' })).json().items
}

t.test('rows reach the store in slices: each slice\'s rows as JSON, with their keys', async (t) => {
  const rows: FindingRow[] = Array.from({ length: 5 }, (_, i) => findingRow({
    ruleId: 'no-final-decider', severity: 'error', fingerprint: `f${i}`, subject: { kind: 'initiative', id: `i${i}` },
    related: [{ kind: 'domain', id: 'd"quoted"' }], message: `No one decides "i${i}" — ünïcode`, remediation: `Name one Accountable person on "i${i}"`, ...(i % 2 === 0 ? { data: { n: i } } : {})
  }))
  const slices = [...rowSlices(rows, 2)]
  t.strictSame(slices.map((slice) => slice.keys.length), [2, 2, 1], 'three slices')
  t.strictSame(slices.flatMap((slice) => JSON.parse(slice.rows)), rows, 'the rows as they were')
  t.strictSame(slices.flatMap((slice) => slice.keys), rows.map(([fingerprint, , severity]) => ({ fingerprint, severity })), 'with each row\'s fingerprint and severity')
  t.strictSame(rows[0]!.slice(5), ['[{"kind":"domain","id":"d\\"quoted\\""}]', 'No one decides "i0" — ünïcode', '{"n":0}', 'Name one Accountable person on "i0"'], 'related, data as JSON, remediation')
  t.equal(rows[1]![7], null, 'no data: null')
  t.strictSame([...rowSlices([])], [], 'no rows, no slices')
})

t.test('a run is not shown before its last step, and lookups are answered between its steps', async (t) => {
  const { app, call } = await buildTestApp(t, {}, { runtime: { audits: { pace: SLOW } } })
  await importFixture(t, call)
  const stored = runAudit(app.runtime.db, app.runtime.audits, actor, { at: AT })
  const runId = await whileStoring(app.runtime.db, 2)

  t.strictSame(await listedRuns(call), [], 'not listed')
  assertProblem(t, await call({ method: 'GET', url: `/v1/audits/${runId}`, as: 'auditor' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await call({ method: 'GET', url: `/v1/audits/${runId}/findings`, as: 'auditor' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  const lookup = await call({ method: 'GET', url: `/v1/initiatives/i-two/decider?at=${AT}`, as: 'reader' })
  t.equal(lookup.statusCode, 200, 'who decides is answered while the run is stored')
  t.equal(lookup.json().resolution, 'ambiguous')
  t.strictSame(unfinished(app.runtime.db), [runId], 'and the run is still being stored')

  const { record } = await stored
  t.equal(record.id, runId)
  t.strictSame(await listedRuns(call), [runId], 'listed once done')
  t.strictSame((await call({ method: 'GET', url: `/v1/audits/${runId}`, as: 'auditor' })).json(), record)
  t.equal((await allFindings(call, runId)).length, 8, 'with every finding')
  t.strictSame(unfinished(app.runtime.db), [])
})

t.test('runs stored at once: each compares with the run stored before it', async (t) => {
  const { app, call } = await buildTestApp(t, {}, { runtime: { audits: { pace: SLOW } } })
  await importFixture(t, call)
  const first = (await call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).json()
  // i-two becomes a pool: its multiple-final-deciders finding is resolved by the next run, and only by that one.
  t.equal((await call({ method: 'PATCH', url: '/v1/initiatives/i-two', payload: { decisionRule: 'pool' }, as: 'editor' })).statusCode, 200)
  const [a, b] = await Promise.all([runAudit(app.runtime.db, app.runtime.audits, actor, { at: AT }), runAudit(app.runtime.db, app.runtime.audits, actor, { at: AT })])
  t.strictSame({ new: a.record.new, persisting: a.record.persisting, resolved: a.record.resolved }, { new: 0, persisting: 7, resolved: 1 }, 'the first against the run before')
  t.strictSame({ new: b.record.new, persisting: b.record.persisting, resolved: b.record.resolved }, { new: 0, persisting: 7, resolved: 0 }, 'the second against the first')
  t.ok(b.revision > a.revision, 'stored one after the other')
  t.strictSame(await listedRuns(call), [b.record.id, a.record.id, first.id])
  const resolved = (await allFindings(call, a.record.id)).filter((f) => f.state === 'resolved')
  t.strictSame(keysOf(resolved), ['multiple-final-deciders i-two'])
  t.strictSame({ ...resolved[0], state: 'new' }, (await allFindings(call, first.id)).find((f) => f.ruleId === 'multiple-final-deciders'),
    'the resolved finding is the previous one, as it was, copied a step at a time')
})

t.test('a run cut off half way (its audit process killed, as by a crash) is never shown; the next run removes it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-audit-store-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  // A database file's runs are stored by its audit process: here a step per transaction, with a pause after each.
  const { app, call } = await buildTestApp(t, { dbPath: join(dir, 'registry.db') }, { runtime: { audits: { pace: { ...SLOW, pauseMs: 50 } } } })
  await importFixture(t, call)
  const first = (await call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).json()
  // The registry changes, so the cut-off run would have said something new had it been stored.
  t.equal((await call({ method: 'PATCH', url: '/v1/initiatives/i-two', payload: { decisionRule: 'pool' }, as: 'editor' })).statusCode, 200)

  const stored = runAudit(app.runtime.db, app.runtime.audits, actor, { at: AT })
  const cut = await whileStoring(app.runtime.db, 2)
  const processes = auditProcesses()
  t.equal(processes.length, 1, 'one audit process')
  process.kill(processes[0]!, 'SIGKILL')
  await t.rejects(stored, /the audit process stopped \(SIGKILL\)/, 'the store fails with its process')

  t.strictSame(unfinished(app.runtime.db), [cut], 'the cut-off run is still in the file, unfinished')
  t.ok(storedRows(app.runtime.db, cut) >= 2, 'with the findings it stored')
  t.strictSame(await listedRuns(call), [first.id], 'but not listed')
  assertProblem(t, await call({ method: 'GET', url: `/v1/audits/${cut}`, as: 'auditor' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await call({ method: 'GET', url: `/v1/audits/${cut}/findings`, as: 'auditor' }), 404, 'WHODECIDES_ERR_NOT_FOUND')

  const next = (await call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).json()
  t.strictSame({ new: next.new, persisting: next.persisting, resolved: next.resolved }, { new: 0, persisting: 7, resolved: 1 },
    'the next run, in a fresh process, compares with the last finished run')
  t.strictSame(unfinished(app.runtime.db), [], 'and removed the cut-off run')
  t.equal(storedRows(app.runtime.db, cut), 0, 'with its findings')
  t.strictSame(await listedRuns(call), [next.id, first.id])
})

t.test('a scope compares with its last run whether this process remembers that run or reads it back', async (t) => {
  const { app, call } = await buildTestApp(t)
  await importFixture(t, call)
  // Nine scopes, one run each: more than are remembered, so the first scope's run is read back from its findings.
  for (const scope of [null, ...NARROWER_SCOPES]) await runAudit(app.runtime.db, app.runtime.audits, actor, { at: AT, scope })
  t.equal((await call({ method: 'PATCH', url: '/v1/initiatives/i-two', payload: { decisionRule: 'pool' }, as: 'editor' })).statusCode, 200)
  const readBack = await runAudit(app.runtime.db, app.runtime.audits, actor, { at: AT, scope: null })
  t.strictSame({ new: readBack.record.new, persisting: readBack.record.persisting, resolved: readBack.record.resolved }, { new: 0, persisting: 7, resolved: 1 }, 'read back')
  const remembered = await runAudit(app.runtime.db, app.runtime.audits, actor, { at: AT, scope: { domainId: 'pricing' } })
  t.strictSame({ new: remembered.record.new, persisting: remembered.record.persisting, resolved: remembered.record.resolved }, { new: 0, persisting: 3, resolved: 1 }, 'remembered')
  const again = await runAudit(app.runtime.db, app.runtime.audits, actor, { at: AT, scope: null })
  t.strictSame({ new: again.record.new, persisting: again.record.persisting, resolved: again.record.resolved }, { new: 0, persisting: 7, resolved: 0 }, 'the run just stored, remembered')
})

t.test('a read-back run with a finding whose fingerprint was edited by hand: that row matches nothing, the rest compare', async (t) => {
  const { app, call } = await buildTestApp(t)
  await importFixture(t, call)
  const first = await runAudit(app.runtime.db, app.runtime.audits, actor, { at: AT, scope: null })
  const total = first.record.new + first.record.persisting
  // Eight more scopes: the whole registry's run is no longer remembered, and is read back from its findings.
  for (const scope of NARROWER_SCOPES) await runAudit(app.runtime.db, app.runtime.audits, actor, { at: AT, scope })
  app.runtime.db.$client.prepare("UPDATE findings SET fingerprint = 'edited by hand' WHERE id = (SELECT min(id) FROM findings WHERE run_id = ?)").run(first.record.id)
  const next = await runAudit(app.runtime.db, app.runtime.audits, actor, { at: AT, scope: null })
  t.strictSame({ new: next.record.new, persisting: next.record.persisting, resolved: next.record.resolved }, { new: 1, persisting: total - 1, resolved: 0 })
})
