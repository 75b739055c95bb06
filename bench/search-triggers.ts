// What keeping the search index in step costs an import: the same bundle through the import service (what
// POST /v1/import runs, in its process) into a fresh database with search (the triggers of migrations 0009 and 0010,
// the feed at the end of the import: src/store/search-feed.ts) and into one without (no triggers, nothing fed),
// alternated in one run, so that the machine's load falls on both alike. Prints each run and the ratio of the
// medians; BENCH_ROW_BY_ROW=1 measures instead the row-by-row feed the triggers do outside a bulk write.
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { importBundle } from '../src/services/import.js'
import { SYSTEM_ACTOR } from '../src/services/keys.js'
import { closeDatabase, openDatabase } from '../src/store/connection.js'

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 2_000)
const INITIATIVES = Number(process.env.BENCH_INITIATIVES ?? 20_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const TRIGGERS = ['people', 'domains', 'initiatives'].flatMap((k) =>
  [`${k}_search_insert`, `${k}_search_update`, `${k}_search_delete`, `${k}_search_defer`, `${k}_versions_search_insert`])
/** The marker of a bulk write gone as soon as it is set: nothing deferred, nothing fed at the end. */
const NO_FEED = 'CREATE TRIGGER no_feed AFTER INSERT ON search_pending BEGIN DELETE FROM search_pending; END'
const ROW_BY_ROW = process.env.BENCH_ROW_BY_ROW === '1'

function makeBundle (): Record<string, object[]> {
  const domains = Array.from({ length: 100 }, (_, d) => ({ id: `d${d}`, name: `Área ${d} ventas` }))
  const people = Array.from({ length: PEOPLE }, (_, i) => ({ id: `p${i}`, name: `José Persona ${i}`, email: `person${i}@example.com`, title: 'Jefe de ventas' }))
  const initiatives = Array.from({ length: INITIATIVES }, (_, i) => ({ id: `i${i}`, title: `Migrate the régional warehouse ${i}`, domainId: `d${i % 100}`, status: 'active' }))
  return { people, domains, initiatives, assignments: [], delegations: [], influences: [] }
}

function importOnce (payload: string, withTriggers: boolean): number {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-triggers-'))
  const db = openDatabase(join(dir, 'registry.db'))
  try {
    if (!withTriggers) for (const name of TRIGGERS) db.$client.exec(`DROP TRIGGER ${name}`)
    if (!withTriggers || ROW_BY_ROW) db.$client.exec(NO_FEED)
    // Row by row: the triggers index each row as it is written, as outside a bulk write (0009's way for an import too).
    if (withTriggers && ROW_BY_ROW) for (const k of ['people', 'domains', 'initiatives']) db.$client.exec(`DROP TRIGGER ${k}_search_defer`)
    const started = performance.now()
    const report = importBundle(db, SYSTEM_ACTOR, JSON.parse(payload), { mode: 'upsert', dryRun: false, role: 'admin' })
    const seconds = (performance.now() - started) / 1000
    if (report.invalidCount !== 0) throw new Error(`import: ${JSON.stringify(report).slice(0, 300)}`)
    return seconds
  } finally {
    closeDatabase(db)
    rmSync(dir, { recursive: true, force: true })
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const payload = JSON.stringify(makeBundle())
const runs: Record<'with' | 'without', number[]> = { with: [], without: [] }
for (let round = 0; round < ROUNDS; round++) {
  for (const kind of round % 2 === 0 ? ['without', 'with'] as const : ['with', 'without'] as const) {
    const seconds = importOnce(payload, kind === 'with')
    runs[kind].push(seconds)
    console.log(`round ${round + 1}, ${kind} search${ROW_BY_ROW && kind === 'with' ? ' fed row by row' : ''}: ${seconds.toFixed(2)} s`)
  }
}
console.log(`import of ${PEOPLE} people, 100 domains, ${INITIATIVES} initiatives; node ${process.version}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores`)
console.log(`median without triggers ${median(runs.without).toFixed(2)} s, with ${median(runs.with).toFixed(2)} s: ratio ${(median(runs.with) / median(runs.without)).toFixed(2)}`)
