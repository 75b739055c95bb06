// RACI import benchmark (part of npm run bench:import): a matrix of 5000 initiatives × 40 people holding ~200k
// assignments imported into a seeded registry through the API (real HTTP to a server listening here, the import in
// its process) as CSV and as XLSX, and through the command line (`node bin/whodecides.mjs import FILE --db ...`);
// against baselines measured in the same run: reading the same file alone (parseRaciCsv, parseRaciXlsx).
// Each figure is wall time and CPU time (this process, the server's import process, or the command's processes, from
// /proc): on a machine shared with other work, wall time grows with the load and CPU time much less.
// BENCH_INITIATIVES, BENCH_PEOPLE and BENCH_FILL change the size; BENCH_CLI=0 skips the command line.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.js'
import { defaultConfig, packageRoot } from '../src/config.js'
import { parseRaciCsv, writeRaciCsv } from '../src/formats/raci-csv.js'
import { parseRaciXlsx, writeRaciXlsx } from '../src/formats/raci-xlsx.js'
import { syntheticMatrix } from '../test/formats/matrix-fixture.js'
import { bareInserts } from './bare-inserts.js'

const INITIATIVES = Number(process.env.BENCH_INITIATIVES ?? 5000)
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 40)
const FILL = Number(process.env.BENCH_FILL ?? 0.8)
const CLI = process.env.BENCH_CLI !== '0'
const TOKEN = 'wd_bench-admin-token-0123456789abcdef'
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

const matrix = syntheticMatrix(INITIATIVES, PEOPLE, FILL)
const assignments = matrix.rows.reduce((n, row) => n + row.cells.reduce((m, cell) => m + cell.roles.length, 0), 0)

/** The registry the matrix names: its people (by email, id or name, as the headers do), initiatives and domains. */
function seedBundle (): string {
  const people = Array.from({ length: PEOPLE }, (_, i) => ({ id: `person-${i}`, name: `Person Nr. ${i}`, email: `person${i}@example.com` }))
  const domains = Array.from({ length: 7 }, (_, i) => ({ id: `domain-${i}`, name: `Domain ${i}` }))
  const initiatives = Array.from({ length: INITIATIVES }, (_, i) => ({ id: `initiative-${i}`, title: `Initiative number ${i}`, domainId: `domain-${i % 7}`, status: 'active' }))
  return JSON.stringify({ people, domains, initiatives })
}

const seconds = (started: number): number => (performance.now() - started) / 1000

/** Clock ticks a second, as /proc counts CPU time (USER_HZ, 100 on Linux). */
const TICKS = 100

/** Fields of /proc/<pid>/stat after the command name: [0] is the state, [1] the parent's pid, [11..14] CPU times. */
function statOf (pid: string): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return text.slice(text.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

/**
 * CPU seconds used so far by this process, its live children (the import process) and its children waited for (a
 * command run to its end, with the processes it waited for).
 */
function cpuSeconds (): number {
  const own = process.cpuUsage()
  let ticks = 0
  const self = statOf('self')
  if (self !== undefined) ticks += Number(self[13]) + Number(self[14])
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const stat = statOf(pid)
    if (stat !== undefined && stat[1] === String(process.pid)) ticks += Number(stat[11]) + Number(stat[12])
  }
  return (own.user + own.system) / 1e6 + ticks / TICKS
}

/** A server on a fresh database file, listening on a free port, seeded with the registry. */
async function server (dir: string, name: string): Promise<{ app: FastifyInstance, url: string, db: string }> {
  const db = join(dir, `${name}.db`)
  const app = await buildApp({ ...defaultConfig, dbPath: db, bootstrapKey: TOKEN, logLevel: 'warn', prettyLogs: false, maxEventLoopDelayMs: 0 })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
  const seeded = await post(url, '/v1/import', 'application/json', Buffer.from(seedBundle()))
  if (seeded.status !== 200) throw new Error(`seeding: HTTP ${seeded.status} ${seeded.body.slice(0, 300)}`)
  return { app, url, db }
}

