// A finding as an audit run stores it, prepared where the rules ran, and cut in slices for the store, which then
// only decides each row's state and waiver and inserts the rows, a slice at a time (run-store.ts).
import type { Severity } from '../registry/types.js'
import type { EngineFinding } from './engine.js'

/**
 * The columns of one findings row that do not depend on the run: fingerprint, rule id, severity, subject kind and
 * id, related records (JSON), message, data (JSON or null), remediation.
 */
export type FindingRow = [fingerprint: string, ruleId: string, severity: Severity, subjectKind: string, subjectId: string,
  related: string, message: string, data: string | null, remediation: string]

export const findingRow = (f: EngineFinding): FindingRow =>
  [f.fingerprint, f.ruleId, f.severity, f.subject.kind, f.subject.id, JSON.stringify(f.related), f.message, f.data === undefined ? null : JSON.stringify(f.data),
    f.remediation]

/** One slice: its rows as JSON text, and per row, in order, its fingerprint and severity. */
export interface RowSlice { rows: string, keys: { fingerprint: string, severity: Severity }[] }

/** Rows per slice: one slice is inserted in a fraction of a millisecond. */
export const ROWS_PER_SLICE = 100

/**
 * The rows in slices, one at a time as they are asked for: the store reads the keys of a slice to decide each row's
 * state and waiver, and hands the slice's JSON to SQLite as it is, to be inserted by one statement.
 */
export function * rowSlices (rows: readonly FindingRow[], perSlice = ROWS_PER_SLICE): Generator<RowSlice> {
  for (let i = 0; i < rows.length; i += perSlice) {
    const slice = rows.slice(i, i + perSlice)
    yield { rows: JSON.stringify(slice), keys: slice.map(([fingerprint, , severity]) => ({ fingerprint, severity })) }
  }
}
