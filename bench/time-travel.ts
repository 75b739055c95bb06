// npm run bench:history — record reads at a past time against the same reads now, over real HTTP, on the seeded
// organization (10k people, 100k initiatives, 1M assignments) after a thousand changes each to people and initiatives.
// Needs wrk (apt-get install wrk).
import { deepStrictEqual } from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startProcess, stop, wrk, type Load } from './http-load.js'
import { writeSyntheticOrg } from './synthetic-org.js'

const KEY = 'wd_bench-admin-token-0123456789abcdef'
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15)
const ROUNDS = 3
const PORT = 3121
const PEOPLE = 10_000
/** After the seed (2026-01-01), before the changes this run makes: every record as seeded. */
const PAST = '2026-06-01T00:00:00.000Z'

/** One call; a 503 is tried again after its Retry-After, as a client should. */
async function api (method: string, path: string, body?: unknown): Promise<any> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`http://127.0.0.1:${PORT}${path}`, {
      method, headers: { authorization: `Bearer ${KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body)
    })
    const answer = await res.json()
    if (res.status === 503 && attempt < 10) {
      await new Promise((resolve) => setTimeout(resolve, 1000 * Number(res.headers.get('retry-after') ?? 1)))
      continue
    }
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(answer)}`)
    return answer
  }
}

/** Runs the tasks ten at a time. */
async function inParallel (tasks: (() => Promise<unknown>)[]): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: 10 }, async () => { while (next < tasks.length) await tasks[next++]!() }))
}

/** A thousand people get a title and a thousand initiatives move to another leaf domain: they have two versions now. */
async function change (): Promise<number> {
  const started = performance.now()
  await inParallel([
    ...Array.from({ length: 1000 }, (_, i) => async () => await api('PATCH', `/v1/people/p${i}`, { title: 'Changed' })),
    ...Array.from({ length: 1000 }, (_, i) => async () => {
      const initiative = await api('GET', `/v1/initiatives/i${i * 10}`)
      const [root, ...rest] = (initiative.domainId as string).split('.')
      return await api('PATCH', `/v1/initiatives/i${i * 10}`, { domainId: [root, ...rest.slice(0, -1), String((Number(rest.at(-1)) + 1) % 5)].join('.') })
    })
  ])
  return (performance.now() - started) / 1000
}

/** What a read at PAST must answer: the seeded version of each collection, and the first version of a changed record. */
async function check (): Promise<void> {
  for (const path of ['/v1/people/p5000', '/v1/people/p5', '/v1/domains/d0.1', '/v1/initiatives/i1', '/v1/assignments/i1-a0', '/v1/delegations/del-5',
    '/v1/influences/inf-7', '/v1/initiatives/i8/decisions/i8-dec']) {
    const now = await api('GET', path)
    const then = await api('GET', `${path}?at=${PAST}`)
    const changed = path === '/v1/people/p5'
    deepStrictEqual(then, changed ? { ...now, title: null, version: 1, updatedAt: now.createdAt } : now, path)
  }
  const now = await api('GET', '/v1/initiatives/i0')
  const then = await api('GET', `/v1/initiatives/i0?at=${PAST}`)
  if (then.version !== 1 || then.domainId === now.domainId) throw new Error('i0 at PAST is not its first version')
  const listed = await api('GET', `/v1/initiatives?domainId=${then.domainId as string}&at=${PAST}`)
  if (listed.items[0]?.id !== 'i0') throw new Error('i0 is not listed in its domain at PAST')
}

async function main (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-history-'))
  try {
    const file = join(dir, 'org.db')
    const seeding = performance.now()
    const facts = writeSyntheticOrg(file, { people: PEOPLE, initiatives: 100_000, assignmentsPerInitiative: 10 })
    const seeded = (performance.now() - seeding) / 1000

    const server = await startProcess(['dist/src/server.js'], {
      WHODECIDES_DB: file, WHODECIDES_BOOTSTRAP_KEY: KEY, WHODECIDES_LOG_LEVEL: 'warn', WHODECIDES_LOG_PRETTY: 'false',
      // This measures what a read costs, not load shedding: on a busy machine the overload guard would answer part of it with 503.
      WHODECIDES_MAX_EVENT_LOOP_DELAY_MS: '0'
    }, PORT)
    const rows: [string, Load[], Load[]][] = []
    let changing = 0
    try {
      changing = await change()
      await check()
      for (const [label, route] of [['GET /v1/people/{id}', 'person'], ['GET /v1/initiatives?domainId=', 'initiatives']] as const) {
        const env = { WD_KEY: KEY, WD_PEOPLE: String(PEOPLE), WD_ROUTE: route }
        const url = `http://127.0.0.1:${PORT}`
        wrk(url, 2, 'time-travel.lua', env)
        wrk(url, 2, 'time-travel.lua', { ...env, WD_AT: PAST })
        // Now and at, taken in turns: on a shared machine the load of others drifts, and would favour one side.
        const now: Load[] = []
        const past: Load[] = []
        for (let round = 0; round < ROUNDS; round++) {
          now.push(wrk(url, Math.max(1, Math.round(SECONDS / ROUNDS)), 'time-travel.lua', env))
          past.push(wrk(url, Math.max(1, Math.round(SECONDS / ROUNDS)), 'time-travel.lua', { ...env, WD_AT: PAST }))
        }
        rows.push([label, now, past])
      }
    } finally {
      await stop(server)
    }

    const f = (n: number, digits = 2): string => n.toFixed(digits)
    console.log(`time-travel benchmark — node ${process.version}, ${new Date().toISOString()}, wrk -t1 -c10, ${ROUNDS} rounds of now then at, ` +
      `${Math.round(SECONDS / ROUNDS)} s each; medians`)
    console.log(`organization: ${JSON.stringify(facts)}, with its change log and history (seeded in ${f(seeded, 1)} s)`)
    console.log(`changes: 1000 people and 1000 initiatives PATCHed over HTTP in ${f(changing, 1)} s; reads at ${PAST} answer their first version (checked)`)
    const median = (values: number[]): number => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]!
    for (const [label, now, past] of rows) {
      const rps = (loads: Load[]): string => f(median(loads.map((l) => l.rps)), 0)
      const p99 = (loads: Load[]): string => f(median(loads.map((l) => l.p99)), 3)
      const errors = [...now, ...past].reduce((n, l) => n + l.errors, 0)
      console.log(`${label.padEnd(32)} now ${rps(now)} req/s, p99 ${p99(now)} ms | at ${rps(past)} req/s, p99 ${p99(past)} ms | ` +
        `at/now throughput ${f(median(now.map((l, i) => past[i]!.rps / l.rps)))} (by round: ${now.map((l, i) => f(past[i]!.rps / l.rps)).join(', ')}), errors ${errors}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
