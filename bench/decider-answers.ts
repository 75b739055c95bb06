// npx tsx bench/decider-answers.ts: the cost of the answer's words, caveats and next up on "who decides?", in one
// process on one synthetic organization: the bare resolver (the resolver and the bare view) against the full answer
// with its caveats from the cache (the usual lookup), after a write elsewhere (which keeps the cached caveats), after
// a write in the initiative's own slice (judged afresh), and the first lookup of each; one at a time and in batches
// of 500. Prints per-lookup mean and p99 and their ratios to the bare resolver, with the load average.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { now } from '../src/clock.js'
import { resolveDecider } from '../src/registry/resolver.js'
import { Runtime } from '../src/runtime.js'
import { resolveDeciders, resolveInitiativeDecider } from '../src/services/deciders.js'
import { updateInitiative } from '../src/services/initiatives.js'
import { SYSTEM_ACTOR } from '../src/services/keys.js'
import { writeSyntheticOrg } from './synthetic-org.js'

const INITIATIVES = Number(process.env.BENCH_INITIATIVES ?? 20_000)
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 4000)
/** Lookups each after a write of its own (a durable commit each): fewer than the others. */
const AFTER_WRITES = Number(process.env.BENCH_AFTER_WRITES ?? 500)

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

/** Like time, with `before` run untimed before each sample. */
function timeAfter (n: number, before: (i: number) => void, run: (i: number) => void): Figures {
  const samples: number[] = []
  for (let i = 0; i < n; i++) {
    before(i)
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
  // A write before each lookup, untimed: the title of an initiative none of the measured ones' slices holds, or the
  // initiative's own title (its slice: the caveats are judged afresh).
  const measured = new Set([...ids, ...Array.from({ length: 500 }, (_, i) => `i${(i * 104729) % INITIATIVES}`)])
  const elsewhere = Array.from({ length: INITIATIVES }, (_, i) => `i${i}`).find((id) => !measured.has(id))!
  let edits = 0
  const retitle = (id: string): void => { updateInitiative(runtime.db, SYSTEM_ACTOR, id, { title: `Edited ${++edits}` }) }
  const afterWrites = Math.min(AFTER_WRITES, LOOKUPS)
  // The bare resolver pays the decider index's own refresh after a write: its baseline for the rows after a write.
  const bareAfter = timeAfter(afterWrites, () => retitle(elsewhere), (i) => bare(ids[i]!))
  const unrelated = timeAfter(afterWrites, () => retitle(elsewhere), (i) => resolveInitiativeDecider(runtime, ids[i]!))
  const inSlice = timeAfter(afterWrites, (i) => retitle(ids[i]!), (i) => resolveInitiativeDecider(runtime, ids[i]!))
  const baseAgain = time(LOOKUPS, (i) => bare(ids[i]!))
  const batchIds = Array.from({ length: 500 }, (_, i) => `i${(i * 104729) % INITIATIVES}`)
  const batchBase = time(5, () => { for (const id of batchIds) bare(id) })
  const batchCold = time(1, () => resolveDeciders(runtime, { initiativeIds: batchIds }))
  const batchWarm = time(5, () => resolveDeciders(runtime, { initiativeIds: batchIds }))
  const batchUnrelated = timeAfter(5, () => retitle(elsewhere), () => resolveDeciders(runtime, { initiativeIds: batchIds }))
  runtime.db.$client.close()

  const f = (x: number): string => x.toFixed(1)
  const baseline = { meanUs: (base.meanUs + baseAgain.meanUs) / 2, p99Us: (base.p99Us + baseAgain.p99Us) / 2 }
  const row = (name: string, x: Figures, b: Figures): string =>
    `${name.padEnd(52)} mean ${f(x.meanUs).padStart(8)} µs (${(x.meanUs / b.meanUs).toFixed(2)}×), p99 ${f(x.p99Us).padStart(8)} µs (${(x.p99Us / b.p99Us).toFixed(2)}×)`
  console.log(`decider answers — node ${process.version}, ${new Date().toISOString()}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  console.log(`organization: ${JSON.stringify(facts)}; ${LOOKUPS} lookups per row, in process (no HTTP)`)
  console.log(`bare resolver (resolver + bare view), before / after   mean ${f(base.meanUs)} / ${f(baseAgain.meanUs)} µs, p99 ${f(base.p99Us)} / ${f(baseAgain.p99Us)} µs`)
  console.log(row('full answer, caveats from the cache (usual)', warm, baseline))
  console.log(row('bare resolver after a write (its baseline below)', bareAfter, baseline))
  console.log(row('full answer after a write elsewhere ÷ bare after', unrelated, bareAfter))
  console.log(row('full answer after a write in its slice ÷ bare after', inSlice, bareAfter))
  console.log(row('full answer, first lookup (judged afresh)', cold, baseline))
  console.log(row('batch of 500, bare resolver', batchBase, batchBase))
  console.log(row('batch of 500, caveats from the cache', batchWarm, batchBase))
  console.log(row('batch of 500 after a write elsewhere', batchUnrelated, batchBase))
  console.log(row('batch of 500, first lookup (judged afresh)', batchCold, batchBase))
  console.log(`(after a write: ${afterWrites} lookups, each after a write of its own, untimed; ${(inSlice.meanUs / 1000).toFixed(2)} ms mean, ${(inSlice.p99Us / 1000).toFixed(2)} ms p99 in the slice)`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
