// npm run load: the built server (dist/) on loopback, on a seeded registry, under mixed traffic — 90 % who-decides
// lookups, 10 % writes. First its capacity (a closed loop's estimate, then open-loop steps around it), then
// LOAD_SECONDS (default 60) at 80 % of it (open loop: no 5xx, no socket error), then LOAD_OVERLOAD_SECONDS
// (default 15) at 2x (it stays up and sheds the excess with 503/429), then how soon lookups are back to normal
// latency once the load stops, and its memory over the run.
import { type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startProcess, stop } from './http-load.js'
import { closedLoop, openLoop, percentile, type Request, type Tally } from './load-driver.js'
import { writeSyntheticOrg } from './synthetic-org.js'

const KEY = 'wd_load-admin-token-0123456789abcdef'
const PORT = 3111
const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 60)
const OVERLOAD_SECONDS = Number(process.env.LOAD_OVERLOAD_SECONDS ?? 15)
const CAPACITY_SECONDS = Number(process.env.LOAD_CAPACITY_SECONDS ?? 10)
const CONNECTIONS = 10
const ORG = { people: 10_000, initiatives: 10_000, assignmentsPerInitiative: 10 }
/** Lookups back to normal within this long after the load stops. */
const RECOVERY_TARGET_S = 5
/** Each step of the search for the capacity (see sustainedCapacity). */
const STEP_SECONDS = Number(process.env.LOAD_STEP_SECONDS ?? 4)
/** A step the server kept up with: its last answers came within this long of their due time. */
const KEPT_UP_MS = 20
/** Rest after the search, whose last step overloaded the server: its backlog answered and collected. */
const REST_AFTER_SEARCH_MS = 5000

/** Park–Miller: the same traffic on every run. */
function random (seed: number): () => number {
  let state = seed
  return () => (state = (state * 48271) % 2147483647) / 2147483647
}

/** 90 % GET /v1/initiatives/{id}/decider; 10 % writes, half renaming a person's title, half recording a decision. */
function traffic (seed: number): () => Request {
  const rnd = random(seed)
  const pick = (n: number): number => Math.floor(rnd() * n)
  const auth = `Authorization: Bearer ${KEY}\r\n`
  let n = 0
  const write = (method: string, path: string, body: string): Request => ({
    write: true,
    bytes: Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: load\r\n${auth}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
  })
  return () => {
    n++
    const r = rnd()
    if (r < 0.9) return { write: false, bytes: Buffer.from(`GET /v1/initiatives/i${pick(ORG.initiatives)}/decider HTTP/1.1\r\nHost: load\r\n${auth}\r\n`) }
    if (r < 0.95) return write('PATCH', `/v1/people/p${pick(ORG.people)}`, JSON.stringify({ title: `Title ${n}` }))
    return write('POST', `/v1/initiatives/i${pick(ORG.initiatives)}/decisions`,
      JSON.stringify({ decidedBy: `p${pick(ORG.people)}`, decidedAt: '2026-06-01T12:00:00.000Z', outcome: `Load decision ${n}` }))
  }
}

/** The server's resident memory, all of it and its anonymous part (heap, SQLite's page cache: not mapped files). */
function resident (pid: number): { mib: number, anonMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kB = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0)
  return { mib: kB('VmRSS') / 1024, anonMiB: kB('RssAnon') / 1024 }
}

interface MemorySample { at: number, mib: number, anonMiB: number }

/** Samples the server's resident memory every second until stopped. */
function memorySampler (pid: number): { samples: MemorySample[], stop: () => void } {
  const samples: MemorySample[] = []
  const take = (): void => { samples.push({ at: performance.now(), ...resident(pid) }) }
  take()
  const timer = setInterval(take, 1000)
  return { samples, stop: () => clearInterval(timer) }
}

const count = (tally: Tally, test: (status: number) => boolean): number =>
  Object.entries(tally.statuses).filter(([status]) => test(Number(status))).reduce((sum, [, n]) => sum + n, 0)

function describe (name: string, tally: Tally, offered?: number): string {
  const rate = tally.answered / tally.seconds
  return `${name.padEnd(24)} ${offered === undefined ? '' : `offered ${offered.toFixed(0)} req/s, `}answered ${rate.toFixed(0)} req/s ` +
    `(${tally.answered} of ${tally.sent} in ${tally.seconds.toFixed(1)} s), statuses ${JSON.stringify(tally.statuses)}, ` +
    `lookups p50 ${percentile(tally.readLatencies, 0.5).toFixed(2)} ms p99 ${percentile(tally.readLatencies, 0.99).toFixed(2)} ms, ` +
    `writes p50 ${percentile(tally.writeLatencies, 0.5).toFixed(2)} ms p99 ${percentile(tally.writeLatencies, 0.99).toFixed(2)} ms, ` +
    `socket errors ${tally.socketErrors}, unanswered at the end ${tally.unanswered}`
}

interface Step { rate: number, tally: Tally, keptUp: boolean }

