// Valid values for any schema of the document, shaped by the field's name: ids of records that exist (mostly) or
// not, times that fit the field, unique emails, texts with odd but valid Unicode, lengths up to the limits.
import type { Rng } from './prng.js'
import type { Operation, Schema } from './spec.js'
import { collectionOf, COLLECTIONS, type Collection, type Known, type Registry } from './state.js'
import { ONE_LINE_PATTERN } from '../../src/schemas/text.js'
import { isSimplePattern, ODD_STRINGS, samplePattern, timeFor } from './values.js'

/** Fields that name a record of another collection. */
const REFERENCES: Record<string, Collection> = {
  personId: 'people', managerId: 'people', decidedBy: 'people', fromPersonId: 'people', toPersonId: 'people', overPersonId: 'people',
  domainId: 'domains', parentId: 'domains', initiativeId: 'initiatives', initiativeIds: 'initiatives', ruleId: 'rules'
}

/** The fields of which a record has exactly one (its target or scope): a valid body sets one of those present. */
const TARGETS = ['initiativeId', 'domainId', 'allScopes', 'overPersonId']

/** Odd strings that are still valid text where any text goes: one line, well-formed, not blank (src/schemas/text.ts). */
const VALID_ODD = ODD_STRINGS.filter((s) => new RegExp(ONE_LINE_PATTERN, 'u').test(s))

const KNOWN_TAGS = ['founder', 'shareholder', 'board', 'executive', 'advisor', 'external']
const WORDS = ['pricing', 'hiring', 'roadmap', 'Ada', 'Grace', 'Élodie', 'Zoë', 'Łukasz', 'İlkay', '李雷', 'Müller', 'plan', 'go', 'no-go', '🚀']

/** Extra context while generating one request's values. */
export interface Scope {
  op: Operation
  /** The record a PATCH or DELETE targets, when known. */
  target?: Known
  /** The collection of the row being made, inside an import bundle. */
  collection?: Collection
}

export class ValueGenerator {
  private counter = 0
  private readonly idempotencyKeys: string[] = []

  constructor (private readonly rng: Rng, private readonly registry: Registry, private readonly now: number) {}

  /** A fresh id that no record has: the run's counter keeps it unique. */
  freshId (): string {
    return `fz-${(++this.counter).toString(36)}-${this.rng.word(1, 4)}`
  }

  /**
   * On the tour's later tries, ids name the newest record that exists: the tour creates one just before it tries a
   * delete again, and a new record is one that nothing points at yet.
   */
  touring = false

  /** An id of the collection: mostly one that exists, sometimes one deleted before, or one never used. */
  refId (collection: Collection, existing = 0.85): string {
    const pool = this.registry.pool(collection)
    const gone = this.registry.gone(collection)
    if (this.touring && pool.size > 0) return pool.at(pool.size - 1).id
    const r = this.rng.next()
    if (pool.size > 0 && r < existing) return pool.at(this.rng.int(0, pool.size - 1)).id
    if (gone.length > 0 && r < existing + 0.07) return this.rng.pick(gone)
    return `nx-${this.rng.word(3, 10)}`
  }

  /** A value valid under the schema, shaped by the field's name. */
  value (schema: Schema, name: string, scope: Scope): unknown {
    if (Array.isArray(schema.anyOf)) {
      const branches = schema.anyOf as Schema[]
      const nonNull = branches.filter((b) => b.type !== 'null')
      if (nonNull.length < branches.length && (nonNull.length === 0 || this.rng.chance(0.15))) return null
      return this.value(this.rng.pick(nonNull), name, scope)
    }
    if (Array.isArray(schema.enum)) return this.rng.pick(schema.enum)
    if ('const' in schema) return schema.const
    switch (schema.type) {
      case 'object': return this.object(schema, name, scope)
      case 'array': return this.array(schema, name, scope)
      case 'string': return this.string(schema, name, scope)
      case 'integer': return this.integer(schema, name)
      case 'number': return this.number(schema)
      case 'boolean': return this.rng.chance(0.5)
      case 'null': return null
      default: return this.rng.chance(0.5) ? {} : this.rng.word()
    }
  }

