// npm run bench: who-decides throughput and p99 against a bare fastify route (now, and at a past time; and the
// service's cheapest route, /health, through the same hooks), full audit
// time at 100k and 1M assignments (the first audit, which reads the registry, the next, and one after a change),
// peak memory, who-decides p99 over the whole run of an audit (after a change, and the first after a start), and
// sustained PATCH throughput — all measured in this one run.
// Needs wrk (apt-get install wrk) for latency with sub-millisecond resolution.
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, startProcess, stop, wrk, wrkWhile } from './http-load.js'
import { comparison, keepRun, previousRun, thisRun, type Figure } from './previous-run.js'
import { writeSyntheticOrg, type OrgFacts } from './synthetic-org.js'

const KEY = 'wd_bench-admin-token-0123456789abcdef'
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const PEOPLE = 10_000
/** Initiatives moved to another domain after the past time the lookups at a past time ask about. */
const MOVED = 1000

/** The previous run's figures, which this run's are printed next to and then replace (BENCH_RESULTS: another file). */
const RESULTS = process.env.BENCH_RESULTS ?? join(ROOT, 'bench/results/who-decides.json')

/** The figures kept from run to run, in the order printed. */
const FIGURES: Figure[] = [
  { key: 'bareRps', label: 'bare fastify route', unit: 'req/s', better: 'higher', digits: 0 },
  { key: 'caveatsWarmS', label: 'caveats judged for every target after start', unit: 's', better: 'lower', digits: 1 },
  { key: 'lookupRps', label: 'who-decides (GET …/decider)', unit: 'req/s', better: 'higher', digits: 0 },
  { key: 'lookupVsBare', label: 'who-decides ÷ bare route', unit: '', better: 'higher', digits: 2 },
  { key: 'lookupP99Ms', label: 'who-decides p99', unit: 'ms', better: 'lower', digits: 2 },
  { key: 'pastVsNow', label: 'at a past time ÷ now', unit: '', better: 'higher', digits: 2 },
  { key: 'pastP99Ms', label: 'at a past time p99', unit: 'ms', better: 'lower', digits: 2 },
  { key: 'healthVsBare', label: '/health ÷ bare route', unit: '', better: 'higher', digits: 2 },
  { key: 'healthP99Ms', label: '/health p99', unit: 'ms', better: 'lower', digits: 2 },
  { key: 'patchRps', label: 'PATCH /v1/people/{id}', unit: '/s', better: 'higher', digits: 0 },
  { key: 'patchP99Ms', label: 'PATCH p99', unit: 'ms', better: 'lower', digits: 2 },
  { key: 'audit100kFirstS', label: 'audit 100k, first', unit: 's', better: 'lower', digits: 2 },
  { key: 'audit100kNextS', label: 'audit 100k, next', unit: 's', better: 'lower', digits: 2 },
  { key: 'audit1mFirstS', label: 'audit 1M, first', unit: 's', better: 'lower', digits: 2 },
  { key: 'audit1mNextS', label: 'audit 1M, next', unit: 's', better: 'lower', digits: 2 },
  { key: 'auditAfterChangeS', label: 'audit 1M after a change', unit: 's', better: 'lower', digits: 2 },
  { key: 'growthFirst', label: 'audit growth 100k → 1M, first', unit: '×', better: 'lower', digits: 1 },
  { key: 'growthNext', label: 'audit growth 100k → 1M, next', unit: '×', better: 'lower', digits: 1 },
  { key: 'p99DuringAuditAfterChange', label: 'who-decides p99 in an audit after a change ÷ idle', unit: '×', better: 'lower', digits: 2 },
  { key: 'p99DuringFirstAudit', label: 'who-decides p99 in the first audit ÷ idle', unit: '×', better: 'lower', digits: 2 },
  { key: 'peakMemoryMiB', label: 'peak memory, server + audit process', unit: 'MiB', better: 'lower', digits: 0 }
]

const peakResidentMiB = (pid: number): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024

