// Requests counted per key (an API key, an IP address) in fixed windows: what the rate limits and the limit on
// refused bearer tokens count with. Kept in memory, for a bounded number of keys.

interface Window { start: number, count: number }

/** A key's count in its running window, and the whole seconds until that window ends. */
export interface Tally { count: number, secondsLeft: number }

export class FixedWindows {
  private readonly windows = new Map<string, Window>()

  constructor (
    private readonly limit: number,
    private readonly windowMs: number,
    /** Keys tracked at most: requests from many addresses cannot grow the map without bound. */
    private readonly maxTracked = 10_000
  ) {}

  /** False while no key has been counted lately: a check before counting then costs nothing. */
  get any (): boolean {
    return this.windows.size > 0
  }

  /** Whole seconds until the key may be counted again; 0 while it is under the limit. */
  retryAfter (key: string, now = Date.now()): number {
    const window = this.windows.get(key)
    if (window === undefined) return 0
    const left = window.start + this.windowMs - now
    if (left <= 0) {
      this.windows.delete(key)
      return 0
    }
    return window.count >= this.limit ? Math.ceil(left / 1000) : 0
  }

  /** Counts one request of the key; a window that has ended starts again. */
  hit (key: string, now = Date.now()): Tally {
    let window = this.windows.get(key)
    if (window === undefined || now - window.start >= this.windowMs) {
      // Deleted first, so the map stays in order of window start and the oldest is the first.
      if (window !== undefined) this.windows.delete(key)
      else if (this.windows.size >= this.maxTracked) this.forget(now)
      this.windows.set(key, window = { start: now, count: 0 })
    }
    window.count++
    return { count: window.count, secondsLeft: Math.ceil((window.start + this.windowMs - now) / 1000) }
  }

  /** Drops the windows that have ended; if every one is still running, the oldest. */
  private forget (now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(key)
    }
    if (this.windows.size >= this.maxTracked) {
      const oldest = this.windows.keys().next().value
      if (oldest !== undefined) this.windows.delete(oldest)
    }
  }
}
