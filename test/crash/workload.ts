// The crash test's writes: concurrent creates, changes and deletes of several kinds of records over HTTP, keeping
// every write the server acknowledged (2xx) and every multi-row write it was sent, for the checks after a crash.
import { isDeepStrictEqual } from 'node:util'
import type { Random } from './random.js'

/** A write the server answered with a 2xx. */
export interface Ack {
  entity: string
  id: string
  /** X-Revision of the answer: the last change-log entry the write made. */
  revision: number
  /** The record the answer showed (its change-log entry must hold exactly this); null for a delete. */
  body: Record<string, unknown> | null
}

/** The rows one import was sent: all of them must exist, or none (and all of them once it was acknowledged). */
export interface BundleSent {
  rows: { entity: string, id: string, fields: Record<string, unknown> }[]
  acked: boolean
  revision: number | null
}

interface Answer { status: number, revision: number | null, body: any }

/** An acknowledged POST sent with an Idempotency-Key: sent again after a crash, it must get the same answer. */
interface KeyedPost { path: string, body: unknown, key: string, status: number, revision: number | null, answer: unknown, replayed: boolean }

/** What one burst did: writes sent, acknowledged, refused (by status), left without an answer by the kill. */
export interface BurstFigures { sent: number, acked: number, refused: Record<number, number>, unanswered: number, serverErrors: string[] }

export class Workload {
  readonly acks: Ack[] = []
  readonly bundles: BundleSent[] = []
  readonly #keyed: KeyedPost[] = []
  #seq = 0
  // Records known to exist (their create was acknowledged), to refer to from new writes.
  readonly #people: string[] = []
  readonly #domains: string[] = []
  readonly #initiatives: string[] = []
  /** Initiatives no decision has been sent for: the next decision moves one to decided. */
  readonly #undecided: string[] = []
  readonly #delegations: string[] = []

  constructor (private readonly random: Random, private readonly token: string, private readonly tag: string) {}

