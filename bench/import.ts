// Import benchmark: a bundle of 10k people and 200k assignments through POST /v1/import, against a bare
// baseline measured in the same run (the same rows inserted with one prepared statement, no checks, no log).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '../src/app.js'
import { defaultConfig } from '../src/config.js'
import { bareInserts } from './bare-inserts.js'

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000)
const ASSIGNMENTS = Number(process.env.BENCH_ASSIGNMENTS ?? 200_000)
const TOKEN = 'wd_bench-admin-token-0123456789abcdef'
const ROLES = ['R', 'A', 'C', 'I'] as const

/** A seeded bundle: domains three levels deep, initiatives spread over them, distinct RACI cells. */
function makeBundle (): Record<string, object[]> {
  const domains = []
  for (let a = 0; a < 10; a++) {
    domains.push({ id: `d${a}`, name: `Domain ${a}` })
    for (let b = 0; b < 10; b++) domains.push({ id: `d${a}-${b}`, name: `Domain ${a}.${b}`, parentId: `d${a}` })
  }
  const people = Array.from({ length: PEOPLE }, (_, i) => ({
    id: `p${i}`, name: `Person ${i}`, email: `person${i}@example.com`, tags: i % 50 === 0 ? ['executive'] : [], managerId: i === 0 ? null : `p${Math.floor((i - 1) / 8)}`
  }))
  const initiativeCount = Math.max(1, Math.floor(ASSIGNMENTS / 10))
  const initiatives = Array.from({ length: initiativeCount }, (_, i) => ({
    id: `i${i}`, title: `Initiative ${i}`, domainId: `d${i % 10}-${Math.floor(i / 10) % 10}`, status: 'active'
  }))
  const assignments = Array.from({ length: ASSIGNMENTS }, (_, i) => ({
    id: `a${i}`, personId: `p${(i * 7919) % PEOPLE}`, role: ROLES[i % 4], initiativeId: `i${Math.floor(i / 10)}`, validFrom: '2026-01-01T00:00:00.000Z'
  }))
  return { people, domains, initiatives, assignments, delegations: [], influences: [] }
}

async function main (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-bench-'))
  try {
    const bundle = makeBundle()
    const payload = JSON.stringify(bundle)
    const app = await buildApp({ ...defaultConfig, dbPath: join(dir, 'registry.db'), bootstrapKey: TOKEN, logLevel: 'warn', prettyLogs: false })
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
    const timed = async (url: string): Promise<{ seconds: number, status: number }> => {
      const started = performance.now()
      const res = await app.inject({ method: 'POST', url, headers, payload })
      return { seconds: (performance.now() - started) / 1000, status: res.statusCode }
    }
    const base = bareInserts(bundle as Record<string, Array<{ id: string }>>, dir)
    const dry = await timed('/v1/import?dryRun=true')
    const first = await timed('/v1/import')
    const again = await timed('/v1/import')
    const exportStarted = performance.now()
    const exported = await app.inject({ method: 'GET', url: '/v1/export', headers })
    const exportSeconds = (performance.now() - exportStarted) / 1000
    await app.close()

    const rows = Object.values(bundle).reduce((n, r) => n + r.length, 0)
    console.log(`import benchmark — ${PEOPLE} people, ${ASSIGNMENTS} assignments, ${rows} rows, ${(payload.length / 1024 / 1024).toFixed(1)} MiB`)
    console.log(`node ${process.version}, ${new Date().toISOString()}`)
    console.log(`baseline (bare inserts, same rows, one transaction): ${base.toFixed(2)} s`)
    const line = (name: string, r: { seconds: number, status: number }): void => {
      console.log(`${name.padEnd(36)} ${r.seconds.toFixed(2)} s  (${(r.seconds / base).toFixed(1)}× baseline, HTTP ${r.status}, ${Math.round(rows / r.seconds)} rows/s)`)
    }
    line('dry run (validate, plan)', dry)
    line('import into an empty registry', first)
    line('same bundle again (all unchanged)', again)
    console.log(`${'export'.padEnd(36)} ${exportSeconds.toFixed(2)} s  (${(exportSeconds / base).toFixed(1)}× baseline, HTTP ${exported.statusCode}, ${(exported.body.length / 1024 / 1024).toFixed(1)} MiB)`)
    console.log(`peak resident memory: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`)
    if (first.status !== 200 || again.status !== 200 || dry.status !== 200) process.exitCode = 1
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
