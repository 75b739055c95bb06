// The registry's clock: ISO-8601 UTC instants that never go backwards within the process.
let last = 0
let lastIso = new Date(0).toISOString()

/** Now, as an ISO string; never earlier than the previous call, so change-log times stay ordered. */
export function now (): string {
  const ms = Date.now()
  // Formatting costs more than a lookup in the decider index; under load most calls fall in the same millisecond.
  if (ms > last) {
    last = ms
    lastIso = new Date(ms).toISOString()
  }
  return lastIso
}

const CANONICAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

/** Normalizes any ISO-8601 time with an offset to the canonical UTC form with milliseconds. */
export function toInstant (iso: string): string {
  // Bulk imports carry hundreds of thousands of times, most of them already canonical (as exported).
  return CANONICAL.test(iso) ? iso : new Date(iso).toISOString()
}