  /**
   * Keeps `concurrency` writes in flight against baseUrl until `until` settles (the moment the test kills the
   * server), then resolves once every write has its answer or its network error.
   */
  async burst (baseUrl: string, concurrency: number, until: Promise<unknown>): Promise<BurstFigures> {
    const figures: BurstFigures = { sent: 0, acked: 0, refused: {}, unanswered: 0, serverErrors: [] }
    let stopped = false
    void until.finally(() => { stopped = true })
    const worker = async (): Promise<void> => {
      while (!stopped) {
        figures.sent++
        const answer = await this.#write(baseUrl)
        if (answer === undefined) { figures.unanswered++; return }
        if (answer.status < 300) figures.acked++
        else figures.refused[answer.status] = (figures.refused[answer.status] ?? 0) + 1
        // 503 is the overload guard's or the shutdown's "retry later", a refusal like 429; any other 5xx is a fault.
        if (answer.status >= 500 && answer.status !== 503) figures.serverErrors.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`)
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    return figures
  }

  /** One write chosen at random among those the records known so far allow. */
  async #write (baseUrl: string): Promise<Answer | undefined> {
    const r = this.random
    const n = r.below(100)
    const send = async (method: string, path: string, body?: unknown): Promise<Answer | undefined> => await this.#send(baseUrl, method, path, body)
    let answer: Answer | undefined
    if (this.#people.length < 2 || n < 18) {
      const id = this.#id('p')
      answer = await send('POST', '/v1/people', {
        id, name: `Person ${id}`, email: `${id}@example.com`, tags: r.chance(0.3) ? ['executive'] : [],
        ...(this.#people.length > 0 && r.chance(0.5) ? { managerId: r.pick(this.#people) } : {})
      })
      this.#acked(answer, 201, 'people', id, () => this.#people.push(id))
    } else if (n < 32) {
      const id = r.pick(this.#people)
      const patch = r.chance(0.4) ? { status: r.pick(['active', 'on_leave'] as const) } : { title: `Title ${this.#seq++}` }
      answer = await send('PATCH', `/v1/people/${id}`, patch)
      this.#acked(answer, 200, 'people', id)
    } else if (this.#domains.length === 0 || n < 40) {
      const id = this.#id('d')
      answer = await send('POST', '/v1/domains', {
        id, name: `Domain ${id}`, ...(this.#domains.length > 0 && r.chance(0.6) ? { parentId: r.pick(this.#domains) } : {})
      })
      this.#acked(answer, 201, 'domains', id, () => this.#domains.push(id))
    } else if (n < 46) {
      const id = r.pick(this.#domains)
      answer = await send('PATCH', `/v1/domains/${id}`, { description: `Described at step ${this.#seq++}` })
      this.#acked(answer, 200, 'domains', id)
    } else if (this.#initiatives.length === 0 || n < 58) {
      const id = this.#id('i')
      answer = await send('POST', '/v1/initiatives', {
        id, title: `Initiative ${id}`, destination: 'Somewhere agreed', domainId: r.pick(this.#domains), status: r.pick(['proposed', 'active'] as const)
      })
      this.#acked(answer, 201, 'initiatives', id, () => { this.#initiatives.push(id); this.#undecided.push(id) })
    } else if (n < 66) {
      // Title and description only: an initiative's status moves only with a decision, which the checks rely on.
      const id = r.pick(this.#initiatives)
      answer = await send('PATCH', `/v1/initiatives/${id}`, r.chance(0.5) ? { title: `Retitled ${this.#seq++}` } : { description: `Step ${this.#seq++}` })
      this.#acked(answer, 200, 'initiatives', id)
    } else if (n < 78) {
      const id = this.#id('a')
      const target = r.chance(0.5) ? { initiativeId: r.pick(this.#initiatives) } : { domainId: r.pick(this.#domains) }
      answer = await send('POST', '/v1/assignments', { id, personId: r.pick(this.#people), role: r.pick(['R', 'A', 'C', 'I'] as const), ...target })
      this.#acked(answer, 201, 'assignments', id)
    } else if (n < 85) {
      const id = this.#id('g')
      const from = r.pick(this.#people)
      const to = r.pick(this.#people.filter((p) => p !== from))
      answer = await send('POST', '/v1/delegations', { id, fromPersonId: from, toPersonId: to, allScopes: true, reason: 'travel' })
      this.#acked(answer, 201, 'delegations', id, () => this.#delegations.push(id))
    } else if (n < 89 && this.#delegations.length > 0) {
      const id = this.#delegations.splice(r.below(this.#delegations.length), 1)[0]!
      answer = await send('DELETE', `/v1/delegations/${id}`)
      if (answer?.status === 204 && answer.revision !== null) this.acks.push({ entity: 'delegations', id, revision: answer.revision, body: null })
    } else if (n < 94 && this.#undecided.length > 0) {
      // Two rows in one transaction: the decision, and its initiative moved to decided.
      const initiative = this.#undecided.splice(r.below(this.#undecided.length), 1)[0]!
      const id = this.#id('c')
      answer = await send('POST', `/v1/initiatives/${initiative}/decisions`, {
        id, decidedBy: r.pick(this.#people), decidedAt: new Date().toISOString(), outcome: 'Go ahead'
      })
      this.#acked(answer, 201, 'decisions', id)
    } else {
      answer = await this.#import(baseUrl)
    }
    return answer
  }

  /** Many rows in one transaction: two people, a domain, an initiative in it and the first person accountable for it. */
  async #import (baseUrl: string): Promise<Answer | undefined> {
    const [p1, p2, d, i, a] = [this.#id('p'), this.#id('p'), this.#id('d'), this.#id('i'), this.#id('a')]
    const bundle = {
      people: [{ id: p1, name: `Person ${p1}`, email: `${p1}@example.com` }, { id: p2, name: `Person ${p2}`, email: `${p2}@example.com`, managerId: p1 }],
      domains: [{ id: d, name: `Domain ${d}` }],
      initiatives: [{ id: i, title: `Initiative ${i}`, domainId: d, status: 'active' }],
      assignments: [{ id: a, personId: p1, role: 'A', initiativeId: i, validFrom: '2026-01-01T00:00:00.000Z' }]
    }
    const sent: BundleSent = {
      rows: Object.entries(bundle).flatMap(([entity, rows]) => rows.map((fields) => ({ entity, id: fields.id, fields }))),
      acked: false,
      revision: null
    }
    this.bundles.push(sent)
    const answer = await this.#send(baseUrl, 'POST', '/v1/import', bundle)
    if (answer?.status === 200 && answer.revision !== null) {
      sent.acked = true
      sent.revision = answer.revision
      this.#people.push(p1, p2)
      this.#domains.push(d)
      this.#initiatives.push(i)
      this.#undecided.push(i)
    }
    return answer
  }

  #acked (answer: Answer | undefined, status: number, entity: string, id: string, then?: () => void): void {
    if (answer?.status !== status || answer.revision === null) return
    // The record as acknowledged: the answer less what the write did to the audit's findings (effects).
    const { effects: _effects, ...record } = answer.body as Record<string, unknown>
    this.acks.push({ entity, id, revision: answer.revision, body: record })
    then?.()
  }

  /** A new id, unique over the whole run (several runs never share a database). */
  #id (prefix: string): string {
    return `${prefix}-${this.tag}-${(this.#seq++).toString(36)}`
  }

  /**
   * Sends again, with the same Idempotency-Key, up to `max` acknowledged POSTs not sent again yet, the latest first
   * (those of the round the last kill ended): each must replay the first answer and write nothing. Returns what differed.
   */
  async replayKeyed (baseUrl: string, max: number): Promise<{ replayed: number, problems: string[] }> {
    const problems: string[] = []
    const due = this.#keyed.filter((k) => !k.replayed).slice(-max)
    for (const post of due) {
      post.replayed = true
      const res = await this.#request(baseUrl, 'POST', post.path, post.body, post.key)
      const revision = res.headers.get('x-revision')
      const answer = await res.json() as unknown
      if (res.status !== post.status || res.headers.get('idempotent-replayed') !== 'true' || revision !== String(post.revision) || !isDeepStrictEqual(answer, post.answer)) {
        problems.push(`POST ${post.path} with Idempotency-Key ${post.key} after the restart: ${res.status} replayed=${res.headers.get('idempotent-replayed')} revision ${revision},` +
          ` first ${post.status} revision ${post.revision}; ${JSON.stringify(answer).slice(0, 200)}`)
      }
    }
    return { replayed: due.length, problems }
  }

  /**
   * The answer, or undefined when none came (the server was killed); a body that did not arrive whole is no answer.
   * Some POSTs carry an Idempotency-Key, to be sent again after the next restart.
   */
  async #send (baseUrl: string, method: string, path: string, body?: unknown): Promise<Answer | undefined> {
    const key = method === 'POST' && this.random.chance(0.3) ? `crash-${this.tag}-${(this.#seq++).toString(36)}` : undefined
    try {
      const res = await this.#request(baseUrl, method, path, body, key)
      const text = await res.text()
      const revision = res.headers.get('x-revision')
      const answer = { status: res.status, revision: revision === null ? null : Number(revision), body: text === '' ? null : JSON.parse(text) }
      if (key !== undefined && res.ok) this.#keyed.push({ path, body, key, status: res.status, revision: answer.revision, answer: answer.body, replayed: false })
      return answer
    } catch {
      return undefined
    }
  }

  async #request (baseUrl: string, method: string, path: string, body: unknown, key: string | undefined): Promise<Response> {
    return await fetch(baseUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key === undefined ? {} : { 'idempotency-key': key })
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
  }
}
