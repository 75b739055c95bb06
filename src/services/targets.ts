// Rules that assignments, delegations and influences share: exactly one target, validity periods.
import { invalidRecord, ProblemError } from '../errors.js'

/**
 * Throws 400 naming the fields unless exactly one of them is set on the (merged) record. `false` counts as
 * unset, so a delegation's allScopes takes part like the id fields.
 */
export function assertOneTarget (record: Record<string, unknown>, fields: readonly string[]): void {
  const set = fields.filter((f) => record[f] !== null && record[f] !== undefined && record[f] !== false)
  if (set.length === 1) return
  const choice = fields.join(' | ')
  const message = set.length === 0 ? `one of ${choice} is required` : `only one of ${choice} may be set`
  const named = set.length === 0 ? fields : set
  throw new ProblemError('WHODECIDES_ERR_VALIDATION', `${named.join(', ')}: ${message}`,
    { errors: named.map((f) => ({ in: 'body' as const, path: `/${f}`, message })) })
}

/**
 * A period [validFrom, validTo) may be empty — an assignment ended before it began never held — but never reversed.
 * Instants compare as canonical UTC strings.
 */
export const isPeriod = (validFrom: string, validTo: string | null): boolean => validTo === null || validTo >= validFrom

/** Throws 422 at /validTo when the period ends before it begins. */
export function assertPeriod (validFrom: string, validTo: string | null): void {
  if (!isPeriod(validFrom, validTo)) throw invalidRecord('/validTo', `must not be before validFrom (${validFrom})`)
}
