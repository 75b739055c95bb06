// The typed-array fingerprint table the audit store held runs in (src/audit/fingerprint-table.ts until 2026-12-07),
// kept as the alternative bench/fingerprint-table.ts measures the store's Map against: a fingerprint's 128 bits in
// typed arrays, so that the collector sees two array buffers whatever the count. Why the store keeps a Map now:
// docs/audit-process.md.

/** A fingerprint is 32 hexadecimal characters (src/audit/fingerprint.ts): four 32-bit words. */
const WORDS = 4
const HEX_CHARACTERS = WORDS * 8
/** Slots in use at most, of all: past it the table doubles. */
const MAX_LOAD = 0.7

function hexValue (code: number): number {
  if (code >= 48 && code <= 57) return code - 48 // 0-9
  if (code >= 97 && code <= 102) return code - 87 // a-f
  throw new TypeError('a fingerprint is 32 lowercase hexadecimal characters')
}

export class FingerprintTable {
  #keys: Uint32Array
  /** The row id per slot; 0 marks a free slot (row ids start at 1). */
  #ids: Float64Array
  #size = 0
  /** The words of the fingerprint being looked up: parsed here, so that a lookup allocates nothing. */
  readonly #probe = new Uint32Array(WORDS)

  constructor (capacity = 1024) {
    let slots = 16
    while (slots * MAX_LOAD < capacity) slots *= 2
    this.#keys = new Uint32Array(slots * WORDS)
    this.#ids = new Float64Array(slots)
  }

  has (fingerprint: string): boolean {
    return this.#ids[this.#slotOf(fingerprint)] !== 0
  }

  /** Keeps the first id given for a fingerprint: a later one for the same fingerprint changes nothing. */
  addIfAbsent (fingerprint: string, id: number): void {
    if (!Number.isSafeInteger(id) || id < 1) throw new RangeError(`a row id is a positive integer, got ${id}`)
    const slot = this.#slotOf(fingerprint)
    if (this.#ids[slot] !== 0) return
    this.#keys.set(this.#probe, slot * WORDS)
    this.#ids[slot] = id
    if (++this.#size > this.#ids.length * MAX_LOAD) this.#grow()
  }

  /** The ids of this table's fingerprints that `other` does not hold, ascending (for a run: the order it stored them). */
  idsMissingFrom (other: FingerprintTable): number[] {
    const missing: number[] = []
    for (let slot = 0; slot < this.#ids.length; slot++) {
      const id = this.#ids[slot]!
      if (id !== 0 && !other.#holdsWords(this.#keys, slot * WORDS)) missing.push(id)
    }
    return missing.sort((a, b) => a - b)
  }

  /** Parses the fingerprint into #probe, and finds its slot, or the free slot where it would go. */
  #slotOf (fingerprint: string): number {
    if (fingerprint.length !== HEX_CHARACTERS) throw new TypeError('a fingerprint is 32 lowercase hexadecimal characters')
    for (let word = 0; word < WORDS; word++) {
      let value = 0
      for (let i = word * 8; i < word * 8 + 8; i++) value = value * 16 + hexValue(fingerprint.charCodeAt(i))
      this.#probe[word] = value
    }
    return this.#find(this.#probe, 0)
  }

  /** Linear probing from the first word, already uniformly spread (a sha256 prefix). */
  #find (words: Uint32Array, at: number): number {
    const mask = this.#ids.length - 1
    for (let slot = words[at]! & mask; ; slot = (slot + 1) & mask) {
      if (this.#ids[slot] === 0) return slot
      const base = slot * WORDS
      if (this.#keys[base] === words[at] && this.#keys[base + 1] === words[at + 1] && this.#keys[base + 2] === words[at + 2] &&
        this.#keys[base + 3] === words[at + 3]) return slot
    }
  }

  #holdsWords (words: Uint32Array, at: number): boolean {
    return this.#ids[this.#find(words, at)] !== 0
  }

  #grow (): void {
    const keys = this.#keys
    const ids = this.#ids
    this.#keys = new Uint32Array(keys.length * 2)
    this.#ids = new Float64Array(ids.length * 2)
    for (let slot = 0; slot < ids.length; slot++) {
      if (ids[slot] === 0) continue
      const to = this.#find(keys, slot * WORDS)
      this.#keys.set(keys.subarray(slot * WORDS, slot * WORDS + WORDS), to * WORDS)
      this.#ids[to] = ids[slot]!
    }
  }
}
