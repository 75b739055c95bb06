// A small seeded PRNG (mulberry32), so that one seed replays the same run of requests.

/** A 32-bit seed from FUZZ_SEED: a number as given, any other text hashed (FNV-1a). */
export function seedFrom (text: string): number {
  if (/^\d+$/.test(text)) return Number(BigInt(text) % 4294967296n)
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0
  return hash
}

export class Rng {
  private state: number

  constructor (seed: number) {
    this.state = seed >>> 0
  }

  /** A float in [0, 1). */
  next (): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let z = this.state
    z = Math.imul(z ^ (z >>> 15), z | 1)
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61)
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [min, max], both included. */
  int (min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** True with probability p. */
  chance (p: number): boolean {
    return this.next() < p
  }

  pick<T> (items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[Math.floor(this.next() * items.length)]!
  }

  /** One of the choices, each as likely as its weight. */
  weighted<T> (choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((sum, [w]) => sum + w, 0)
    let r = this.next() * total
    for (const [w, value] of choices) {
      if ((r -= w) < 0) return value
    }
    return choices[choices.length - 1]![1]
  }

  /** A short run of lower-case letters and digits. */
  word (min = 1, max = 8): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
    let out = ''
    for (let i = this.int(min, max); i > 0; i--) out += alphabet[this.int(0, alphabet.length - 1)]
    return out
  }
}
