// npm run bench:effects: write throughput and p99 with a write's effects judged (WHODECIDES_WRITE_EFFECTS=true, the
// default) against the same writes with them switched off, two servers on copies of one synthetic registry, measured
// in alternated rounds in this one run, for every kind of write that answers effects (bench/effects-writes.lua):
// an initiative's title (no rule reads it: nothing judged), status, due date and domain (the initiative judged); a
// person's status (every initiative they decide, at most 50); a domain's parent (the initiatives under it); an A
// assignment, a delegation and an influence each made and removed. Target: p99 with effects within 1.5× of without.
// BENCH_WRITES=a,b runs only those kinds.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { startProcess, stop, wrk, type Load } from './http-load.js'
import { writeSyntheticOrg } from './synthetic-org.js'

const KEY = 'wd_bench-admin-token-0123456789abcdef'
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const PEOPLE = 10_000
const INITIATIVES = 10_000

const server = async (file: string, port: number, effects: boolean) => await startProcess(['dist/src/server.js'], {
  WHODECIDES_DB: file, WHODECIDES_BOOTSTRAP_KEY: KEY, WHODECIDES_LOG_LEVEL: 'warn', WHODECIDES_LOG_PRETTY: 'false',
  // The machine is shared: the overload guard would answer 503 to either server at random.
  WHODECIDES_MAX_EVENT_LOOP_DELAY_MS: '0',
  WHODECIDES_WRITE_EFFECTS: String(effects)
}, port)

/** The worst p99 and the summed throughput over the rounds (each round a SECONDS-long run). */
const combine = (runs: Load[]): { rps: number, p99: number, errors: number } => ({
  rps: runs.reduce((s, r) => s + r.rps, 0) / runs.length,
  p99: Math.max(...runs.map((r) => r.p99)),
  errors: runs.reduce((s, r) => s + r.errors, 0)
})

async function main (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-effects-'))
  try {
    const base = join(dir, 'org.db')
    const facts = writeSyntheticOrg(base, { people: PEOPLE, initiatives: INITIATIVES, assignmentsPerInitiative: 10 })
    copyFileSync(base, join(dir, 'off.db'))
    copyFileSync(base, join(dir, 'on.db'))
    const off = await server(join(dir, 'off.db'), 3111, false)
    const on = await server(join(dir, 'on.db'), 3112, true)
    const common = { WD_KEY: KEY, WD_PEOPLE: String(PEOPLE), WD_INITIATIVES: String(INITIATIVES) }
    const only = process.env.BENCH_WRITES?.split(',')
    const loads = [
      { name: 'PATCH initiative title         ', write: 'initiative-title' },
      { name: 'PATCH initiative status        ', write: 'initiative-status' },
      { name: 'PATCH initiative decisionDueAt ', write: 'initiative-due' },
      { name: 'PATCH initiative domainId      ', write: 'initiative-domain' },
      { name: 'PATCH person status            ', write: 'person-status' },
      { name: 'PATCH domain parentId          ', write: 'domain-parent' },
      { name: 'POST+DELETE assignment (A)     ', write: 'assignment' },
      { name: 'POST+DELETE delegation         ', write: 'delegation' },
      { name: 'POST+DELETE influence (high)   ', write: 'influence' }
    ].filter(({ write }) => only === undefined || only.includes(write))
    const load = loadavg()
    const results = []
    const script = 'effects-writes.lua'
    for (const { name, write } of loads) {
      const env = { ...common, WD_WRITE: write }
      wrk('http://127.0.0.1:3111', 1, script, env)
      wrk('http://127.0.0.1:3112', 1, script, env)
      const without: Load[] = []
      const withEffects: Load[] = []
      // In turns, so that the machine's other work falls on both alike.
      for (let round = 0; round < ROUNDS; round++) {
        without.push(wrk('http://127.0.0.1:3111', SECONDS, script, env))
        withEffects.push(wrk('http://127.0.0.1:3112', SECONDS, script, env))
      }
      results.push({ name, off: combine(without), on: combine(withEffects) })
    }
    await stop(off)
    await stop(on)
    const f = (n: number, digits = 2): string => n.toFixed(digits)
    console.log(`write-effects benchmark — node ${process.version}, ${new Date().toISOString()}, wrk -t1 -c10, ${ROUNDS}×${SECONDS} s per server and load, in turns`)
    console.log(`organization: ${JSON.stringify(facts)}; load average before: ${load.map((l) => f(l)).join(' ')}, after: ${loadavg().map((l) => f(l)).join(' ')}`)
    for (const { name, off: a, on: b } of results) {
      const ratio = b.p99 / a.p99
      console.log(`${name}  off: ${f(a.rps, 0)}/s p99 ${f(a.p99, 3)} ms | on: ${f(b.rps, 0)}/s p99 ${f(b.p99, 3)} ms | p99 ratio ${f(ratio)}× ${ratio <= 1.5 ? 'met' : 'NOT met'} (target ≤ 1.5×), throughput ratio ${f(b.rps / a.rps)}, errors ${a.errors}/${b.errors}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
