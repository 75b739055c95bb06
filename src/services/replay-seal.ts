// Encrypts a stored answer so that only the caller who received it can have it replayed (a new key's token, say).
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'

const IV_BYTES = 12
const TAG_BYTES = 16

/**
 * The caller's bearer token is the secret: the database keeps only its sha256, and this key is an HMAC of it,
 * which that hash does not give away. So a copy of the database file does not reveal a token issued within the
 * last 24 hours, and a replay still works, since the caller sends the same token again.
 */
const sealingKey = (token: string): Buffer => createHmac('sha256', token).update('whodecides idempotent replay').digest()

/** AES-256-GCM of the body, bound to its row by `context`: iv, then tag, then ciphertext. */
export function seal (token: string, context: string, body: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', sealingKey(token), iv)
  cipher.setAAD(Buffer.from(context))
  const encrypted = Buffer.concat([cipher.update(body), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), encrypted])
}

/** The body sealed with the same token and context; throws if either differs or the bytes were altered. */
export function unseal (token: string, context: string, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(token), sealed.subarray(0, IV_BYTES))
  decipher.setAAD(Buffer.from(context))
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()])
}
