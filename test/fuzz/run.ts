// The fuzzing loop: a tour that makes every operation succeed once, then seeded random requests, valid and
// mutated, each checked; failures keep the exact request for replay.
import type { Statement } from 'better-sqlite3'
import type { InjectOptions } from 'fastify'
import type { TestApp } from '../helper.js'
import { Checker } from './checks.js'
import { Drafter } from './draft.js'
import { ValueGenerator } from './generate.js'
import { mutate } from './mutate.js'
import { Rng } from './prng.js'
import { describe, render, type Draft } from './request.js'
import { routeOf, type Operation } from './spec.js'
import { collectionOf, Registry } from './state.js'

export interface FailureReport {
  index: number
  check: string
  detail: string
  request: string
}

export interface OperationStats {
  sent: number
  succeeded: number
  statuses: Map<number, number>
}

/** How often each operation is picked, against 1 for the rest: an audit, an import and an export read the whole registry. */
const WEIGHTS: Record<string, number> = { runAudit: 0.15, importBundle: 0.5, exportBundle: 0.3 }

export class Fuzzer {
  readonly registry = new Registry()
  readonly checker: Checker
  readonly stats = new Map<string, OperationStats>()
  readonly failures: FailureReport[] = []
  readonly failureCounts = new Map<string, number>()
  /** The statuses answered to the requests each mutation took part in. */
  readonly byMutation = new Map<string, Map<number, number>>()
  /** The slowest requests of the run, slowest first: printed, not asserted (times vary with the machine). */
  readonly slowest: { ms: number, index: number, status: number, request: string }[] = []
  sent = 0
  valid = 0
  /** The request sent and not answered yet. */
  private pending: { index: number, draft: Draft, options: InjectOptions } | undefined
  /** The request index of the last export: import bundles are made from it, so it should be recent. */
  private exportedAt = -Infinity
  private readonly rng: Rng
  private readonly values: ValueGenerator
  private readonly drafter: Drafter
  private readonly revision: Statement

  constructor (private readonly testApp: TestApp, readonly operations: Operation[], seed: number) {
    this.rng = new Rng(seed)
    this.values = new ValueGenerator(this.rng, this.registry, Date.now())
    this.drafter = new Drafter(this.rng, this.registry, this.values)
    this.checker = new Checker(operations)
    this.revision = testApp.app.runtime.db.$client.prepare('SELECT coalesce(max(revision), 0) AS n FROM changes').pluck()
    for (const op of operations) this.stats.set(op.id, { sent: 0, succeeded: 0, statuses: new Map() })
  }

  private operation (id: string): Operation {
    const op = this.operations.find((o) => o.id === id)
    if (op === undefined) throw new Error(`no operation ${id} in the document`)
    return op
  }

