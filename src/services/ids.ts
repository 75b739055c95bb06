// Server-generated ids: lower-case, time-ordered, and valid under the same pattern clients must follow.
import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'

let lastTime = -1
/** The random part of the last id, as digits of ALPHABET: the next id in the same millisecond is one more. */
let lastRandom: number[] = []

/**
 * A ULID-like id in lower case: 10 characters of time, 16 of randomness. Ids made in the same millisecond are
 * monotonic (the random part of the previous one, plus one), so ids sort in the order they were made.
 */
export function newId (): string {
  const now = Date.now()
  if (now > lastTime) {
    lastTime = now
    lastRandom = [...randomBytes(16)].map((byte) => byte % 32)
  } else {
    // Same millisecond (or the clock stepped back): count up from the last id, carrying as in any number.
    let i = lastRandom.length - 1
    while (i >= 0 && lastRandom[i] === 31) lastRandom[i--] = 0
    if (i >= 0) lastRandom[i]! += 1
  }
  let time = lastTime
  let out = ''
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[time % 32] + out
    time = Math.floor(time / 32)
  }
  return out + lastRandom.map((d) => ALPHABET[d]).join('')
}
