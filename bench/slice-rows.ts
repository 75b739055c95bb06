// npx tsx bench/slice-rows.ts: the cost of reading one initiative's slice (registry/focus.ts) with its people side from
// SQL (focusRows, the baseline) and from the decider index's memory (memoryFocusRows), in one process on one synthetic
// organization, the two interleaved over the same initiatives (which goes first alternates). Prints mean and p99 per
// slice and their ratios to SQL, the same for the four people-side lookups alone, and the load average.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { now } from '../src/clock.js'
import { loadFocusedData, type FocusRows } from '../src/registry/focus.js'
import { memoryFocusRows } from '../src/registry/memory-focus-rows.js'
import { Runtime } from '../src/runtime.js'
import { focusRows } from '../src/store/registry-rows.js'
import { writeSyntheticOrg } from './synthetic-org.js'

const INITIATIVES = Number(process.env.BENCH_INITIATIVES ?? 20_000)
const SLICES = Number(process.env.BENCH_SLICES ?? 2000)

interface Figures { meanUs: number, p99Us: number }
const figures = (samples: number[]): Figures => {
  samples.sort((a, b) => a - b)
  return { meanUs: samples.reduce((s, x) => s + x, 0) / samples.length, p99Us: samples[Math.floor(samples.length * 0.99)]! }
}

const dir = mkdtempSync(join(tmpdir(), 'whodecides-slice-rows-'))
try {
  const file = join(dir, 'org.db')
  const facts = writeSyntheticOrg(file, { people: 10_000, initiatives: INITIATIVES, assignmentsPerInitiative: 10 })
  const runtime = Runtime.open(file)
  const index = runtime.deciders.current()!
  const memory = memoryFocusRows(index)
  const db = runtime.db
  const ids = Array.from({ length: SLICES }, (_, i) => `i${(i * 7919) % INITIATIVES}`)
  const at = now()
  const shape = index.asOf(at)

  // The people side alone: the lookups a slice makes, with the people and scopes a slice of the initiative asks about.
  const asked = ids.map((id) => {
    const data = loadFocusedData(db, id, shape)!
    return { id, people: data.people.map((p) => p.id), deciders: [...new Set(data.assignments.map((a) => a.personId))], domainIds: data.domains.map((d) => d.id) }
  })
  const peopleSide = (rows: FocusRows, q: typeof asked[number]): void => {
    rows.delegatesOf(db, q.deciders)
    rows.delegationsCovering(db, q.deciders, q.id, q.domainIds)
    rows.peopleWithLines(db, q.deciders)
    rows.statusesOf(db, q.people)
  }
  const compare = (run: (rows: FocusRows, i: number) => void): { sql: Figures, memory: Figures } => {
    const sql: number[] = []
    const mem: number[] = []
    const once = (rows: FocusRows, i: number, into: number[]): void => {
      const start = performance.now()
      run(rows, i)
      into.push((performance.now() - start) * 1000)
    }
    for (let i = 0; i < ids.length; i++) {
      if (i % 2 === 0) { once(focusRows, i, sql); once(memory, i, mem) } else { once(memory, i, mem); once(focusRows, i, sql) }
    }
    return { sql: figures(sql), memory: figures(mem) }
  }
  // Warm-up of both (JIT, prepared statements), on other initiatives than those measured.
  for (let i = 0; i < 300; i++) {
    const id = `i${INITIATIVES - 1 - i}`
    loadFocusedData(db, id, shape)
    loadFocusedData(db, id, shape, memory)
  }
  const lookups = compare((rows, i) => { peopleSide(rows, asked[i]!) })
  const slices = compare((rows, i) => { loadFocusedData(db, ids[i]!, shape, rows) })
  runtime.db.$client.close()

  const f = (x: number): string => x.toFixed(1)
  const row = (name: string, { sql, memory }: { sql: Figures, memory: Figures }): string =>
    `${name.padEnd(40)} SQL mean ${f(sql.meanUs).padStart(7)} µs, p99 ${f(sql.p99Us).padStart(7)} µs | memory mean ${f(memory.meanUs).padStart(7)} µs ` +
    `(${(memory.meanUs / sql.meanUs).toFixed(2)}×), p99 ${f(memory.p99Us).padStart(7)} µs (${(memory.p99Us / sql.p99Us).toFixed(2)}×)`
  console.log(`slice rows — node ${process.version}, ${new Date().toISOString()}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  console.log(`organization: ${JSON.stringify(facts)}; ${SLICES} initiatives, SQL and memory interleaved`)
  console.log(row('people-side lookups of a slice', lookups))
  console.log(row('whole slice (loadFocusedData)', slices))
} finally {
  rmSync(dir, { recursive: true, force: true })
}
