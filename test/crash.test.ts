// Crash safety: the real server (src/server.ts, compiled), killed with SIGKILL at a random moment under concurrent
// writes, restarted on the same file each round; after every restart nothing acknowledged is lost and nothing
// half-written is there. CRASH_ROUNDS (default 20; `npm run test:crash` runs 100) and CRASH_SEED (default: a new
// one, printed) set a run; the seed replays the same writes and kill delays.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import t, { type Test } from 'tap'
import { checkAcks, checkChangeLog, checkExport, checkIdempotencyClaims, checkMultiRow, checkSqlite } from './crash/checks.js'
import { compileService } from './crash/compile-service.js'
import { seeded } from './crash/random.js'
import { Workload } from './crash/workload.js'
import { endProcess, ROOT, spawnStandby, type Running, type Standby } from './real-server.js'

const ROUNDS = positive('CRASH_ROUNDS', 20)
const SEED = positive('CRASH_SEED', Math.floor(Math.random() * 2 ** 31))
/** Writes in flight at once: each worker sends its next write when the last one is answered. */
const CONCURRENCY = 6
/** The kill comes at a random moment in the first this-many milliseconds of a round's writes. */
const KILL_WITHIN_MS = 1000
const TOKEN = 'wd_crash-test-admin-key-0123456789abcdef'
/** Acknowledged POSTs with an Idempotency-Key sent again after each restart, the latest first. */
const REPLAYS = 3