/** The processes the server started: its audit process. */
const childrenOf = (pid: number): number[] => readdirSync('/proc').filter((name) => /^\d+$/.test(name)).filter((name) => {
  try {
    return Number(readFileSync(`/proc/${name}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]) === pid
  } catch {
    return false
  }
}).map(Number)

/**
 * The peak resident memory of the server and of its audit process, each, and added: the two peaks added are at
 * least the peak of the two together.
 */
function peakMemoryMiB (pid: number): { server: number, audit: number, total: number } {
  const server = peakResidentMiB(pid)
  const audit = childrenOf(pid).reduce((sum, child) => sum + peakResidentMiB(child), 0)
  return { server, audit, total: server + audit }
}

/** The servers started and not yet stopped: stopped when a step fails, so that no server outlives the run. */
const running = new Set<ChildProcess>()

function tracked (child: ChildProcess): ChildProcess {
  running.add(child)
  child.once('exit', () => running.delete(child))
  return child
}

const registry = async (file: string, port: number): Promise<ChildProcess> =>
  tracked(await startProcess(['dist/src/server.js'], { WHODECIDES_DB: file, WHODECIDES_BOOTSTRAP_KEY: KEY, WHODECIDES_LOG_LEVEL: 'warn', WHODECIDES_LOG_PRETTY: 'false' }, port))

/** Refusals for overload met by the setup's own requests (each answered again after Retry-After, as a client would). */
let overloadRetries = 0

async function api (port: number, method: string, path: string, body?: object): Promise<any> {
  // Up to 100 retries for each request: on a busy host the setup's own writes may meet the overload guard often.
  for (let retries = 0; ; ) {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method, headers: { authorization: `Bearer ${KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body)
    })
    const json = await res.json()
    if (res.status === 503 && ++retries <= 100) {
      overloadRetries++
      await new Promise((resolve) => setTimeout(resolve, 1000 * Number(res.headers.get('retry-after') ?? 1)))
      continue
    }
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`)
    return json
  }
}

/** Seconds until /health says every target's caveats were judged (services/caveat-warmer.ts), asked every 100 ms. */
async function caveatsWarm (port: number): Promise<number> {
  const started = performance.now()
  for (;;) {
    const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json() as { caveats: string }
    if (health.caveats === 'warm') return (performance.now() - started) / 1000
    if (performance.now() - started > 1_800_000) throw new Error(`caveats not warm after 30 minutes: ${health.caveats}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function audit (port: number): Promise<{ seconds: number, run: { counts: Record<string, number> } }> {
  const started = performance.now()
  const run = await api(port, 'POST', '/v1/audits', {}) as { counts: Record<string, number> }
  return { seconds: (performance.now() - started) / 1000, run }
}

function seed (dir: string, name: string, initiatives: number): { file: string, facts: OrgFacts, seconds: number } {
  const file = join(dir, `${name}.db`)
  const started = performance.now()
  const facts = writeSyntheticOrg(file, { people: PEOPLE, initiatives, assignmentsPerInitiative: 10 })
  return { file, facts, seconds: (performance.now() - started) / 1000 }
}

/** Moves the first MOVED initiatives to another leaf domain, ten requests at a time. */
async function moveInitiatives (port: number): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: 10 }, async () => {
    while (next < MOVED) await api(port, 'PATCH', `/v1/initiatives/i${next++}`, { domainId: 'd1.1.1.1' })
  }))
}

