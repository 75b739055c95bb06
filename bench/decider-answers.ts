// npx tsx bench/decider-answers.ts: the cost of the answer's words, caveats and next up on "who decides?", in one
// process on one synthetic organization: main's path (the resolver and the bare view) against the full answer with
// its caveats judged afresh (the first lookup of an initiative after a write) and from the cache (the usual lookup),
// one at a time and in batches of 500. Prints per-lookup mean and p99 and their ratios to main's path.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { now } from '../src/clock.js'
import { resolveDecider } from '../src/registry/resolver.js'
import { Runtime } from '../src/runtime.js'
import { resolveDeciders, resolveInitiativeDecider } from '../src/services/deciders.js'
import { writeSyntheticOrg } from './synthetic-org.js'

const INITIATIVES = Number(process.env.BENCH_INITIATIVES ?? 20_000)
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 4000)

interface Figures { meanUs: number, p99Us: number }

function time (n: number, run: (i: number) => void): Figures {
  const samples: number[] = []
  for (let i = 0; i < n; i++) {
    const start = performance.now()
    run(i)
    samples.push((performance.now() - start) * 1000)
  }
  samples.sort((a, b) => a - b)
  return { meanUs: samples.reduce((s, x) => s + x, 0) / n, p99Us: samples[Math.floor(n * 0.99)]! }
}

const dir = mkdtempSync(join(tmpdir(), 'whodecides-answers-'))
try {
  const file = join(dir, 'org.db')
  const facts = writeSyntheticOrg(file, { people: 10_000, initiatives: INITIATIVES, assignmentsPerInitiative: 10 })
  const runtime = Runtime.open(file)
  runtime.deciders.refresh()
  const ids = Array.from({ length: LOOKUPS }, (_, i) => `i${(i * 7919) % INITIATIVES}`)
  // Main's path: the resolver over the index, and the view main answered with.
  const bare = (id: string): unknown => {
    const at = now()
    const a = resolveDecider(runtime.deciders.sourceAt(at), { kind: 'initiative', id }, at)
    return { initiativeId: id, at: a.at, decisionRule: a.decisionRule, resolution: a.resolution, deciders: a.deciders, absent: a.absent }
  }
  // Warm-up of both paths (JIT, prepared statements), on other initiatives than those measured.
  for (let i = 0; i < 500; i++) { bare(`i${INITIATIVES - 1 - i}`); resolveInitiativeDecider(runtime, `i${INITIATIVES - 1 - i}`) }

  const base = time(LOOKUPS, (i) => bare(ids[i]!))
  const cold = time(LOOKUPS, (i) => resolveInitiativeDecider(runtime, ids[i]!))
  const warm = time(LOOKUPS, (i) => resolveInitiativeDecider(runtime, ids[i]!))
  const baseAgain = time(LOOKUPS, (i) => bare(ids[i]!))
  const batchIds = Array.from({ length: 500 }, (_, i) => `i${(i * 104729) % INITIATIVES}`)
  const batchBase = time(5, () => { for (const id of batchIds) bare(id) })
  const batchCold = time(1, () => resolveDeciders(runtime, { initiativeIds: batchIds }))
  const batchWarm = time(5, () => resolveDeciders(runtime, { initiativeIds: batchIds }))
  runtime.db.$client.close()

  const f = (x: number): string => x.toFixed(1)
  const baseline = { meanUs: (base.meanUs + baseAgain.meanUs) / 2, p99Us: (base.p99Us + baseAgain.p99Us) / 2 }
  const row = (name: string, x: Figures, b: Figures): string =>
    `${name.padEnd(52)} mean ${f(x.meanUs).padStart(8)} µs (${(x.meanUs / b.meanUs).toFixed(2)}×), p99 ${f(x.p99Us).padStart(8)} µs (${(x.p99Us / b.p99Us).toFixed(2)}×)`
  console.log(`decider answers — node ${process.version}, ${new Date().toISOString()}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  console.log(`organization: ${JSON.stringify(facts)}; ${LOOKUPS} lookups per row, in process (no HTTP)`)
  console.log(`main's path (resolver + bare view), before / after   mean ${f(base.meanUs)} / ${f(baseAgain.meanUs)} µs, p99 ${f(base.p99Us)} / ${f(baseAgain.p99Us)} µs`)
  console.log(row('full answer, caveats judged afresh (after a write)', cold, baseline))
  console.log(row('full answer, caveats from the cache (usual)', warm, baseline))
  console.log(row('batch of 500, main\'s path', batchBase, batchBase))
  console.log(row('batch of 500, caveats judged afresh', batchCold, batchBase))
  console.log(row('batch of 500, caveats from the cache', batchWarm, batchBase))
} finally {
  rmSync(dir, { recursive: true, force: true })
}