/**
 * Whether the server kept up with an open-loop step: every answer 2xx, and the answers of its last fifth came in
 * KEPT_UP_MS of their due time (median). A server that falls behind builds a backlog that grows through the step,
 * so its last answers come hundreds of milliseconds late; one that keeps up answers them as promptly as the first,
 * whatever jitter (a collection, a descheduled process) delayed a few in between.
 */
function keptUp (tally: Tally): boolean {
  const last = tally.latencies.slice(-Math.ceil(tally.latencies.length / 5))
  return count(tally, (s) => s >= 300) === 0 && tally.unanswered === 0 && tally.socketErrors === 0 && percentile(last, 0.5) <= KEPT_UP_MS
}

/**
 * The highest rate the server sustains for this traffic: open-loop steps of STEP_SECONDS, 20 % apart, from the
 * closed loop's estimate — up while it keeps up, down while it does not. A closed loop alone measures the round
 * trip as much as the server (ten connections, one request each in flight), and its traffic is not the open
 * loop's: 80 % of it could be far below or above 80 % of what the server can do in the run that follows.
 */
async function sustainedCapacity (estimate: number, next: () => Request): Promise<{ capacity: number, steps: Step[] }> {
  const steps: Step[] = []
  const step = async (rate: number): Promise<boolean> => {
    const tally = await openLoop(PORT, CONNECTIONS, rate, STEP_SECONDS, next, 5000)
    steps.push({ rate, tally, keptUp: keptUp(tally) })
    // The overload guard judges the event loop over the last second: a step that overloaded it must not count
    // against the next.
    await new Promise((resolve) => setTimeout(resolve, 2000))
    return steps[steps.length - 1]!.keptUp
  }
  let rate = estimate
  if (await step(rate)) {
    while (steps.length < 10 && await step(rate * 1.2)) rate *= 1.2
    return { capacity: rate, steps }
  }
  while (steps.length < 10) {
    rate /= 1.2
    if (await step(rate)) break
  }
  return { capacity: rate, steps }
}

/** One lookup on a fresh connection: its latency in ms, or NaN unless it answered 200. */
async function lookup (i: number): Promise<number> {
  const sent = performance.now()
  const res = await fetch(`http://127.0.0.1:${PORT}/v1/initiatives/i${i % ORG.initiatives}/decider`, { headers: { authorization: `Bearer ${KEY}` } }).catch(() => undefined)
  if (res === undefined) return Number.NaN
  await res.arrayBuffer()
  return res.status === 200 ? performance.now() - sent : Number.NaN
}

/** The p99 of sequential lookups on an idle server: what a lookup normally takes. */
async function idleLatency (): Promise<number> {
  const latencies: number[] = []
  for (let i = 0; i < 200; i++) latencies.push(await lookup(i))
  return percentile(latencies.filter((ms) => !Number.isNaN(ms)), 0.99)
}

