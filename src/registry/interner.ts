// One string per distinct value, looked up straight from a stretch of a longer text: what the registry loader uses
// to share the ids and times that a million assignments repeat.

/**
 * An open-addressing set of strings, probed by a hash of the characters in place: finding a value already held
 * cuts no new string out of the text (a Map would need one, and hash it again, per lookup).
 */
export class Interner {
  #slots: (string | undefined)[]
  #size = 0

  constructor (values: Iterable<string> = []) {
    this.#slots = new Array<string | undefined>(1024)
    for (const value of values) this.get(value, 0, value.length)
  }

  /** The held string equal to text[from, to), held from now on if it was not. */
  get (text: string, from: number, to: number): string {
    const mask = this.#slots.length - 1
    const length = to - from
    // FNV-1a over the UTF-16 code units.
    let hash = 0x811c9dc5
    for (let i = from; i < to; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619)
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const held = this.#slots[i]
      if (held === undefined) {
        const value = text.slice(from, to)
        this.#slots[i] = value
        if (++this.#size * 2 > this.#slots.length) this.#grow()
        return value
      }
      if (held.length === length && text.startsWith(held, from)) return held
    }
  }

  /** Twice the slots, so at most half of them are in use and probes stay short. */
  #grow (): void {
    const held = this.#slots
    this.#slots = new Array<string | undefined>(held.length * 2)
    this.#size = 0
    for (const value of held) if (value !== undefined) this.get(value, 0, value.length)
  }
}
