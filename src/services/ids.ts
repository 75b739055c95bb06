// Server-generated ids: lower-case, time-ordered, and valid under the same pattern clients must follow.
import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'

/** A ULID-like id in lower case: 10 characters of time, 16 of randomness. */
export function newId (): string {
  let time = Date.now()
  let out = ''
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[time % 32] + out
    time = Math.floor(time / 32)
  }
  const random = randomBytes(16)
  for (const byte of random) out += ALPHABET[byte % 32]
  return out
}