/** Sequential lookups until 20 in a row answer 200 within `normalMs`; seconds from `since` to the first of them. */
async function recovery (since: number, normalMs: number): Promise<number> {
  let streakFrom = Number.NaN
  let streak = 0
  for (let i = 0; performance.now() - since < 30_000; i++) {
    const sent = performance.now()
    const ms = await lookup(i)
    const good = ms <= normalMs
    if (good && streak === 0) streakFrom = sent
    streak = good ? streak + 1 : 0
    if (streak === 20) return (streakFrom - since) / 1000
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return Number.POSITIVE_INFINITY
}

async function main (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-load-'))
  let server: ChildProcess | undefined
  try {
    const file = join(dir, 'org.db')
    const facts = writeSyntheticOrg(file, ORG)
    // The defaults of every limit: the point is that they let normal heavy use through and shed overload.
    server = await startProcess(['dist/src/server.js'], { WHODECIDES_DB: file, WHODECIDES_BOOTSTRAP_KEY: KEY, WHODECIDES_LOG_LEVEL: 'warn', WHODECIDES_LOG_PRETTY: 'false' }, PORT)
    const pid = server.pid!
    const next = traffic(42)

    await closedLoop(PORT, CONNECTIONS, 3, next) // warm-up
    const idleP99 = await idleLatency()
    const capacityRun = await closedLoop(PORT, CONNECTIONS, CAPACITY_SECONDS, next)
    const estimate = count(capacityRun, (s) => s < 300) / capacityRun.seconds
    const { capacity, steps } = await sustainedCapacity(estimate, next)
    await new Promise((resolve) => setTimeout(resolve, REST_AFTER_SEARCH_MS))

    const memory = memorySampler(pid)
    const steadyStart = performance.now()
    const steady = await openLoop(PORT, CONNECTIONS, 0.8 * capacity, LOAD_SECONDS, next, 5000)
    // Warm-up: the first third, while SQLite's page cache and V8's heap grow to their working size. Growth counts
    // from the lowest sample after it: the search for the capacity ends with a step the server could not keep up
    // with, whose backlog can hold the heap up for a while, and growth from that height would hide any later.
    const warmUpEnd = steadyStart + LOAD_SECONDS / 3 * 1000
    const afterWarmUp = memory.samples.filter((s) => s.at >= warmUpEnd).reduce<MemorySample | undefined>((low, s) => low === undefined || s.mib < low.mib ? s : low, undefined) ?? memory.samples[0]!
    const endOfSteady = memory.samples[memory.samples.length - 1]!
    const series = memory.samples.filter((_, i) => i % Math.max(1, Math.round(LOAD_SECONDS / 6)) === 0).map((s) => s.mib.toFixed(0)).join(', ')

    const overload = await openLoop(PORT, CONNECTIONS, 2 * capacity, OVERLOAD_SECONDS, next, 0)
    const stoppedAt = performance.now()
    const alive = server.exitCode === null && server.signalCode === null
    // Normal: within three times an idle lookup's p99, and never asked to beat 5 ms.
    const normalMs = Math.max(3 * idleP99, 5)
    const recoverySeconds = alive ? await recovery(stoppedAt, normalMs) : Number.POSITIVE_INFINITY
    memory.stop()
    const final = resident(pid)
    const peakMiB = Math.max(...memory.samples.map((s) => s.mib), final.mib)

    const steady5xx = count(steady, (s) => s >= 500)
    const shed = count(overload, (s) => s === 503 || s === 429)
    const overloadOther = count(overload, (s) => s >= 500 && s !== 503)
    const growth = (endOfSteady.mib - afterWarmUp.mib) / afterWarmUp.mib
    const checks: Array<[string, boolean]> = [
      [`at 80 %: zero 5xx (${steady5xx})`, steady5xx === 0],
      [`at 80 %: zero socket errors (${steady.socketErrors}) and nothing left unanswered (${steady.unanswered})`, steady.socketErrors === 0 && steady.unanswered === 0],
      [`at 80 %: every answer 2xx (${count(steady, (s) => s >= 300)} not)`, count(steady, (s) => s >= 300) === 0],
      [`at 2x: the process stays up (${alive ? 'up' : 'DOWN'})`, alive],
      [`at 2x: the excess is shed with 503/429 (${shed}), no other 5xx (${overloadOther})`, shed > 0 && overloadOther === 0],
      [`lookups back to 200 within ${normalMs.toFixed(2)} ms in ${recoverySeconds.toFixed(2)} s (target ≤ ${RECOVERY_TARGET_S})`, recoverySeconds <= RECOVERY_TARGET_S],
      [`resident memory growth over the 80 % run after warm-up ${(growth * 100).toFixed(1)} % (target ≤ 10 %)`, growth <= 0.1]
    ]

    console.log(`load test — node ${process.version}, ${new Date().toISOString()}, ${CONNECTIONS} connections, server and driver on one machine`)
    console.log(`registry: ${JSON.stringify(facts)}; traffic: 90 % GET /v1/initiatives/{id}/decider, 5 % PATCH /v1/people/{id}, 5 % POST /v1/initiatives/{id}/decisions`)
    console.log(describe('closed loop', capacityRun) + ` → first estimate ${estimate.toFixed(0)} req/s`)
    for (const { rate, tally, keptUp } of steps) {
      const last = percentile(tally.latencies.slice(-Math.ceil(tally.latencies.length / 5)), 0.5)
      console.log(`  step ${rate.toFixed(0).padStart(6)} req/s for ${STEP_SECONDS} s: ${keptUp ? 'kept up' : 'fell behind'} ` +
        `(statuses ${JSON.stringify(tally.statuses)}, median latency of the last fifth ${last.toFixed(2)} ms)`)
    }
    console.log(`capacity: ${capacity.toFixed(0)} req/s, the highest step kept up with (within ${KEPT_UP_MS} ms, every answer 2xx)`)
    console.log(describe(`80 % for ${LOAD_SECONDS} s`, steady, 0.8 * capacity))
    console.log(describe(`2x for ${OVERLOAD_SECONDS} s`, overload, 2 * capacity))
    console.log(`recovery: ${recoverySeconds.toFixed(2)} s after the load stopped until 20 lookups in a row answered 200 within ${normalMs.toFixed(2)} ms ` +
      `(3 x the idle p99 of ${idleP99.toFixed(2)} ms, at least 5 ms)`)
    const anonGrowth = (endOfSteady.anonMiB - afterWarmUp.anonMiB) / afterWarmUp.anonMiB
    console.log(`server resident memory: ${afterWarmUp.mib.toFixed(0)} MiB at its lowest after warm-up (${(LOAD_SECONDS / 3).toFixed(0)} s), ` +
      `${endOfSteady.mib.toFixed(0)} MiB at the end of the 80 % run (${(growth * 100).toFixed(1)} %; anonymous ${afterWarmUp.anonMiB.toFixed(0)} → ` +
      `${endOfSteady.anonMiB.toFixed(0)} MiB, ${(anonGrowth * 100).toFixed(1)} %), ${final.mib.toFixed(0)} MiB after overload and recovery, peak ${peakMiB.toFixed(0)} MiB; ` +
      `over the 80 % run: ${series} MiB`)
    for (const [what, met] of checks) console.log(`${met ? 'met    ' : 'NOT MET'} ${what}`)
    if (checks.some(([, met]) => !met)) process.exitCode = 1
  } finally {
    if (server !== undefined && server.exitCode === null) await stop(server)
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