  private object (schema: Schema, name: string, outer: Scope): Record<string, unknown> {
    if (name === 'options' && outer.op.path.includes('/rules/')) return this.ruleOptions(outer)
    const row = name.replace(/\[\]$/, '')
    const scope = (COLLECTIONS as readonly string[]).includes(row) ? { ...outer, collection: row as Collection } : outer
    const properties = (schema.properties ?? {}) as Record<string, Schema>
    const required = new Set<string>(schema.required ?? [])
    const out: Record<string, unknown> = {}
    const targets = Object.keys(properties).filter((k) => TARGETS.includes(k) && !required.has(k))
    const chosen = targets.length >= 2 && this.rng.chance(0.85) ? this.rng.pick(targets) : undefined
    for (const [key, child] of Object.entries(properties)) {
      if (chosen !== undefined && targets.includes(key)) {
        if (key === chosen) out[key] = key === 'allScopes' ? true : this.value(child, key, scope)
        // On a PATCH the stored record keeps its old target unless it is cleared.
        else if (this.rng.chance(scope.target !== undefined ? 0.8 : 0.2)) out[key] = key === 'allScopes' ? false : null
        continue
      }
      const include = required.has(key) || this.rng.chance(key === 'id' ? 0.3 : 0.5)
      if (include) out[key] = this.value(child, key, scope)
    }
    const minProperties = schema.minProperties ?? 0
    for (const key of Object.keys(properties)) {
      if (Object.keys(out).length >= minProperties) break
      if (!(key in out)) out[key] = this.value(properties[key]!, key, scope)
    }
    if (schema.additionalProperties === true && Object.keys(properties).length === 0 && this.rng.chance(0.3)) {
      out[this.rng.word()] = this.rng.word()
    }
    return out
  }

  /** Options for a rule, from the optionsSchema the rule itself publishes. */
  private ruleOptions (scope: Scope): Record<string, unknown> {
    const optionsSchema = scope.target?.record?.optionsSchema as Schema | undefined
    if (optionsSchema === undefined || optionsSchema.type !== 'object') return {}
    return this.object({ ...optionsSchema, additionalProperties: false }, 'rule-options', scope)
  }

  private array (schema: Schema, name: string, scope: Scope): unknown[] {
    const min = schema.minItems ?? 0
    // Now and then as long as allowed (up to 500 items), mostly short.
    const max = this.rng.chance(0.02) ? Math.min(schema.maxItems ?? 20, 500) : Math.min(schema.maxItems ?? 5, min + 4)
    const items: unknown[] = []
    const seen = new Set<string>()
    for (let n = this.rng.int(min, max), tries = 0; items.length < n && tries < n * 4; tries++) {
      const item = this.value(schema.items ?? {}, `${name}[]`, scope)
      const key = JSON.stringify(item)
      if (schema.uniqueItems === true && seen.has(key)) continue
      seen.add(key)
      items.push(item)
    }
    return items
  }

