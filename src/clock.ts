// The registry's clock: ISO-8601 UTC instants that never go backwards within the process.
let last = 0

/** Now, as an ISO string; never earlier than the previous call, so change-log times stay ordered. */
export function now (): string {
  last = Math.max(last, Date.now())
  return new Date(last).toISOString()
}

/** Normalizes any ISO-8601 time with an offset to the canonical UTC form with milliseconds. */
export function toInstant (iso: string): string {
  return new Date(iso).toISOString()
}
