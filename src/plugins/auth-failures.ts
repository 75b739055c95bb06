// Refused bearer tokens counted per IP address in fixed windows: past the limit, an address is stopped before its next
// guess costs a hash and a lookup.

interface Window { start: number, count: number }

export class AuthFailures {
  private readonly windows = new Map<string, Window>()

  constructor (
    private readonly limit: number,
    private readonly windowMs: number,
    /** Addresses tracked at most: an attack from many addresses cannot grow the map without bound. */
    private readonly maxTracked = 10_000
  ) {}

  /** False while no address has failed lately: the check every request makes then costs nothing. */
  get any (): boolean {
    return this.windows.size > 0
  }

  /** Whole seconds until the address may send a token again; 0 when it may now. */
  retryAfter (address: string, now = Date.now()): number {
    const window = this.windows.get(address)
    if (window === undefined) return 0
    const left = window.start + this.windowMs - now
    if (left <= 0) {
      this.windows.delete(address)
      return 0
    }
    return window.count >= this.limit ? Math.ceil(left / 1000) : 0
  }

  /** Counts one refused token from the address. */
  fail (address: string, now = Date.now()): void {
    const window = this.windows.get(address)
    if (window !== undefined && now - window.start < this.windowMs) {
      window.count++
      return
    }
    // Deleted first, so the map stays in order of window start and the oldest is the first.
    if (window !== undefined) this.windows.delete(address)
    else if (this.windows.size >= this.maxTracked) this.forget(now)
    this.windows.set(address, { start: now, count: 1 })
  }

  /** Drops the windows that have ended; if every one is still running, the oldest. */
  private forget (now: number): void {
    for (const [address, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(address)
    }
    if (this.windows.size >= this.maxTracked) {
      const oldest = this.windows.keys().next().value
      if (oldest !== undefined) this.windows.delete(oldest)
    }
  }
}
