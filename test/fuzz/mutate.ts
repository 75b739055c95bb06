// Mutators: each turns a valid request into a bad one in one way (wrong types, missing and extra fields, huge,
// empty and odd strings, __proto__ keys, broken JSON, bad ids, times, query values and headers).
import type { Rng } from './prng.js'
import type { Draft } from './request.js'
import type { Schema } from './spec.js'
import { anyOtherValue, BAD_IDS, BAD_TIMES, hugeString, ODD_STRINGS } from './values.js'

/** One place in the body: a member of an object or an item of an array, with the schema it should follow. */
interface Slot {
  container: Record<string, unknown> | unknown[]
  key: string | number
  schema: Schema
  required: boolean
}

const typeOf = (v: unknown): string => v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v

/** The branch of a union that the value follows, so that nested fields keep their own schema. */
function branch (schema: Schema, value: unknown): Schema {
  if (!Array.isArray(schema.anyOf)) return schema
  const t = typeOf(value)
  return (schema.anyOf as Schema[]).find((b) => b.type === t || (t === 'integer' && b.type === 'number') || (b.anyOf !== undefined && branch(b, value) !== b)) ?? schema
}

function slotsOf (value: unknown, schema: Schema, out: Slot[] = [], depth = 0): Slot[] {
  if (depth > 6 || value === null || typeof value !== 'object') return out
  const s = branch(schema, value)
  if (Array.isArray(value)) {
    value.slice(0, 50).forEach((item, i) => {
      out.push({ container: value, key: i, schema: branch(s.items ?? {}, item), required: false })
      slotsOf(item, s.items ?? {}, out, depth + 1)
    })
    return out
  }
  const required = new Set<string>(s.required ?? [])
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childSchema = branch((s.properties ?? {})[key] ?? {}, child)
    out.push({ container: value as Record<string, unknown>, key, schema: childSchema, required: required.has(key) })
    slotsOf(child, childSchema, out, depth + 1)
  }
  return out
}

/** The objects of the body (the body itself included), where fields can be added or dropped. */
function objectsOf (value: unknown, out: Record<string, unknown>[] = [], depth = 0): Record<string, unknown>[] {
  if (depth > 6 || value === null || typeof value !== 'object') return out
  if (!Array.isArray(value)) out.push(value as Record<string, unknown>)
  for (const child of Object.values(value as object).slice(0, 50)) objectsOf(child, out, depth + 1)
  return out
}

const set = (slot: Slot, value: unknown): void => { (slot.container as Record<string | number, unknown>)[slot.key] = value }

const isBody = (d: Draft): boolean => d.op.body !== undefined && d.raw === undefined && d.body !== null && typeof d.body === 'object'
const stringSlots = (d: Draft): Slot[] => isBody(d) ? slotsOf(d.body, d.op.body?.schema ?? {}).filter((s) => typeof s.container[s.key as never] === 'string') : []

/** Serializes the body with one extra member under a key JSON.stringify would not write (e.g. __proto__). */
function withRawKey (body: object, host: Record<string, unknown>, key: string, value: unknown): string {
  const marker = '\u0001fuzz-marker'
  host[marker] = value
  const text = JSON.stringify(body).replace(JSON.stringify(marker), JSON.stringify(key))
  delete host[marker]
  return text
}

type Mutator = (d: Draft, rng: Rng) => boolean