async function main (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-bench-'))
  try {
    const small = seed(dir, 'org-100k', 10_000)
    const large = seed(dir, 'org-1m', 100_000)
    const env = { WD_KEY: KEY, WD_INITIATIVES: String(large.facts.initiatives) }

    const bare = tracked(await startProcess(['--import', 'tsx', 'bench/bare-server.ts'], {}, 3101))
    wrk('http://127.0.0.1:3101', 2, 'decider.lua', env)
    const baseline = wrk('http://127.0.0.1:3101', SECONDS, 'decider.lua', env)
    await stop(bare)

    const server = await registry(large.file, 3102)
    const url = 'http://127.0.0.1:3102'
    // Lookups once every target's caveats are judged, as a server that has run for a while answers.
    const warmSeconds = await caveatsWarm(3102)
    const past = new Date().toISOString()
    await moveInitiatives(3102)
    // The warmer's next pass judges the moved initiatives again (a second's rest, then about 1.5 ms each).
    await new Promise((resolve) => setTimeout(resolve, 3000))
    wrk(url, 2, 'decider.lua', env)
    const idle = wrk(url, SECONDS, 'decider.lua', env)
    const atPast = wrk(url, SECONDS, 'decider.lua', { ...env, WD_AT: past })
    // The service's cheapest route through the same hooks (one SELECT 1; no key, no lookup, a small constant
    // answer): how near the bare route any route of the service can come on this machine.
    const cheapest = wrk(`${url}/health`, SECONDS)

    const coldAudit = await audit(3102)
    const warmAudit = await audit(3102)
    // After a change the audit process reads only the changed records: the usual audit, once someone has fixed
    // something. Timed alone, then with lookups over its whole run.
    await api(3102, 'PATCH', '/v1/people/p1', { title: 'Changed' })
    const changedAudit = await audit(3102)
    await api(3102, 'PATCH', '/v1/people/p1', { title: 'Changed again' })
    const busy = await wrkWhile(url, async () => await audit(3102), 'decider.lua', env)
    const patches = wrk(url, SECONDS, 'patch.lua', { WD_KEY: KEY, WD_PEOPLE: String(PEOPLE) })
    const peak = peakMemoryMiB(server.pid!)
    await stop(server)

    // The first audit after a start reads the registry whole — the heaviest audit: lookups over its whole run too,
    // against the same process idle.
    const restarted = await registry(large.file, 3102)
    await caveatsWarm(3102)
    wrk(url, 2, 'decider.lua', env)
    const idleRestarted = wrk(url, SECONDS, 'decider.lua', env)
    const fullRead = await wrkWhile(url, async () => await audit(3102), 'decider.lua', env)
    const peakRestarted = peakMemoryMiB(restarted.pid!)
    await stop(restarted)

    const smallServer = await registry(small.file, 3103)
    await caveatsWarm(3103)
    const smallCold = await audit(3103)
    const smallWarm = await audit(3103)
    await stop(smallServer)

    const f = (n: number, digits = 2): string => n.toFixed(digits)
    const growth = (big: number, little: number): string => `${f(big / little, 1)}× for ${f(large.facts.assignments / small.facts.assignments, 1)}× the data (target ≤ 12×)`
    console.log(`who-decides benchmark — node ${process.version}, ${new Date().toISOString()}, wrk -t1 -c10, ${SECONDS} s per load`)
    console.log(`organization: ${JSON.stringify(large.facts)} (seeded in ${f(large.seconds, 1)} s); ${MOVED} initiatives then moved to another domain`)
    console.log(`baseline: bare fastify constant route        ${f(baseline.rps, 0)} req/s, p50 ${f(baseline.p50, 3)} ms, p99 ${f(baseline.p99, 3)} ms`)
    console.log(`caveats judged for every initiative and domain ${f(warmSeconds, 1)} s after the server answered (between requests; lookups below after it)`)
    console.log(`GET /v1/initiatives/{id}/decider (idle)      ${f(idle.rps, 0)} req/s = ${f(idle.rps / baseline.rps)} of baseline (target ≥ 0.6), p99 ${f(idle.p99, 3)} ms (target ≤ 2), errors ${idle.errors}`)
    console.log(`the same at a past time (before the moves)   ${f(atPast.rps, 0)} req/s = ${f(atPast.rps / idle.rps)} of now, p99 ${f(atPast.p99, 3)} ms, errors ${atPast.errors}`)
    console.log(`GET /health, the cheapest route (no lookup)  ${f(cheapest.rps, 0)} req/s = ${f(cheapest.rps / baseline.rps)} of baseline, p99 ${f(cheapest.p99, 3)} ms, errors ${cheapest.errors}`)
    console.log(`full audit, ${small.facts.assignments} assignments        first ${f(smallCold.seconds)} s (reads the registry), next ${f(smallWarm.seconds)} s`)
    console.log(`full audit, ${large.facts.assignments} assignments      first ${f(coldAudit.seconds)} s (target ≤ 5), next ${f(warmAudit.seconds)} s`)
    console.log(`  growth: first ${growth(coldAudit.seconds, smallCold.seconds)}; next ${growth(warmAudit.seconds, smallWarm.seconds)}`)
    console.log(`findings at 1M: ${JSON.stringify(coldAudit.run.counts)}`)
    console.log(`full audit after a change, ${large.facts.assignments} (reads the changed records)  ${f(changedAudit.seconds)} s`)
    console.log(`who-decides while an audit after a change runs (${f(busy.result.seconds)} s, all of it): p99 ${f(busy.load.p99, 3)} ms = ${f(busy.load.p99 / idle.p99)}× idle (target ≤ 2×), ${f(busy.load.rps, 0)} req/s, errors ${busy.load.errors}`)
    console.log(`who-decides while the first audit after a start reads the registry whole (${f(fullRead.result.seconds)} s, all of it): p99 ${f(fullRead.load.p99, 3)} ms = ${f(fullRead.load.p99 / idleRestarted.p99)}× that process idle (p99 ${f(idleRestarted.p99, 3)} ms, ${f(idleRestarted.rps, 0)} req/s), ${f(fullRead.load.rps, 0)} req/s, errors ${fullRead.load.errors}`)
    console.log(`PATCH /v1/people/{id}, synchronous = FULL     ${f(patches.rps, 0)} per second (target ≥ 1000), p99 ${f(patches.p99, 3)} ms, errors ${patches.errors}`)
    const highest = peak.total >= peakRestarted.total ? peak : peakRestarted
    console.log(`peak resident memory: ${f(highest.total, 0)} MiB, the server ${f(highest.server, 0)} + its audit process ${f(highest.audit, 0)} (target ≤ 1024)`)
    console.log(`503 answers to the benchmark's own setup requests, retried after Retry-After: ${overloadRetries}`)

    const run = thisRun(SECONDS, {
      bareRps: baseline.rps,
      caveatsWarmS: warmSeconds,
      lookupRps: idle.rps,
      lookupVsBare: idle.rps / baseline.rps,
      lookupP99Ms: idle.p99,
      pastVsNow: atPast.rps / idle.rps,
      pastP99Ms: atPast.p99,
      healthVsBare: cheapest.rps / baseline.rps,
      healthP99Ms: cheapest.p99,
      patchRps: patches.rps,
      patchP99Ms: patches.p99,
      audit100kFirstS: smallCold.seconds,
      audit100kNextS: smallWarm.seconds,
      audit1mFirstS: coldAudit.seconds,
      audit1mNextS: warmAudit.seconds,
      auditAfterChangeS: changedAudit.seconds,
      growthFirst: coldAudit.seconds / smallCold.seconds,
      growthNext: warmAudit.seconds / smallWarm.seconds,
      p99DuringAuditAfterChange: busy.load.p99 / idle.p99,
      p99DuringFirstAudit: fullRead.load.p99 / idleRestarted.p99,
      peakMemoryMiB: highest.total
    })
    const previous = previousRun(RESULTS)
    console.log(`\nnext to the previous run (${RESULTS})`)
    console.log(comparison(FIGURES, previous, run))
    if (previous !== undefined && previous.seconds !== SECONDS) console.log(`(the previous run held each load ${previous.seconds} s, this one ${SECONDS} s)`)
    keepRun(RESULTS, run)
    console.log(`this run's figures written to ${RESULTS}: commit it to keep them as the previous run of the next`)
  } finally {
    for (const child of running) await stop(child)
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