async function post (url: string, path: string, type: string, body: Buffer): Promise<{ status: number, body: string, seconds: number, cpu: number }> {
  const cpu = cpuSeconds()
  const started = performance.now()
  const res = await fetch(url + path, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': type }, body })
  const text = await res.text()
  return { status: res.status, body: text, seconds: seconds(started), cpu: cpuSeconds() - cpu }
}

async function timed<T> (work: () => T | Promise<T>): Promise<{ seconds: number, cpu: number }> {
  const cpu = cpuSeconds()
  const started = performance.now()
  await work()
  return { seconds: seconds(started), cpu: cpuSeconds() - cpu }
}

async function main (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-bench-raci-'))
  const results: Array<{ name: string, seconds: number, cpu: number, baseline: number, status: string }> = []
  try {
    const csv = writeRaciCsv(matrix)
    const xlsx = await writeRaciXlsx(matrix)
    const csvTimes = await timed(() => parseRaciCsv(csv))
    const xlsxTimes = await timed(async () => await parseRaciXlsx(xlsx))
    const [csvRead, xlsxRead] = [csvTimes.seconds, xlsxTimes.seconds]
    // The machine's speed now: the same number of assignments inserted bare (bench/bare-inserts.ts).
    const bare = bareInserts({ assignments: matrix.rows.flatMap((row, r) => row.cells.flatMap((cell, c) => cell.roles.map((role) => (
      { id: `${r}-${c}-${role}`, personId: `person-${c}`, role, initiativeId: `initiative-${r}` }
    )))) }, dir)

    for (const [name, type, bytes, base] of [['CSV', 'text/csv', csv, csvRead], ['XLSX', XLSX, xlsx, xlsxRead]] as const) {
      const { app, url } = await server(dir, `api-${name}`)
      try {
        const first = await post(url, '/v1/import?kind=raci', type, bytes)
        const report = first.status === 200 ? JSON.parse(first.body) as { created: number } : undefined
        results.push({ name: `API ${name}: import into the registry`, seconds: first.seconds, cpu: first.cpu, baseline: base, status: `HTTP ${first.status}${report === undefined ? ` ${first.body.slice(0, 200)}` : `, ${report.created} created`}` })
        const again = await post(url, '/v1/import?kind=raci', type, bytes)
        const unchanged = again.status === 200 ? (JSON.parse(again.body) as { unchanged: number }).unchanged : -1
        results.push({ name: `API ${name}: the same file again`, seconds: again.seconds, cpu: again.cpu, baseline: base, status: `HTTP ${again.status}, ${unchanged} unchanged` })
      } finally {
        await app.close()
      }
    }

    if (CLI) {
      for (const [name, file, bytes, base] of [['CSV', 'matrix.csv', csv, csvRead], ['XLSX', 'matrix.xlsx', xlsx, xlsxRead]] as const) {
        const { app, db } = await server(dir, `cli-${name}`)
        await app.close()
        const path = join(dir, file)
        writeFileSync(path, bytes)
        const cpu = cpuSeconds()
        const started = performance.now()
        const out = spawnSync(process.execPath, [join(packageRoot(), 'bin', 'whodecides.mjs'), 'import', path, '--db', db, '--quiet'], { encoding: 'utf8' })
        const took = seconds(started)
        const said = (out.status === 0 ? out.stdout : out.stderr).trim().split('\n')[0] ?? ''
        results.push({ name: `CLI ${name}: whodecides import`, seconds: took, cpu: cpuSeconds() - cpu, baseline: base, status: `exit ${String(out.status)}: ${said.slice(0, 120)}` })
      }
    }

    console.log(`RACI import benchmark — ${INITIATIVES} initiatives × ${PEOPLE} people, ${assignments} assignments; CSV ${(csv.length / 1024 / 1024).toFixed(1)} MiB, XLSX ${(xlsx.length / 1024 / 1024).toFixed(1)} MiB`)
    console.log(`node ${process.version}, ${new Date().toISOString()}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
    console.log(`machine: ${assignments} assignments inserted bare (bench/bare-inserts.ts) in ${bare.toFixed(2)} s`)
    console.log(`baseline: reading the CSV alone ${csvRead.toFixed(2)} s (CPU ${csvTimes.cpu.toFixed(2)} s), the XLSX alone ${xlsxRead.toFixed(2)} s (CPU ${xlsxTimes.cpu.toFixed(2)} s), in this process`)
    for (const r of results) {
      console.log(`${r.name.padEnd(40)} ${r.seconds.toFixed(2)} s, CPU ${r.cpu.toFixed(2)} s  (${(r.seconds / r.baseline).toFixed(1)}× reading the file alone, ` +
        `${(r.seconds / bare).toFixed(1)}× bare inserts; ${r.status})`)
    }
    console.log(`peak resident memory of this process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`)
    if (results.some((r) => !/^(HTTP 200|exit 0)/.test(r.status))) process.exitCode = 1
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
