// A seeded random source, so that a run's choices (which write, when to kill) can be replayed with its seed.
export interface Random {
  /** A number in [0, 1). */
  next: () => number
  /** An integer in [0, n). */
  below: (n: number) => number
  pick: <T>(items: readonly T[]) => T
  chance: (p: number) => boolean
}

/** mulberry32: tiny, fast and good enough to spread kill moments and pick operations. */
export function seeded (seed: number): Random {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let x = state
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
  const below = (n: number): number => Math.floor(next() * n)
  return {
    next,
    below,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list')
      return items[below(items.length)]!
    },
    chance: (p) => next() < p
  }
}