/** Each mutator returns false when it does not apply to this request (then another is tried). */
export const MUTATORS: Record<string, Mutator> = {
  'wrong-type': (d, rng) => {
    const slots = isBody(d) ? slotsOf(d.body, d.op.body!.schema) : []
    if (slots.length === 0) return false
    const slot = rng.pick(slots)
    const current = typeOf(slot.container[slot.key as never])
    let value = anyOtherValue(rng)
    for (let i = 0; i < 5 && typeOf(value) === current; i++) value = anyOtherValue(rng)
    set(slot, value)
    return true
  },
  'missing-field': (d, rng) => {
    const slots = isBody(d) ? slotsOf(d.body, d.op.body!.schema).filter((s) => !Array.isArray(s.container)) : []
    const required = slots.filter((s) => s.required)
    if (slots.length === 0) return false
    const slot = required.length > 0 && rng.chance(0.8) ? rng.pick(required) : rng.pick(slots)
    delete (slot.container as Record<string, unknown>)[slot.key as string]
    return true
  },
  'extra-field': (d, rng) => {
    if (!isBody(d)) return false
    const objects = objectsOf(d.body)
    if (objects.length === 0) return false
    rng.pick(objects)[rng.pick(['shoeSize', 'isAdmin', 'version', 'createdAt', 'updatedAt', 'revision', 'id', 'role', '', ' ', 'é', 'a.b', '$where', 'toString'])] = anyOtherValue(rng)
    return true
  },
  'huge-string': (d, rng) => {
    const slots = stringSlots(d)
    if (slots.length === 0) return false
    // Now and then past the 1 MiB body limit (a 413), mostly just past every maxLength.
    set(rng.pick(slots), hugeString(rng, rng.weighted([[6, rng.int(300, 5000)], [3, rng.int(5000, 70_000)], [1, 1_100_000]])))
    return true
  },
  'empty-string': (d, rng) => {
    const slots = stringSlots(d)
    if (slots.length === 0) return false
    set(rng.pick(slots), rng.pick(['', ' ', '\t', '\n']))
    return true
  },
  'odd-unicode': (d, rng) => {
    const slots = stringSlots(d)
    if (slots.length === 0) return false
    const slot = rng.pick(slots)
    const odd = rng.pick(ODD_STRINGS)
    set(slot, rng.chance(0.5) ? odd : `${String(slot.container[slot.key as never])}${odd}`)
    return true
  },
  'bad-time': (d, rng) => {
    const slots = isBody(d) ? slotsOf(d.body, d.op.body!.schema).filter((s) => s.schema.format === 'date-time') : []
    if (slots.length === 0) return false
    set(rng.pick(slots), rng.pick(BAD_TIMES))
    return true
  },
  'bad-id': (d, rng) => {
    const slots = isBody(d) ? slotsOf(d.body, d.op.body!.schema).filter((s) => typeof s.schema.pattern === 'string') : []
    if (slots.length === 0) return false
    set(rng.pick(slots), rng.pick(BAD_IDS))
    return true
  },
  'number-edge': (d, rng) => {
    const slots = isBody(d) ? slotsOf(d.body, d.op.body!.schema).filter((s) => typeof s.container[s.key as never] === 'number' || s.schema.type === 'integer' || s.schema.type === 'number') : []
    if (slots.length === 0) return false
    const slot = rng.pick(slots)
    if (rng.chance(0.3)) {
      // Numbers JSON has no value for, or whose value overflows a double.
      set(slot, '\u0002number')
      d.raw = JSON.stringify(d.body).replace('"\\u0002number"', rng.pick(['1e999', '-1e999', '1' + '0'.repeat(400), '-0', '0.0000000000000000000001', '123456789012345678901234567890']))
    } else {
      set(slot, rng.pick([-1, 1.5, -0, 1e308, -1e308, 2 ** 53 + 2, 101, 500.5, 0.1 + 0.2]))
    }
    return true
  },
  'proto-key': (d, rng) => {
    if (!isBody(d)) return false
    const [key, value] = rng.pick<[string, unknown]>([
      ['__proto__', { isAdmin: true, role: 'admin' }], ['__proto__', null], ['__proto__', []],
      ['constructor', { prototype: { isAdmin: true } }], ['constructor', 'x'], ['prototype', {}]
    ])
    const objects = objectsOf(d.body)
    if (objects.length === 0) return false
    d.raw = withRawKey(d.body as object, rng.pick(objects), key, value)
    return true
  },
  'duplicate-key': (d, rng) => {
    if (!isBody(d) || Array.isArray(d.body) || Object.keys(d.body as object).length === 0) return false
    const key = rng.pick(Object.keys(d.body as object))
    d.raw = withRawKey(d.body as object, d.body as Record<string, unknown>, key, anyOtherValue(rng))
    return true
  },
  'broken-json': (d, rng) => {
    const text = d.body === undefined ? '{"a":1}' : JSON.stringify(d.body)
    d.raw = rng.pick<() => string>([
      () => text.slice(0, rng.int(0, Math.max(0, text.length - 1))),
      () => `${text},`, () => `${text}}`, () => `${text} x`, () => text.replace(/"/g, "'"), () => text.replace(/:/, ''),
      () => '', () => ' ', () => 'nul', () => 'undefined', () => 'NaN', () => '{', () => '}', () => '[', () => '{"a":}',
      () => '{,}', () => '{"a":1,}', () => '\ufeff' + text, () => '\u0000', () => '/* comment */' + text, () => text.replace('{', '{\n//x\n')
    ])()
    return true
  },
  'wrong-root': (d, rng) => {
    if (d.op.body === undefined) return false
    d.body = rng.pick<unknown>([[], [d.body], 42, 'text', null, true, false, 0, ''])
    return true
  },
  'deep-nesting': (d, rng) => {
    const depth = rng.pick([100, 1000, 5000, 20_000])
    d.raw = rng.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
    return true
  },
  'invalid-utf8': (d, rng) => {
    const text = d.body === undefined ? '{"name":"x"}' : JSON.stringify(d.body)
    const at = Math.max(1, text.indexOf('"', 1) + 1)
    const bad = rng.pick([[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x00]])
    d.raw = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bad), Buffer.from(text.slice(at))])
    return true
  },
  'no-body': (d) => {
    if (d.op.body === undefined) return false
    d.body = undefined
    d.raw = undefined
    d.contentType = d.contentType === undefined ? 'application/json' : d.contentType
    return true
  },
  'unexpected-body': (d, rng) => {
    if (d.op.body !== undefined) return false
    d.body = rng.pick<unknown>([{}, { a: 1 }, [], 'x'])
    return true
  },
  'content-type': (d, rng) => {
    d.contentType = rng.pick([
      null, 'text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16',
      'application/JSON', 'application/problem+json', 'application/vnd.api+json', 'application/json-patch+json', '', 'garbage', ';;', '*/*',
      'application/json; charset=latin1', 'application/json;;', 'text/json'
    ])
    if (d.body === undefined && d.raw === undefined) d.raw = rng.chance(0.5) ? 'name=Ada' : '{}'
    return true
  },
  'bad-path-id': (d, rng) => {
    const names = Object.keys(d.params)
    if (names.length === 0) return false
    const name = rng.pick(names)
    if (rng.chance(0.6)) d.params[name] = rng.pick(BAD_IDS)
    else d.rawParams[name] = rng.pick(['%', '%zz', '%E0%A4%A', '%00', '%2e%2e', '..', '.', '%2F', 'a%2Fb', '', '%20', '%C0%AF', '%FF%FE', 'a?b', 'a#b', '%u0041'])
    return true
  },
  'bad-query': (d, rng) => {
    const params = d.op.parameters.filter((p) => p.in === 'query')
    if (params.length === 0) return false
    const p = rng.pick(params)
    const values = p.schema.format === 'date-time' ? BAD_TIMES : ['abc', '', '-1', '0', '1.5', '1e3', '999999999999999999999', 'true', 'yes', 'null', '[]', '{}', '0x10', ' 5', 'Infinity', 'NaN', ...ODD_STRINGS.slice(0, 12)]
    d.query = d.query.filter(([k]) => k !== p.name)
    d.query.push([p.name, rng.chance(0.1) ? hugeString(rng, rng.int(201, 5000)) : rng.pick(values)])
    return true
  },
  'repeated-query': (d, rng) => {
    const params = d.op.parameters.filter((p) => p.in === 'query')
    if (params.length === 0) return false
    const p = rng.pick(params)
    d.query.push([p.name, rng.pick(['1', 'a', '', 'true', '2026-01-01T00:00:00Z'])], [p.name, rng.pick(['2', 'b', 'false'])])
    return true
  },
  'unknown-query': (d, rng) => {
    d.query.push([rng.pick(['foo', '__proto__', 'constructor', 'prototype', 'limit[]', 'a[b]', '', 'é', 'toString', 'hasOwnProperty']), rng.pick(['1', '', 'x', '{}'])])
    return true
  },
  'raw-query': (d, rng) => {
    d.rawQuery = rng.pick(['%', '%zz', '&&&', '=', '==', 'limit', 'limit=%ff', 'a=%E0%A4%A', '?', '__proto__[isAdmin]=1', 'constructor[prototype][x]=1', ';', 'a=1;b=2', '+', '%00=%00'])
    return true
  },
  'bad-cursor': (d, rng) => {
    if (!d.op.parameters.some((p) => p.in === 'query' && p.name === 'cursor')) return false
    const encoded = (s: string): string => Buffer.from(s).toString('base64url')
    d.query = d.query.filter(([k]) => k !== 'cursor')
    d.query.push(['cursor', rng.pick([
      'x', '', '====', 'not base64!', encoded('id:'), encoded('rev:'), encoded('rev:-1'), encoded('rev:1e3'), encoded('rev:99999999999999999999'),
      encoded('id:\u0000'), encoded('id:' + 'z'.repeat(150)), encoded('rev:12'), encoded('id:a'), encoded('\ud800'), encoded('{"id":1}')
    ])])
    return true
  },
  'bad-if-match': (d, rng) => {
    d.headers['if-match'] = rng.pick(['"abc"', 'abc', 'W/"1"', '*', '"0"', '""', '"1", "2"', '"', ',', 'W/', '"-1"', '"1.0"',
      '"99999999999999999999999"', '"' + '9'.repeat(98) + '"', 'x'.repeat(101), '*, "1"', '" 1 "', 'null'])
    return true
  },
  'bad-auth': (d, rng) => {
    d.auth = { kind: 'token', token: rng.pick(['', 'Bearer', 'Bearer ', 'Bearer  ', 'Token abc', 'Bearer a b', 'Bearer ' + 'x'.repeat(513), 'Bearer \u007f', 'bearer wd_nope', 'Bearer "quoted"', 'Basic Og==']) }
    return true
  },
  'odd-header': (d, rng) => {
    const [name, value] = rng.pick<[string, string]>([
      ['accept', 'application/xml'], ['accept', 'text/html;q=0.1, */*;q=0'], ['accept-encoding', 'gzip, br'], ['x-request-id', '../../etc'],
      ['idempotency-key', ''], ['idempotency-key', 'x'.repeat(300)], ['idempotency-key', '"quoted"'], ['content-encoding', 'gzip'],
      ['x-forwarded-for', 'not an ip'], ['if-none-match', '*'], ['range', 'bytes=0-1'], ['x-http-method-override', 'DELETE'],
      ['prefer', 'return=minimal'], ['origin', 'https://evil.example']
    ])
    d.headers[name] = value
    return true
  },
  'wrong-method': (d, rng) => {
    d.method = rng.pick(['PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'GET'].filter((m) => m !== d.method))
    return true
  }
}

const NAMES = Object.keys(MUTATORS)

/** Applies one mutation (sometimes two or three) that fits the request; returns the same draft, changed. */
export function mutate (d: Draft, rng: Rng): Draft {
  const count = rng.weighted([[8, 1], [2, 2], [1, 3]])
  for (let applied = 0, tries = 0; applied < count && tries < 20; tries++) {
    const name = rng.pick(NAMES)
    // A body already replaced by raw bytes has no fields left to change.
    if (d.raw !== undefined && !['content-type', 'bad-path-id', 'bad-query', 'repeated-query', 'unknown-query', 'raw-query', 'bad-cursor', 'bad-if-match', 'bad-auth', 'odd-header', 'wrong-method'].includes(name)) continue
    if (MUTATORS[name]!(d, rng)) {
      d.mutations.push(name)
      applied++
    }
  }
  return d
}
