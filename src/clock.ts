// The registry's clock: ISO-8601 UTC instants that never go backwards within the process.
let last = 0

/** Now, as an ISO string; never earlier than the previous call, so change-log times stay ordered. */
export function now (): string {
  last = Math.max(last, Date.now())
  return new Date(last).toISOString()
}

const CANONICAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

/** Normalizes any ISO-8601 time with an offset to the canonical UTC form with milliseconds. */
export function toInstant (iso: string): string {
  // Bulk imports carry hundreds of thousands of times, most of them already canonical (as exported).
  return CANONICAL.test(iso) ? iso : new Date(iso).toISOString()
}