function positive (name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`)
  return Number(raw)
}

// A round takes a few seconds on a busy machine; the timeout only stops a hang, so it is generous.
t.setTimeout(60_000 + ROUNDS * 10_000)

t.test(`SIGKILL under write load: ${ROUNDS} rounds, seed ${SEED}`, async (t) => {
  t.comment(`crash test: CRASH_ROUNDS=${ROUNDS} CRASH_SEED=${SEED}`)
  const started = Date.now()
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-crash-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  // The overload guard is off: a process just started on a busy machine measures a long event-loop delay and would
  // refuse the writes with 503, and the writes are what this test needs.
  const env = { WHODECIDES_DB: join(dir, 'whodecides.db'), WHODECIDES_BOOTSTRAP_KEY: TOKEN, WHODECIDES_MAX_EVENT_LOOP_DELAY_MS: '0' }
  const random = seeded(SEED)
  const workload = new Workload(random, TOKEN, SEED.toString(36))
  const totals = { sent: 0, acked: 0, unanswered: 0, refused: {} as Record<number, number>, killedInFlight: 0, replayed: 0 }
  /** Where the time goes, in ms: waiting for the spare to load, restarting it, checking, writing. */
  const spent = { loading: 0, restart: 0, check: 0, writes: 0 }
  const timed = async <T>(phase: keyof typeof spent, work: Promise<T>): Promise<T> => {
    const from = performance.now()
    try { return await work } finally { spent[phase] += performance.now() - from }
  }

  const compiled = compileService(ROOT)
  t.teardown(() => rmSync(compiled, { recursive: true, force: true }))
  // The next server process loads its modules while the current one works: see test/crash/standby-server.mjs.
  let spare: Standby = spawnStandby(env, compiled)
  let server: Running | undefined
  t.teardown(async () => {
    await endProcess(spare, 'SIGKILL')
    if (server !== undefined) await endProcess(server, 'SIGKILL')
  })

  /** The checks, on a read-only connection beside the restarted server, and its export; an empty list when all hold. */
  const check = async (running: Running): Promise<string[]> => {
    const res = await fetch(`${running.baseUrl}/v1/export`, { headers: { authorization: `Bearer ${TOKEN}` } })
    const bundle = await res.json() as Record<string, Array<Record<string, unknown>>>
    const db = new Database(env.WHODECIDES_DB, { readonly: true, fileMustExist: true })
    try {
      return [
        ...(res.status === 200 ? checkExport(db, bundle) : [`GET /v1/export answered ${res.status}: ${JSON.stringify(bundle).slice(0, 300)}`]),
        ...checkSqlite(db), ...checkChangeLog(db), ...checkAcks(db, workload.acks), ...checkMultiRow(db, workload.bundles),
        ...checkIdempotencyClaims(db)
      ]
    } finally {
      db.close()
    }
  }

  for (let round = 1; round <= ROUNDS; round++) {
    await timed('loading', spare.ready)
    server = await timed('restart', spare.go())
    spare = spawnStandby(env, compiled)
    t.same(await timed('check', check(server)), [], `round ${round}: after the restart, every check holds (${workload.acks.length} acknowledged writes so far)`)
    const replay = await timed('check', workload.replayKeyed(server.baseUrl, REPLAYS))
    t.same(replay.problems, [], `round ${round}: ${replay.replayed} acknowledged POSTs sent again with their Idempotency-Key replay their first answer`)
    totals.replayed += replay.replayed

    const killAfter = random.next() * KILL_WITHIN_MS
    const killMoment = sleep(killAfter)
    const running = server
    const killed = killMoment.then(async () => await endProcess(running, 'SIGKILL'))
    const figures = await timed('writes', workload.burst(server.baseUrl, CONCURRENCY, killMoment))
    const exit = await killed
    t.same(figures.serverErrors, [], `round ${round}: no 5xx`)
    t.equal(exit.signal, 'SIGKILL', `round ${round}: killed ${Math.round(killAfter)} ms into the writes, ${figures.acked} acknowledged, ${figures.unanswered} in flight`)
    totals.sent += figures.sent
    totals.acked += figures.acked
    totals.unanswered += figures.unanswered
    if (figures.unanswered > 0) totals.killedInFlight++
    for (const [status, n] of Object.entries(figures.refused)) totals.refused[Number(status)] = (totals.refused[Number(status)] ?? 0) + n
  }

  server = await spare.go()
  t.same(await check(server), [], `after the last restart, every check holds (${workload.acks.length} acknowledged writes)`)
  const replay = await workload.replayKeyed(server.baseUrl, REPLAYS)
  t.same(replay.problems, [], `${replay.replayed} acknowledged POSTs sent again with their Idempotency-Key replay their first answer`)
  totals.replayed += replay.replayed
  const closed = await endProcess(server, 'SIGTERM')
  t.equal(closed.code, 0, 'and the server still closes cleanly on SIGTERM')

  t.ok(totals.acked > 0, 'writes were acknowledged')
  t.ok(totals.killedInFlight > 0, 'kills landed with writes in flight')
  await t.test('the checks find what they look for, on the same file damaged on purpose', (t) => { checksCatch(t, env.WHODECIDES_DB, workload); t.end() })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  t.comment(`crash test: ${ROUNDS} rounds, seed ${SEED}, ${seconds} s; writes sent ${totals.sent}, acknowledged ${totals.acked}` +
    ` (verified after every later restart: ${workload.acks.length} single-record writes and ${workload.bundles.filter((b) => b.acked).length} imports),` +
    ` refused ${JSON.stringify(totals.refused)}, in flight at a kill ${totals.unanswered} (${totals.killedInFlight} rounds),` +
    ` replayed by Idempotency-Key ${totals.replayed};` +
    ` ms spent ${JSON.stringify(Object.fromEntries(Object.entries(spent).map(([k, v]) => [k, Math.round(v)])))}`)
})

/** Each check against one kind of damage, made inside a transaction that is rolled back: a check that cannot fail proves nothing. */
function checksCatch (t: Test, file: string, workload: Workload): void {
  const db = new Database(file)
  t.teardown(() => db.close())
  const damaged = (damage: string, check: () => string[], expected: RegExp, what: string): void => {
    db.exec('BEGIN')
    try {
      db.exec(damage)
      t.match(check(), [expected], what)
    } finally {
      db.exec('ROLLBACK')
    }
  }
  const bundle = workload.bundles.find((b) => b.acked)
  const ack = workload.acks.find((a) => a.body !== null && a.entity === 'people')
  const decision = workload.acks.find((a) => a.entity === 'decisions')?.body
  if (bundle === undefined || ack === undefined || decision == null) {
    t.pass('the checks against damage', { skip: 'a run too short to have acknowledged an import, a person and a decision' })
    return
  }
  const assignment = bundle.rows.find((r) => r.entity === 'assignments')!.id
  db.pragma('foreign_keys = OFF') // as a damaged file would be: SQLite ignores the pragma inside a transaction
  damaged(`INSERT INTO assignments (id, version, created_at, updated_at, person_id, role, initiative_id, domain_id, valid_from, valid_to)
    SELECT 'orphan', version, created_at, updated_at, 'nobody', role, initiative_id, domain_id, valid_from, valid_to FROM assignments WHERE id = '${assignment}'`,
  () => checkSqlite(db), /foreign_key_check: assignments row \d+ points at a missing people/, 'a row pointing at nothing')
  damaged(`DELETE FROM assignments WHERE id = '${assignment}'`, () => checkChangeLog(db), /is missing, though its latest change/, 'a record gone without its change')
  damaged(`UPDATE people SET version = version + 1 WHERE id = '${ack.id}'`, () => checkChangeLog(db), /its latest change .* wrote version/, 'a record changed without its change')
  damaged(`DELETE FROM history WHERE revision = ${ack.revision}`, () => checkChangeLog(db), /no interval for a change/, 'a change without its history interval')
  t.match(checkMultiRow(db, [{ ...bundle, rows: [...bundle.rows, { entity: 'people', id: 'never-imported', fields: {} }] }]),
    [/an import was half written/, /an acknowledged import .* lost rows/], 'an import half there')
  damaged(`UPDATE initiatives SET status = 'active' WHERE id = '${String(decision.initiativeId)}'`, () => checkMultiRow(db, []),
    /a decision and its status change were split/, 'a decision without its status change')
  damaged(`INSERT INTO idempotency_keys (key_id, idempotency_key, fingerprint, state, sealed, created_at, expires_at)
    SELECT id, 'left-behind', 'x', 'in_progress', 0, '2026-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z' FROM api_keys LIMIT 1`,
  () => checkIdempotencyClaims(db), /still claimed/, 'an Idempotency-Key left claimed')
  const latest = db.prepare("SELECT after FROM changes WHERE entity = 'people' AND entity_id = ? ORDER BY revision DESC LIMIT 1").get(ack.id) as { after: string }
  const { version: _v, createdAt: _c, updatedAt: _u, ...exported } = JSON.parse(latest.after) as Record<string, unknown>
  t.same(checkExport(db, { people: [exported] }), [], 'an export row as the change log has it passes')
  t.match(checkExport(db, { people: [{ ...exported, name: 'Someone Else' }] }), [/its latest change wrote/], 'an export that is not the change log fails')
  t.match(checkAcks(db, [{ ...ack, body: { ...ack.body, name: 'Someone Else' } }]), [/differs from what was acknowledged/], 'an acknowledged write with other content')
  t.match(checkAcks(db, [{ ...ack, id: 'never-written' }]), [/the change log has 0 entries/], 'an acknowledged write that is not there')
}
