// npm run bench: who-decides throughput and p99 against a bare fastify route, full audit time at 100k and 1M
// assignments, peak memory, and who-decides p99 while an audit runs — all measured in this one run.
// Needs wrk (apt-get install wrk) for latency with sub-millisecond resolution.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { packageRoot } from '../src/config.js'
import { writeSyntheticOrg, type OrgFacts } from './synthetic-org.js'

const ROOT = packageRoot()
const KEY = 'wd_bench-admin-token-0123456789abcdef'
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const PEOPLE = 10_000

interface Load { rps: number, p50: number, p99: number, errors: number }

function wrk (url: string, seconds: number, script?: string, env: Record<string, string> = {}): Load {
  const args = ['-t1', '-c10', `-d${seconds}s`, '--latency', ...(script === undefined ? [] : ['-s', join(ROOT, 'bench', script)]), url]
  const out = spawnSync('wrk', args, { encoding: 'utf8', env: { ...process.env, ...env } })
  if (out.error !== undefined) throw new Error('wrk is needed for this benchmark: apt-get install wrk')
  const text = out.stdout
  const ms = (label: string): number => {
    const m = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(text)
    if (m === null) throw new Error(`no ${label} in wrk output:\n${text}`)
    return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2] as 'us' | 'ms' | 's']
  }
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? 0)
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0)
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text)
  const errors = non2xx + (socket === null ? 0 : socket.slice(1).reduce((n, v) => n + Number(v), 0))
  return { rps, p50: ms('50%'), p99: ms('99%'), errors }
}

async function startProcess (args: string[], env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] })
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`)
      if (res.status === 200 || res.status === 404) return child
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  child.kill('SIGKILL')
  throw new Error(`${args.join(' ')} did not start`)
}

async function stop (child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

const peakMemoryMiB = (pid: number): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024

const registry = async (file: string, port: number): Promise<ChildProcess> =>
  await startProcess(['dist/src/server.js'], { WHODECIDES_DB: file, WHODECIDES_BOOTSTRAP_KEY: KEY, WHODECIDES_LOG_LEVEL: 'warn', WHODECIDES_LOG_PRETTY: 'false' }, port)

async function audit (port: number): Promise<{ seconds: number, run: { counts: Record<string, number> } }> {
  const started = performance.now()
  const res = await fetch(`http://127.0.0.1:${port}/v1/audits`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: '{}' })
  const run = await res.json() as { counts: Record<string, number> }
  if (res.status !== 201) throw new Error(`audit answered ${res.status}: ${JSON.stringify(run)}`)
  return { seconds: (performance.now() - started) / 1000, run }
}

function seed (dir: string, name: string, initiatives: number): { file: string, facts: OrgFacts, seconds: number } {
  const file = join(dir, `${name}.db`)
  const started = performance.now()
  const facts = writeSyntheticOrg(file, { people: PEOPLE, initiatives, assignmentsPerInitiative: 10 })
  return { file, facts, seconds: (performance.now() - started) / 1000 }
}

async function main (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-bench-'))
  try {
    const small = seed(dir, 'org-100k', 10_000)
    const large = seed(dir, 'org-1m', 100_000)
    const env = { WD_KEY: KEY, WD_INITIATIVES: String(large.facts.initiatives) }

    const bare = await startProcess(['--import', 'tsx', 'bench/bare-server.ts'], {}, 3101)
    wrk('http://127.0.0.1:3101', 2, 'decider.lua', env)
    const baseline = wrk('http://127.0.0.1:3101', SECONDS, 'decider.lua', env)
    await stop(bare)

    const server = await registry(large.file, 3102)
    wrk('http://127.0.0.1:3102', 2, 'decider.lua', env)
    const idle = wrk('http://127.0.0.1:3102', SECONDS, 'decider.lua', env)
    const fullAudit = await audit(3102)
    const during = Math.max(1, Math.floor(fullAudit.seconds * 0.8))
    const [busy, concurrent] = await Promise.all([
      new Promise<Load>((resolve) => setTimeout(() => resolve(wrk('http://127.0.0.1:3102', during, 'decider.lua', env)), 50)),
      audit(3102)
    ])
    const peak = peakMemoryMiB(server.pid!)
    await stop(server)

    const smallServer = await registry(small.file, 3103)
    await audit(3103)
    const smallAudit = await audit(3103)
    await stop(smallServer)

    const f = (n: number, digits = 2): string => n.toFixed(digits)
    console.log(`who-decides benchmark — node ${process.version}, ${new Date().toISOString()}, wrk -t1 -c10, ${SECONDS} s per load`)
    console.log(`organization: ${JSON.stringify(large.facts)} (seeded in ${f(large.seconds, 1)} s)`)
    console.log(`baseline: bare fastify constant route        ${f(baseline.rps, 0)} req/s, p50 ${f(baseline.p50, 3)} ms, p99 ${f(baseline.p99, 3)} ms`)
    console.log(`GET /v1/initiatives/{id}/decider (idle)      ${f(idle.rps, 0)} req/s = ${f(idle.rps / baseline.rps)} of baseline (target ≥ 0.6), p99 ${f(idle.p99, 3)} ms (target ≤ 2), errors ${idle.errors}`)
    console.log(`full audit, ${small.facts.assignments} assignments        ${f(smallAudit.seconds)} s`)
    console.log(`full audit, ${large.facts.assignments} assignments      ${f(fullAudit.seconds)} s (target ≤ 5), growth ${f(fullAudit.seconds / smallAudit.seconds, 1)}× for ${f(large.facts.assignments / small.facts.assignments, 1)}× the data (target ≤ 12×)`)
    console.log(`findings at 1M: ${JSON.stringify(fullAudit.run.counts)}`)
    console.log(`who-decides while an audit runs              p99 ${f(busy.p99, 3)} ms = ${f(busy.p99 / idle.p99)}× idle (target ≤ 2×), ${f(busy.rps, 0)} req/s, errors ${busy.errors}; that audit took ${f(concurrent.seconds)} s`)
    console.log(`server peak resident memory: ${f(peak, 0)} MiB (target ≤ 1024)`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
