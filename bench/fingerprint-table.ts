// npx tsx --expose-gc bench/fingerprint-table.ts: the Map of fingerprints an audit run is compared with
// (src/audit/run-store.ts) against the typed-array table it replaced (typed-fingerprint-table.ts), in this one
// process, for a run of 34k and of 340k findings: the time to build the run's table and compare it with the previous
// run's (what the store does per run), the young and full collections meanwhile, and the memory the run's table holds.
// Ratios are the typed table's over the Map's. What the request thread sees of either: none (docs/audit-process.md).
import { hash } from 'node:crypto'
import { PerformanceObserver, constants } from 'node:perf_hooks'
import { FingerprintTable } from './typed-fingerprint-table.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15)
const collect = (globalThis as { gc?: () => void }).gc
if (collect === undefined) throw new Error('run with --expose-gc (npx tsx --expose-gc bench/fingerprint-table.ts)')

/** What the store needs of the run before: the first row id of each fingerprint, which ones hold, which no longer do. */
interface Held {
  has (fingerprint: string): boolean
  addIfAbsent (fingerprint: string, id: number): void
  idsMissingFrom (other: Held): number[]
}

/** The same over a Map, as the store holds it (run-store.ts). */
class MapHeld implements Held {
  readonly ids = new Map<string, number>()
  has (fingerprint: string): boolean { return this.ids.has(fingerprint) }
  addIfAbsent (fingerprint: string, id: number): void { if (!this.ids.has(fingerprint)) this.ids.set(fingerprint, id) }
  idsMissingFrom (other: Held): number[] {
    const missing: number[] = []
    for (const [fingerprint, id] of this.ids) if (!other.has(fingerprint)) missing.push(id)
    return missing.sort((a, b) => a - b)
  }
}

const kinds: Record<string, (capacity: number) => Held> = {
  map: () => new MapHeld(),
  table: (capacity) => new FingerprintTable(capacity)
}

/**
 * Two runs' fingerprints as the store meets them: strings made one by one (as the rules' findings are), the next run
 * holding 95 % of the previous one's and 5 % new.
 */
function runs (n: number): { before: string[], now: string[] } {
  const fingerprint = (i: number): string => hash('sha256', `finding ${i}`, 'hex').slice(0, 32)
  const before = Array.from({ length: n }, (_, i) => fingerprint(i))
  const now = Array.from({ length: n }, (_, i) => fingerprint(i < n * 0.95 ? i : n + i))
  return { before, now }
}

/** `heapBytes`, `bufferBytes`: what the run's table holds once collected, on the JS heap and in array buffers. */
interface Sample { ms: number, young: number, youngMs: number, full: number, fullMs: number, heapBytes: number, bufferBytes: number }

const gcs: { kind: number, startTime: number, duration: number }[] = []
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcs.push({ kind: (entry as unknown as { detail: { kind: number } }).detail.kind, startTime: entry.startTime, duration: entry.duration })
}).observe({ entryTypes: ['gc'] })

/**
 * Builds the previous run's held fingerprints (not timed), then times the store's work for the next run, over
 * strings of its own (as the run's rows bring them, dropped with the rows once it is stored: a Map keeps them).
 */
async function sample (make: (capacity: number) => Held, data: { before: string[], now: string[] }): Promise<Sample> {
  const held = make(data.before.length)
  data.before.forEach((f, i) => { held.addIfAbsent(f, i + 1) })
  collect!()
  const before = process.memoryUsage()
  let rows: string[] | undefined = JSON.parse(JSON.stringify(data.now)) as string[]
  const started = performance.now()
  // As the store does: each finding of the run looked up in the previous run, then added to this run's table.
  const nowHeld = make(rows.length)
  let persisting = 0
  rows.forEach((f, i) => {
    if (held.has(f)) persisting++
    nowHeld.addIfAbsent(f, data.before.length + i + 1)
  })
  const resolved = held.idsMissingFrom(nowHeld)
  const ended = performance.now()
  const ms = ended - started
  rows = undefined
  await new Promise((resolve) => setTimeout(resolve, 20)) // the observer's entries, delivered
  const during = gcs.filter((g) => g.startTime >= started && g.startTime < ended)
  gcs.length = 0
  collect!()
  const after = process.memoryUsage()
  if (!nowHeld.has(data.now[0]!)) throw new Error('the run\'s table was lost') // and kept alive until here
  if (persisting !== Math.ceil(data.now.length * 0.95) || resolved.length !== data.now.length - persisting || rows !== undefined) throw new Error('wrong answer')
  const young = during.filter((g) => g.kind === constants.NODE_PERFORMANCE_GC_MINOR)
  const full = during.filter((g) => g.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
  const sum = (list: { duration: number }[]): number => list.reduce((s, g) => s + g.duration, 0)
  return { ms, young: young.length, youngMs: sum(young), full: full.length, fullMs: sum(full), heapBytes: after.heapUsed - before.heapUsed, bufferBytes: after.arrayBuffers - before.arrayBuffers }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const f = (n: number, digits = 2): string => n.toFixed(digits)

console.log(`fingerprint table against a Map — node ${process.version}, ${new Date().toISOString()}, ${ROUNDS} rounds each, alternating; medians`)
for (const n of [34_000, 340_000]) {
  const data = runs(n)
  const samples: Record<string, Sample[]> = { map: [], table: [] }
  for (let round = 0; round < ROUNDS + 2; round++) {
    for (const name of round % 2 === 0 ? ['map', 'table'] : ['table', 'map']) {
      const s = await sample(kinds[name]!, data)
      if (round >= 2) samples[name]!.push(s) // two rounds of warm-up
    }
  }
  const m = (name: string, key: keyof Sample): number => median(samples[name]!.map((s) => s[key]))
  const spread = (name: string): string => `${f(Math.min(...samples[name]!.map((s) => s.ms)))}–${f(Math.max(...samples[name]!.map((s) => s.ms)))}`
  console.log(`${n} fingerprints: look up and build the run's, compare with the previous run's`)
  for (const name of ['map', 'table']) {
    console.log(`  ${name.padEnd(5)} ${f(m(name, 'ms'))} ms (${spread(name)}), young GCs ${m(name, 'young')} (${f(m(name, 'youngMs'))} ms), ` +
      `full GCs ${m(name, 'full')} (${f(m(name, 'fullMs'))} ms); the run's table holds ${f(m(name, 'heapBytes') / 1048576)} MiB of JS heap + ${f(m(name, 'bufferBytes') / 1048576)} MiB of array buffers`)
  }
  console.log(`  table/map: time ${f(m('table', 'ms') / m('map', 'ms'))}, GC time ${f((m('table', 'youngMs') + m('table', 'fullMs')) / Math.max(m('map', 'youngMs') + m('map', 'fullMs'), 0.001))}, ` +
    `memory held ${f((m('table', 'heapBytes') + m('table', 'bufferBytes')) / (m('map', 'heapBytes') + m('map', 'bufferBytes')))}`)
}
