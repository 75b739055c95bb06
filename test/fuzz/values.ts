// Leaf values, valid and invalid: strings for simple patterns, times, texts, and the odd inputs mutators use.
import type { Rng } from './prng.js'

const DAY = 86_400_000
const YEAR = 365 * DAY

/** True when samplePattern can make strings for the pattern: anchored, without groups, alternatives or dots. */
export const isSimplePattern = (pattern: string): boolean =>
  pattern.startsWith('^') && pattern.endsWith('$') && !/[()|.]/.test(pattern.replace(/\[[^\]]*\]/g, ''))

/**
 * A string matching a simple anchored pattern: character classes, escapes and literals with ?, *, + and {m,n}.
 * That is all the document's patterns use; anything else throws, so a new pattern is noticed, not mis-sampled.
 */
export function samplePattern (rng: Rng, pattern: string): string {
  let source = pattern
  if (!source.startsWith('^') || !source.endsWith('$')) throw new Error(`pattern not anchored: ${pattern}`)
  source = source.slice(1, -1)
  let out = ''
  let i = 0
  while (i < source.length) {
    let chars: string
    const c = source[i]!
    if (c === '[') {
      const end = source.indexOf(']', i + 2)
      chars = expandClass(source.slice(i + 1, end), pattern)
      i = end + 1
    } else if (c === '\\') {
      const e = source[i + 1]!
      chars = e === 'd' ? '0123456789' : e === 'w' ? 'abcxyzABC019_' : e
      i += 2
    } else if ('()|.'.includes(c)) {
      throw new Error(`pattern too rich for the sampler: ${pattern}`)
    } else {
      chars = c
      i++
    }
    let min = 1
    let max = 1
    const q = source[i]
    if (q === '?') { min = 0; i++ } else if (q === '*') { min = 0; max = 8; i++ } else if (q === '+') { max = 8; i++ } else if (q === '{') {
      const end = source.indexOf('}', i)
      const [a, b] = source.slice(i + 1, end).split(',')
      min = Number(a)
      max = b === undefined ? min : b === '' ? min + 8 : Number(b)
      i = end + 1
    }
    // Mostly short strings, now and then one near the longest allowed.
    const count = rng.chance(0.05) ? max : rng.int(min, Math.min(max, min + 12))
    for (let n = 0; n < count; n++) out += chars[rng.int(0, chars.length - 1)]
  }
  return out
}

function expandClass (body: string, pattern: string): string {
  if (body.startsWith('^')) throw new Error(`negated class in ${pattern}`)
  let chars = ''
  for (let i = 0; i < body.length; i++) {
    if (body[i + 1] === '-' && i + 2 < body.length) {
      for (let code = body.charCodeAt(i); code <= body.charCodeAt(i + 2); code++) chars += String.fromCharCode(code)
      i += 2
    } else if (body[i] === '\\') {
      chars += body[++i]
    } else {
      chars += body[i]
    }
  }
  return chars
}

/** A valid RFC 3339 time in [from, to] (ms since epoch), in one of the forms clients send. */
export function timeBetween (rng: Rng, from: number, to: number): string {
  const ms = rng.int(from, to)
  const iso = new Date(ms).toISOString()
  return rng.weighted([
    [6, iso],
    [2, iso.replace(/\.\d{3}Z$/, 'Z')],
    [1, withOffset(ms, rng.pick([120, -300, 330, 0]))],
    [1, iso.replace('T', 't').replace('Z', 'z')]
  ])
}

function withOffset (ms: number, minutes: number): string {
  const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 19)
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

/** Valid times at the edges of what the registry stores: the first and last instants, the epoch, a day boundary. */
export const EDGE_TIMES = [
  '0000-01-01T00:00:00.000Z', '0000-01-01T00:59:59-01:00', '9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59+00:00', '1970-01-01T00:00:00Z',
  '1969-12-31T23:59:59.999Z', '2000-02-29T12:00:00Z', '2026-12-31T23:59:59.999+14:00', '2026-01-01T00:00:00.000-12:00'
]