  /** Sends one request, checks the answer, learns from it; returns the status. */
  async send (draft: Draft): Promise<number> {
    const index = this.sent++
    if (draft.mutations.length === 0) this.valid++
    const options = render(draft, this.testApp.tokens)
    const before = this.revision.get() as number
    // FUZZ_TRACE=1 prints every request before it goes: the last one printed is the one a hang is stuck in.
    if (process.env.FUZZ_TRACE === '1') process.stderr.write(`#${index + 1} ${describe(draft, options)}\n`)
    const started = performance.now()
    this.pending = { index, draft, options }
    let res
    try {
      res = await this.testApp.app.inject(options)
    } catch (error) {
      this.record(index, draft, options, 'inject does not throw', String(error))
      return 0
    } finally {
      this.pending = undefined
    }
    this.noteTime(performance.now() - started, index, draft, options, res.statusCode)
    const wrote = (this.revision.get() as number) !== before
    const route = routeOf(this.operations, draft.method, String(options.url))
    for (const failure of this.checker.check(draft, route, res, wrote)) {
      this.record(index, draft, options, failure.check, `${failure.detail}\nanswer: ${res.statusCode} ${res.body.slice(0, 500)}`)
    }
    const stats = this.stats.get(draft.op.id)!
    stats.sent++
    stats.statuses.set(res.statusCode, (stats.statuses.get(res.statusCode) ?? 0) + 1)
    for (const name of draft.mutations) {
      const byStatus = this.byMutation.get(name) ?? new Map<number, number>()
      this.byMutation.set(name, byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1))
    }
    if (res.statusCode >= 200 && res.statusCode < 300 && route !== undefined && draft.method === route.method) {
      if (route === draft.op) stats.succeeded++
      if (route.id === 'exportBundle') this.exportedAt = index
      let body: unknown
      try { body = res.body === '' ? undefined : JSON.parse(res.body) } catch { body = undefined }
      this.registry.harvest(route, draft.params, res.statusCode, body, draft.query.some(([name]) => name === 'at'))
    }
    return res.statusCode
  }

  /** The request awaiting its answer, if any: what to show when the test times out. */
  get inFlight (): string | undefined {
    return this.pending === undefined ? undefined : `#${this.pending.index + 1} ${describe(this.pending.draft, this.pending.options)}`
  }

  private noteTime (ms: number, index: number, draft: Draft, options: InjectOptions, status: number): void {
    if (this.slowest.length >= 5 && ms <= this.slowest[this.slowest.length - 1]!.ms) return
    this.slowest.push({ ms, index, status, request: describe(draft, options).split('\n')[0]! + ' ' + String(options.method) + ' ' + String(options.url).slice(0, 120) })
    this.slowest.sort((a, b) => b.ms - a.ms)
    this.slowest.length = Math.min(this.slowest.length, 5)
  }

  private record (index: number, draft: Draft, options: InjectOptions, check: string, detail: string): void {
    this.failureCounts.set(check, (this.failureCounts.get(check) ?? 0) + 1)
    // Keep a few of each kind in full: enough to replay, not a flood.
    if (this.failures.filter((f) => f.check === check).length < 5) {
      this.failures.push({ index, check, detail, request: describe(draft, options) })
    }
  }

  /** A valid request as the admin, with no extras: for the start-up reads and the tour. */
  private plain (op: Operation): Draft {
    const draft = this.drafter.draft(op)
    if (op.authenticated) draft.auth = { kind: 'role', role: 'admin' }
    return draft
  }

  /** Learns the seeded registry: the export, the rules, the audit runs and their findings. */
  async learnSeed (): Promise<void> {
    for (const id of ['exportBundle', 'listRules', 'listAudits']) {
      const draft = this.plain(this.operation(id))
      draft.query = []
      await this.send(draft)
    }
    for (const audit of this.registry.list('audits')) {
      const draft = this.plain(this.operation('listFindings'))
      draft.params.id = audit.id
      draft.query = [['limit', '500']]
      await this.send(draft)
    }
  }

  /** Every operation until it succeeds once (at most `attempts` valid tries each), in document order. */
  async tour (attempts: number): Promise<string[]> {
    const never: string[] = []
    for (const op of this.operations) {
      const collection = collectionOf(op.path)
      const create = this.operations.find((o) => o.method === 'POST' && o.path === op.path.replace(/\/\{[^}]+\}$/, '') && collectionOf(o.path) === collection)
      let succeeded = false
      for (let i = 0; i < attempts && !succeeded; i++) {
        // Random ids first; if those keep missing, the newest record, and before a delete a new one to delete.
        this.values.touring = i >= attempts / 2
        if (this.values.touring && op.method === 'DELETE' && create !== undefined) await this.send(this.plain(create))
        const status = await this.send(this.plain(op))
        succeeded = status >= 200 && status < 300
      }
      if (!succeeded) never.push(op.id)
    }
    this.values.touring = false
    return never
  }

  /** Random requests until `total` have been sent: some valid, most mutated. */
  async random (total: number): Promise<void> {
    const choices = this.operations.map((op) => [WEIGHTS[op.id] ?? 1, op] as const)
    while (this.sent < total) {
      const op = this.replenish() ?? this.rng.weighted(choices)
      // An import made from a stale export would mostly be refused for records deleted since.
      if (op.id === 'importBundle' && this.sent - this.exportedAt > 50) await this.send(this.plain(this.operation('exportBundle')))
      const draft = this.drafter.draft(op)
      await this.send(this.rng.chance(0.4) ? draft : mutate(draft, this.rng))
    }
  }

  /** A create for a core collection that an import or deletes emptied, so that valid requests keep finding records. */
  private replenish (): Operation | undefined {
    for (const [collection, id] of [['people', 'createPerson'], ['domains', 'createDomain'], ['initiatives', 'createInitiative']] as const) {
      if (this.registry.pool(collection).size < 3) return this.operation(id)
    }
    return undefined
  }
}
