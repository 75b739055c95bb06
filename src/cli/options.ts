// Values of options shared by several commands, checked where commander reads them: a bad one is a usage error.
import { InvalidArgumentError } from 'commander'
import { toInstant } from '../clock.js'

const DATE = /^\d{4}-\d\d-\d\d$/
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i

/** --at: an ISO-8601 time with its offset (or Z), or a date (its midnight UTC); the canonical UTC instant. */
export function parseTime (value: string): string {
  const full = DATE.test(value) ? `${value}T00:00:00Z` : value
  if (!DATE_TIME.test(full) || Number.isNaN(Date.parse(full))) {
    throw new InvalidArgumentError('not a time: use ISO-8601 with an offset, e.g. 2026-03-03T09:00:00Z, or a date, e.g. 2026-03-03')
  }
  return toInstant(full)
}
