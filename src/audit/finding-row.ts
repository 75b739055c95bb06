// A finding as an audit run stores it, prepared where the rules ran, and packed in slices for the store, which then
// only decides each row's state and waiver and inserts the rows, a slice at a time (services/audit-store.ts).
import type { Severity } from '../registry/types.js'
import type { EngineFinding } from './engine.js'

/**
 * The columns of one findings row that do not depend on the run: fingerprint, rule id, severity, subject kind and
 * id, related records (JSON), message, data (JSON or null).
 */
export type FindingRow = [fingerprint: string, ruleId: string, severity: Severity, subjectKind: string, subjectId: string,
  related: string, message: string, data: string | null]

export const findingRow = (f: EngineFinding): FindingRow =>
  [f.fingerprint, f.ruleId, f.severity, f.subject.kind, f.subject.id, JSON.stringify(f.related), f.message, f.data === undefined ? null : JSON.stringify(f.data)]

/**
 * Rows in slices, each a JSON array, end to end in one buffer, and beside them each slice's keys: a line per row of
 * its fingerprint and severity. The store reads the keys of a slice to decide each row's state and waiver, and hands
 * the slice's JSON to SQLite as it is, to be inserted by one statement: the rows are never rebuilt as objects. (The
 * buffers date from when the request thread stored runs, handed over from a worker thread without a copy.)
 */
export interface PackedRows {
  bytes: Uint8Array<ArrayBuffer>
  /** The end of each slice in `bytes`. */
  ends: number[]
  keys: Uint8Array<ArrayBuffer>
  /** The end of each slice's keys in `keys`. */
  keyEnds: number[]
  count: number
}

/** One slice: its rows as JSON text, and per row, in order, its fingerprint and severity. */
export interface PackedSlice { rows: string, keys: { fingerprint: string, severity: Severity }[] }

/** Rows per slice: one slice is inserted in a fraction of a millisecond. */
export const ROWS_PER_SLICE = 100

/** The parts end to end in one buffer, and where each ends. */
function concatenated (parts: readonly Uint8Array[]): { bytes: Uint8Array<ArrayBuffer>, ends: number[] } {
  const bytes = new Uint8Array(parts.reduce((size, part) => size + part.length, 0))
  const ends: number[] = []
  let end = 0
  for (const part of parts) {
    bytes.set(part, end)
    ends.push(end += part.length)
  }
  return { bytes, ends }
}

export function packRows (rows: readonly FindingRow[], perSlice = ROWS_PER_SLICE): PackedRows {
  const encoder = new TextEncoder()
  const slices: Uint8Array[] = []
  const keys: Uint8Array[] = []
  for (let i = 0; i < rows.length; i += perSlice) {
    const slice = rows.slice(i, i + perSlice)
    slices.push(encoder.encode(JSON.stringify(slice)))
    // A fingerprint is hex and a severity a word: neither holds a tab or a newline.
    keys.push(encoder.encode(slice.map(([fingerprint, , severity]) => `${fingerprint}\t${severity}`).join('\n')))
  }
  const packed = concatenated(slices)
  const packedKeys = concatenated(keys)
  return { bytes: packed.bytes, ends: packed.ends, keys: packedKeys.bytes, keyEnds: packedKeys.ends, count: rows.length }
}

/** The slices, one at a time, as they are asked for. */
export function * unpackSlices (packed: PackedRows): Generator<PackedSlice> {
  const decoder = new TextDecoder()
  let start = 0
  let keyStart = 0
  for (const [i, end] of packed.ends.entries()) {
    const keyEnd = packed.keyEnds[i]!
    const keys = decoder.decode(packed.keys.subarray(keyStart, keyEnd)).split('\n').map((line) => {
      const [fingerprint, severity] = line.split('\t') as [string, Severity]
      return { fingerprint, severity }
    })
    yield { rows: decoder.decode(packed.bytes.subarray(start, end)), keys }
    start = end
    keyStart = keyEnd
  }
}
