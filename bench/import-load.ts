// npm run bench:import-load (needs wrk): who-decides lookups over the whole of a 200k-assignment import sent over HTTP
// to the built server, against the same lookups on the same server idle just before — p99 and the slowest, as ratios
// — the import's time under those lookups and alone; and the validation (a dry run) of a pathological bundle: one
// person, one role, one target, 400k disjoint periods.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { startProcess, stop, wrk, wrkWhile } from './http-load.js'
import { writeSyntheticOrg } from './synthetic-org.js'

const KEY = 'wd_bench-admin-token-0123456789abcdef'
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const ASSIGNMENTS = Number(process.env.BENCH_ASSIGNMENTS ?? 200_000)
const PERIODS = Number(process.env.BENCH_PERIODS ?? 400_000)
const PEOPLE = 10_000
const INITIATIVES = 10_000
const PORT = 3104
const ROLES = ['R', 'A', 'C', 'I'] as const

/**
 * `count` assignments of the seeded people on new initiatives (ten each, one or more A among them) in the seeded
 * leaf domains, all ids prefixed so that two bundles never touch each other's records.
 */
function importBundle (prefix: string, count: number): string {
  const initiatives = Array.from({ length: Math.ceil(count / 10) }, (_, i) => ({
    id: `${prefix}-i${i}`, title: `Imported ${i}`, domainId: `d${i % 4}.${i % 5}.${(i >> 2) % 5}.${(i >> 4) % 5}`, status: 'active'
  }))
  const assignments = Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-a${i}`, personId: `p${(i * 7919) % PEOPLE}`, role: ROLES[i % 4], initiativeId: `${prefix}-i${Math.floor(i / 10)}`, validFrom: '2026-01-01T00:00:00.000Z'
  }))
  return JSON.stringify({ initiatives, assignments })
}

/** One person A on one initiative for `count` periods of a second each, one after the other: nothing overlaps. */
function pathologicalBundle (count: number): string {
  const start = Date.parse('2000-01-01T00:00:00.000Z')
  const at = (k: number): string => new Date(start + k * 1000).toISOString()
  const assignments = Array.from({ length: count }, (_, k) => ({ id: `s${k}`, personId: 'solo', role: 'A', initiativeId: 'solo-target', validFrom: at(2 * k), validTo: at(2 * k + 1) }))
  return JSON.stringify({
    people: [{ id: 'solo', name: 'Solo', email: 'solo@example.com' }],
    initiatives: [{ id: 'solo-target', title: 'One target', domainId: 'd0' }],
    assignments
  })
}

async function post (path: string, body: string): Promise<{ seconds: number, status: number, report: any }> {
  const started = performance.now()
  const res = await fetch(`http://127.0.0.1:${PORT}${path}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body })
  const report = await res.json()
  const seconds = (performance.now() - started) / 1000
  if (res.status !== 200) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(report).slice(0, 500)}`)
  return { seconds, status: res.status, report }
}

async function main (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-bench-'))
  try {
    const file = join(dir, 'registry.db')
    const facts = writeSyntheticOrg(file, { people: PEOPLE, initiatives: INITIATIVES, assignmentsPerInitiative: 10 })
    const underLoad = importBundle('load', ASSIGNMENTS)
    const alone = importBundle('alone', ASSIGNMENTS)
    const pathological = pathologicalBundle(PERIODS)

    const server = await startProcess(['dist/src/server.js'],
      { WHODECIDES_DB: file, WHODECIDES_BOOTSTRAP_KEY: KEY, WHODECIDES_LOG_LEVEL: 'warn', WHODECIDES_LOG_PRETTY: 'false' }, PORT)
    const url = `http://127.0.0.1:${PORT}`
    const env = { WD_KEY: KEY, WD_INITIATIVES: String(INITIATIVES) }
    // The import process starts with the first import: a small one, so that the measured one does not wait for it.
    await post('/v1/import', JSON.stringify({ people: [{ id: 'warm-up', name: 'Warm up', email: 'warm-up@example.com' }] }))
    // On the seeded registry, before the imports below add 400k assignments that a dry run reads too.
    const load = loadavg()[0]!
    const dry = await post('/v1/import?dryRun=true', pathological)
    wrk(url, 2, 'decider.lua', env)
    const idle = wrk(url, SECONDS, 'decider.lua', env)
    const busy = await wrkWhile(url, async () => await post('/v1/import', underLoad), 'decider.lua', env)
    const after = wrk(url, SECONDS, 'decider.lua', env)
    const quiet = await post('/v1/import', alone)
    await stop(server)

    const f = (n: number, digits = 2): string => n.toFixed(digits)
    const mib = (text: string): string => f(Buffer.byteLength(text) / 1024 / 1024, 1)
    console.log(`import under lookups — node ${process.version}, ${new Date().toISOString()}, wrk -t1 -c10, ${SECONDS} s idle`)
    console.log(`registry: ${JSON.stringify(facts)}; the import: ${ASSIGNMENTS} assignments on ${Math.ceil(ASSIGNMENTS / 10)} new initiatives (${mib(underLoad)} MiB)`)
    console.log(`who-decides idle:                ${f(idle.rps, 0)} req/s, p99 ${f(idle.p99, 3)} ms, max ${f(idle.max, 1)} ms, errors ${idle.errors}`)
    console.log(`who-decides over the import (${f(busy.result.seconds)} s, all of it): ${f(busy.load.rps, 0)} req/s, p99 ${f(busy.load.p99, 3)} ms = ` +
      `${f(busy.load.p99 / idle.p99)}× idle (target ≤ 2×), max ${f(busy.load.max, 1)} ms (target ≤ 250), errors ${busy.load.errors}`)
    console.log(`who-decides after it:            ${f(after.rps, 0)} req/s = ${f(after.rps / idle.rps)} of idle, p99 ${f(after.p99, 3)} ms, max ${f(after.max, 1)} ms, errors ${after.errors}`)
    console.log(`the import: ${f(busy.result.seconds)} s under the lookups, ${f(quiet.seconds)} s alone (another ${ASSIGNMENTS}, no lookups) = ${f(busy.result.seconds / quiet.seconds)}×; ` +
      `created ${busy.result.report.collections.assignments.created as number}`)
    console.log(`pathological bundle, dry run on the seeded registry: ${PERIODS} disjoint periods of one person's A on one initiative ` +
      `(${mib(pathological)} MiB): ${f(dry.seconds)} s over HTTP (target < 10 s), ${dry.report.invalidCount as number} invalid; load average before it ${f(load)}`)
    if (busy.load.errors > 0 || idle.errors > 0) process.exitCode = 1
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
