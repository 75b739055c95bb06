// Requests counted per key (an API key, an IP address) in fixed windows: what the rate limits and the limit on
// refused bearer tokens count with. Kept in memory, for a bounded number of keys.

/** One key's running window; linked, in order of start, into the list of all windows and, below the limit, of those under it. */
interface Window {
  readonly key: string
  readonly start: number
  count: number
  older: Window | null
  newer: Window | null
  olderUnder: Window | null
  newerUnder: Window | null
}

/**
 * A key's count in its running window, and the whole seconds until that window ends. A key that finds every place
 * held by a key at its limit is not tracked: its count is Infinity, and secondsLeft runs until a place frees.
 */
export interface Tally { count: number, secondsLeft: number }

/**
 * Invariants: every window is in the list of all windows, in order of start (a restarted window is a new one at
 * the newest end), so the windows that have ended are at its oldest end; a window is in the list of those under
 * the limit, in the same order, exactly while its count is below the limit. A key at or over its limit keeps its
 * place until its window ends: no number of other keys can flush it. Lists, not the Map's order, give the oldest:
 * a Map iterated from its start walks past every entry deleted since its last rehash, which made each new key cost
 * a scan once the map was full. Every call is O(1) amortized: a window is dropped at most once.
 */
export class FixedWindows {
  private readonly windows = new Map<string, Window>()
  private oldest: Window | null = null
  private newest: Window | null = null
  private oldestUnder: Window | null = null
  private newestUnder: Window | null = null

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
      this.drop(window)
      return 0
    }
    return window.count >= this.limit ? Math.ceil(left / 1000) : 0
  }

  /** Counts one request of the key; a window that has ended starts again. */
  hit (key: string, now = Date.now()): Tally {
    let window = this.windows.get(key)
    if (window === undefined || now - window.start >= this.windowMs) {
      if (window !== undefined) this.drop(window)
      else if (this.windows.size >= this.maxTracked && !this.makeRoom(now)) {
        return { count: Infinity, secondsLeft: this.secondsLeft(this.oldest as Window, now) }
      }
      window = this.add(key, now)
    }
    if (++window.count === this.limit) this.unlinkUnder(window)
    return { count: window.count, secondsLeft: this.secondsLeft(window, now) }
  }

  private secondsLeft (window: Window, now: number): number {
    return Math.ceil((window.start + this.windowMs - now) / 1000)
  }

  /**
   * Frees at least one place: drops the windows that have ended; if none had, the oldest window of a key under
   * the limit. False when every window runs and every key is at its limit.
   */
  private makeRoom (now: number): boolean {
    const before = this.windows.size
    while (this.oldest !== null && now - this.oldest.start >= this.windowMs) this.drop(this.oldest)
    if (this.windows.size < before) return true
    if (this.oldestUnder === null) return false
    this.drop(this.oldestUnder)
    return true
  }

  /** A new window with count 0, at the newest end of both lists (0 is under any limit of at least 1). */
  private add (key: string, start: number): Window {
    const window: Window = { key, start, count: 0, older: this.newest, newer: null, olderUnder: this.newestUnder, newerUnder: null }
    if (this.newest === null) this.oldest = window
    else this.newest.newer = window
    this.newest = window
    if (this.newestUnder === null) this.oldestUnder = window
    else this.newestUnder.newerUnder = window
    this.newestUnder = window
    this.windows.set(key, window)
    return window
  }

  private drop (window: Window): void {
    this.windows.delete(window.key)
    if (window.older === null) this.oldest = window.newer
    else window.older.newer = window.newer
    if (window.newer === null) this.newest = window.older
    else window.newer.older = window.older
    if (window.count < this.limit) this.unlinkUnder(window)
  }

  private unlinkUnder (window: Window): void {
    if (window.olderUnder === null) this.oldestUnder = window.newerUnder
    else window.olderUnder.newerUnder = window.newerUnder
    if (window.newerUnder === null) this.newestUnder = window.olderUnder
    else window.newerUnder.olderUnder = window.olderUnder
  }
}