  string (schema: Schema, name: string, scope: Scope): string {
    const bare = name.replace(/\[\]$/, '')
    const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern, 'u') : undefined
    const fits = (s: string): boolean => (pattern === undefined || pattern.test(s)) &&
      s.length <= (schema.maxLength ?? Infinity) && s.length >= (schema.minLength ?? 0)
    const candidate = this.hinted(schema, bare, scope)
    if (candidate !== undefined && fits(candidate)) return candidate
    if (typeof schema.pattern === 'string') {
      if (isSimplePattern(schema.pattern)) return samplePattern(this.rng, schema.pattern).slice(0, schema.maxLength ?? undefined)
      // A richer pattern (a text's, a header's token syntax): the fallback texts first, which fit a text's pattern
      // with odd Unicode and up to its length, then plain words.
      for (let i = 0; i < 20; i++) {
        const guess = i < 10 ? this.text(schema.minLength ?? 0, schema.maxLength ?? 30) : this.rng.word(Math.max(1, schema.minLength ?? 1), 12)
        if (fits(guess)) return guess
      }
      throw new Error(`${name}: no value found for the pattern ${schema.pattern as string}; teach the generator (test/fuzz/generate.ts)`)
    }
    return this.text(schema.minLength ?? 0, schema.maxLength ?? 60)
  }

  /** A string that means something for this field, or undefined to fall back on the schema alone. */
  private hinted (schema: Schema, name: string, scope: Scope): string | undefined {
    const reference = REFERENCES[name]
    if (reference !== undefined) return this.refId(reference)
    if (schema.format === 'date-time') return timeFor(this.rng, name, this.now)
    if (schema.format === 'email' || name === 'email') {
      const emails = [...this.registry.emails]
      if (emails.length > 0 && this.rng.chance(0.08)) return this.rng.pick(emails).toUpperCase()
      return `${this.freshId()}@example.com`
    }
    switch (name) {
      case 'id': return this.rng.chance(0.85) ? this.freshId() : this.refId(scope.collection ?? collectionOf(scope.op.path) ?? 'people', 1)
      case 'entityId': return this.refId(this.rng.pick(['people', 'domains', 'initiatives', 'assignments'] as const))
      case 'fingerprint': {
        const fingerprints = [...this.registry.fingerprints]
        return fingerprints.length > 0 && this.rng.chance(0.85) ? this.rng.pick(fingerprints) : undefined
      }
      case 'cursor': {
        const own = this.registry.cursors(scope.op.id)
        if (own.length > 0 && this.rng.chance(0.8)) return this.rng.pick(own)
        const any = this.registry.allCursors()
        return any.length > 0 ? this.rng.pick(any) : undefined
      }
      case 'tags': case 'tag': return this.rng.chance(0.7) ? this.rng.pick(KNOWN_TAGS) : undefined
      case 'externalId': return `HR-${this.freshId()}`
      case 'idempotency-key': {
        // Reused now and then: the same key again replays (same body) or is refused (another body).
        if (this.idempotencyKeys.length > 0 && this.rng.chance(0.3)) return this.rng.pick(this.idempotencyKeys)
        const key = `fz-key-${this.freshId()}`
        if (this.idempotencyKeys.length < 30) this.idempotencyKeys.push(key)
        return key
      }
      default: return undefined
    }
  }

  /**
   * Words, now and then with characters from far corners of Unicode that are still valid text; now and then exactly
   * as long as allowed (in code points, as JSON Schema counts, so an astral character counts once).
   */
  private text (min: number, max: number): string {
    let out = ''
    while (out.length < Math.max(min, 1)) {
      out += (out === '' ? '' : ' ') + (this.rng.chance(0.1) ? this.rng.pick(VALID_ODD) : this.rng.pick(WORDS))
    }
    if (this.rng.chance(0.03)) {
      const codePoints = [...out]
      while (codePoints.length < max) codePoints.push('·')
      return codePoints.slice(0, max).join('')
    }
    if (this.rng.chance(0.01)) return '🦄'.repeat(max)
    return [...out].slice(0, Math.min(max, Math.max(min, 60))).join('')
  }

  private integer (schema: Schema, name: string): number {
    const min = schema.minimum ?? 0
    const max = schema.maximum ?? min + 1000
    if (name === 'limit') return this.rng.weighted([[6, this.rng.int(min, Math.min(max, 10))], [3, this.rng.int(min, Math.min(max, 100))], [1, max]])
    if (name === 'since') return this.rng.chance(0.05) ? max : this.rng.int(0, 2000)
    return this.rng.chance(0.1) ? this.rng.pick([min, Math.min(max, Number.MAX_SAFE_INTEGER)]) : this.rng.int(min, Math.min(max, min + 1000))
  }

  private number (schema: Schema): number {
    const min = schema.minimum ?? -1000
    const max = schema.maximum ?? 1000
    return this.rng.chance(0.1) ? this.rng.pick([min, max]) : Math.round((min + this.rng.next() * (max - min)) * 100) / 100
  }
}