/** A time that fits the field's meaning: periods start in the past and end later, expiries lie ahead. */
export function timeFor (rng: Rng, name: string, now: number): string {
  // Now and then an edge: date arithmetic past year 9999 or before year 0 throws in JavaScript.
  if (rng.chance(0.03)) return rng.pick(EDGE_TIMES)
  if (/expires/i.test(name)) return timeBetween(rng, now + DAY, now + 2 * YEAR)
  if (/From$|decidedAt|observedAt|statusSince|Since$/.test(name)) return timeBetween(rng, now - 2 * YEAR, now)
  if (/To$|Due/.test(name)) return timeBetween(rng, now, now + 2 * YEAR)
  return timeBetween(rng, now - 2 * YEAR, now + YEAR)
}

/** Times a careful server must refuse with a 400 (or, for far but valid ones, answer sanely). */
export const BAD_TIMES = [
  '', 'now', 'yesterday', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01', '2026-01-01T00:00:00',
  '2026-01-01 00:00:00', '2026-01-01T24:00:01Z', '2026-06-30T23:59:60Z', '10000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z',
  '-000001-01-01T00:00:00Z', '0000-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z',
  '2026-01-01T00:00:00.1234567890123456789Z', '2026-01-01T00:00:00+25:00', '1700000000', '2026-W01-1T00:00:00Z', 'Ｔ2026-01-01T00:00:00Z',
  '2026-01-01T00:00:00Z\u0000', '2026-01-01T00:00:00ZZ', '١٢٠٢٦-01-01T00:00:00Z'
]

/** Strings that have broken parsers, databases and serializers before. */
export const ODD_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83dy', '\uffff', '\ufeffbom', '\u202eevil', 'e\u0301\u0301\u0301',
  '🦄🏳️‍🌈', 'Ｆｕｌｌｗｉｄｔｈ', 'ﷺ', '\u2028\u2029', '\r\n\t', '"\'`', "'; DROP TABLE people; --", '%s%n%d', '${7*7}', '{{7*7}}',
  '<script>alert(1)</script>', '../../etc/passwd', 'null', 'undefined', 'NaN', 'true', '0', '-1', '1e309', '__proto__',
  'constructor', 'prototype', 'toString', 'hasOwnProperty', 'Ⅻ', 'İı', 'ß', '\u0085', '\u00a0', '\\', '\\u0000', 'a'.repeat(65)
]

/** Ids that must never match a record, and must never crash a route. */
export const BAD_IDS = [
  'UPPER', 'a b', 'a/b', '..', '.', '-lead', '_lead', 'é', '🦄', '__proto__', 'constructor', 'toString', 'null', 'undefined',
  '-1', '0x10', '1e5', 'a;b', "a'b", 'a"b', 'a%b', 'a\u0000b', 'a'.repeat(64), 'a'.repeat(65), 'b'.repeat(201), 'c'.repeat(2000), '\ud800', ' '
]

/** JSON values of every type, to put where another type belongs. */
export function anyOtherValue (rng: Rng): unknown {
  return rng.pick<() => unknown>([
    () => null, () => true, () => false, () => 0, () => -1, () => 1.5, () => 1e308, () => -1e308, () => 2 ** 53 + 2,
    () => '', () => 'x', () => rng.pick(ODD_STRINGS), () => [], () => [1, 'a', null], () => ({}), () => ({ a: { b: [] } }),
    () => '2026-01-01T00:00:00Z', () => '1', () => 'true'
  ])()
}

/** A string as long as asked, of one repeated character or a short repeated run. */
export const hugeString = (rng: Rng, length: number): string =>
  rng.chance(0.5) ? 'x'.repeat(length) : rng.pick(['é', '🦄', 'ab', '\u0000', ' ']).repeat(Math.ceil(length / 2)).slice(0, length)
