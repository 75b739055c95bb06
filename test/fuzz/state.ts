// What the fuzzer knows of the registry: the ids that exist (with their last version), ids now gone, cursors and
// fingerprints it has seen. It learns all of it from the answers, so valid requests can name real records.
import type { Operation } from './spec.js'

export interface Known {
  id: string
  /** The initiative a decision belongs to. */
  parent?: string
  /** The version last seen, for If-Match; undefined when an import may have changed it unseen. */
  version?: number
  record?: Record<string, any>
}

/** Collections whose records the fuzzer can name by id in paths and references. */
export const COLLECTIONS = ['people', 'domains', 'initiatives', 'assignments', 'delegations', 'influences', 'decisions', 'audits', 'waivers', 'keys', 'rules'] as const
export type Collection = typeof COLLECTIONS[number]

const isCollection = (segment: string | undefined): segment is Collection => (COLLECTIONS as readonly string[]).includes(segment ?? '')

/** The collection an operation's records belong to, from its path: /v1/initiatives/{id}/decisions → decisions. */
export function collectionOf (path: string): Collection | undefined {
  const literal = path.split('/').filter((s) => s !== '' && !s.startsWith('{'))
  const last = literal[literal.length - 1]
  return isCollection(last) ? last : undefined
}

/** The collection a path parameter names: {id} after /people is a person, {decisionId} a decision. */
export function collectionOfParam (path: string, name: string): Collection | undefined {
  const segments = path.split('/')
  const at = segments.indexOf(`{${name}}`)
  const before = segments[at - 1]
  return isCollection(before) ? before : undefined
}

/** Records by id, with an array beside the map so that a random pick costs O(1). */
class Pool {
  private readonly byId = new Map<string, Known>()
  private readonly ids: string[] = []
  private readonly index = new Map<string, number>()

  get size (): number { return this.ids.length }
  get (id: string): Known | undefined { return this.byId.get(id) }
  at (i: number): Known { return this.byId.get(this.ids[i]!)! }
  values (): IterableIterator<Known> { return this.byId.values() }

  set (id: string, known: Known): void {
    if (!this.byId.has(id)) {
      this.index.set(id, this.ids.length)
      this.ids.push(id)
    }
    this.byId.set(id, known)
  }

  delete (id: string): boolean {
    const i = this.index.get(id)
    if (i === undefined) return false
    const last = this.ids.pop()!
    if (last !== id) {
      this.ids[i] = last
      this.index.set(last, i)
    }
    this.index.delete(id)
    this.byId.delete(id)
    return true
  }
}

export class Registry {
  private readonly pools = new Map<Collection, Pool>()
  private readonly goneIds = new Map<Collection, string[]>()
  private readonly cursorsByOperation = new Map<string, string[]>()
  readonly fingerprints = new Set<string>()
  readonly emails = new Set<string>()
  /** Tokens of keys the fuzzer issued, live or revoked. */
  readonly tokens: { id: string, token: string, live: boolean }[] = []
  /** The last export, the base of valid import bundles. */
  bundle: Record<string, any[]> | undefined

  pool (collection: Collection): Pool {
    let pool = this.pools.get(collection)
    if (pool === undefined) this.pools.set(collection, pool = new Pool())
    return pool
  }

  list (collection: Collection): Known[] {
    return [...this.pool(collection).values()]
  }

  gone (collection: Collection): string[] {
    return this.goneIds.get(collection) ?? []
  }

  cursors (operationId: string): string[] {
    return this.cursorsByOperation.get(operationId) ?? []
  }

  allCursors (): string[] {
    return [...this.cursorsByOperation.values()].flat()
  }

  learn (collection: Collection, known: Known): void {
    const pool = this.pool(collection)
    const old = pool.get(known.id)
    pool.set(known.id, { ...old, ...Object.fromEntries(Object.entries(known).filter(([, v]) => v !== undefined)) } as Known)
    if (collection === 'people' && typeof known.record?.email === 'string') this.emails.add(known.record.email)
  }

  forget (collection: Collection, id: string): void {
    if (this.pool(collection).delete(id)) {
      const gone = this.goneIds.get(collection) ?? []
      if (gone.length < 200) gone.push(id)
      this.goneIds.set(collection, gone)
    }
  }

  /**
   * Learns from one 2xx answer: what was created, changed, listed, exported, imported or deleted. An answer about
   * a past time (`at`) shows old versions, maybe of records gone since: only its cursor is kept.
   */
  harvest (op: Operation, params: Record<string, string>, status: number, body: unknown, past = false): void {
    const collection = collectionOf(op.path)
    const parent = collection === 'decisions' ? params.id : undefined
    if (op.method === 'DELETE' && status === 204 && collection !== undefined) {
      const id = params[op.path.endsWith('{decisionId}') ? 'decisionId' : 'id']!
      this.forget(collection, id)
      if (collection === 'keys') for (const k of this.tokens) if (k.id === id) k.live = false
      return
    }
    if (body === null || typeof body !== 'object') return
    const b = body as Record<string, any>
    this.collectFingerprints(b, 0)
    if (typeof b.nextCursor === 'string') {
      const cursors = this.cursorsByOperation.get(op.id) ?? []
      if (cursors.length < 50) cursors.push(b.nextCursor)
      this.cursorsByOperation.set(op.id, cursors)
    }
    if (past) return
    if (op.id === 'exportBundle') return this.learnBundle(b)
    if (op.id === 'importBundle') return this.learnImport(b)
    if (collection === undefined) return
    // Only keys the fuzzer issued: revoking the test's own keys would lock it out.
    if (collection === 'keys') {
      if (op.method === 'POST' && typeof b.token === 'string') {
        this.learn('keys', { id: b.id, record: b })
        this.tokens.push({ id: b.id, token: b.token, live: true })
      }
      return
    }
    const rows: unknown[] = Array.isArray(b.items) ? b.items : typeof b.id === 'string' ? [b] : []
    for (const row of rows) {
      if (row === null || typeof row !== 'object' || typeof (row as Known).id !== 'string') continue
      const r = row as Record<string, any>
      this.learn(collection, { id: r.id, version: typeof r.version === 'number' ? r.version : undefined, record: r, parent: parent ?? r.initiativeId })
    }
  }

  private collectFingerprints (value: unknown, depth: number): void {
    if (depth > 4 || value === null || typeof value !== 'object' || this.fingerprints.size >= 500) return
    if (Array.isArray(value)) {
      for (const v of value.slice(0, 100)) this.collectFingerprints(v, depth + 1)
      return
    }
    for (const [k, v] of Object.entries(value)) {
      if (k === 'fingerprint' && typeof v === 'string') this.fingerprints.add(v)
      else if (typeof v === 'object') this.collectFingerprints(v, depth + 1)
    }
  }

  private learnBundle (bundle: Record<string, any>): void {
    this.bundle = bundle
    for (const [name, rows] of Object.entries(bundle)) {
      if (!Array.isArray(rows) || !isCollection(name)) continue
      for (const r of rows) this.learn(name, { id: r.id, record: r, parent: name === 'decisions' ? r.initiativeId : undefined })
    }
  }

  private learnImport (report: Record<string, any>): void {
    if (report.dryRun === true) return
    for (const [name, outcome] of Object.entries((report.collections ?? {}) as Record<string, any>)) {
      if (!isCollection(name)) continue
      // The import changed these records without showing their versions.
      for (const id of [...outcome.ids.created, ...outcome.ids.updated]) {
        const old = this.pool(name).get(id)
        this.pool(name).set(id, { ...old, id, version: undefined })
      }
      for (const id of outcome.ids.removed) this.forget(name, id)
    }
  }
}
