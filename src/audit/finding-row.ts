// A finding as an audit run stores it, prepared where the rules ran (the worker thread), and packed for the trip to
// the request thread, which then only decides each row's state and waiver and inserts it, a slice at a time.
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
 * Rows in slices, each a JSON array, end to end in one buffer. A worker hands the buffer over without a copy
 * (a transfer), and the request thread decodes one slice at a time while it stores them: received as objects, the
 * 34k findings of a large registry would be rebuilt on the request thread in one go, holding every lookup up for
 * tens of milliseconds.
 */
export interface PackedRows {
  bytes: Uint8Array<ArrayBuffer>
  /** The end of each slice in `bytes`. */
  ends: number[]
  count: number
}

/** Rows per slice: decoding one takes the request thread about a fifth of a millisecond. */
export const ROWS_PER_SLICE = 100

export function packRows (rows: readonly FindingRow[], perSlice = ROWS_PER_SLICE): PackedRows {
  const encoder = new TextEncoder()
  const slices: Uint8Array[] = []
  for (let i = 0; i < rows.length; i += perSlice) slices.push(encoder.encode(JSON.stringify(rows.slice(i, i + perSlice))))
  const bytes = new Uint8Array(slices.reduce((size, s) => size + s.length, 0))
  const ends: number[] = []
  let end = 0
  for (const slice of slices) {
    bytes.set(slice, end)
    ends.push(end += slice.length)
  }
  return { bytes, ends, count: rows.length }
}

/** The rows, one slice at a time, decoded as they are asked for. */
export function * unpackSlices (packed: PackedRows): Generator<FindingRow[]> {
  const decoder = new TextDecoder()
  let start = 0
  for (const end of packed.ends) {
    yield JSON.parse(decoder.decode(packed.bytes.subarray(start, end))) as FindingRow[]
    start = end
  }
}
