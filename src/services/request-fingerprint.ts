// The fingerprint of a request for Idempotency-Key: sha256 over its method, path, query and canonical JSON body.
import { createHash, type Hash } from 'node:crypto'

/** Text written as is, told apart from the JSON values on the same work stack. */
class Raw {
  constructor (readonly text: string) {}
}

const OPEN_ARRAY = new Raw('[')
const CLOSE_ARRAY = new Raw(']')
const OPEN_OBJECT = new Raw('{')
const CLOSE_OBJECT = new Raw('}')
const COMMA = new Raw(',')

/**
 * Feeds the canonical JSON of a parsed value to the hash: object keys sorted, no whitespace, so that a client that
 * re-serializes the same body in another key order still sends the same request. Iterative, not recursive: a body
 * nested thousands of levels deep (JSON.parse accepts it) must not overflow the stack.
 */
export function hashCanonicalJson (hash: Hash, value: unknown): void {
  const stack: unknown[] = [value]
  // The text goes to the hash in large pieces: one update per token costs more than the JSON itself.
  let pending = ''
  while (stack.length > 0) {
    const item = stack.pop()
    if (item instanceof Raw) {
      pending += item.text
    } else if (Array.isArray(item)) {
      stack.push(CLOSE_ARRAY)
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i] ?? null)
        if (i > 0) stack.push(COMMA)
      }
      stack.push(OPEN_ARRAY)
    } else if (item !== null && typeof item === 'object') {
      // Sorted by UTF-16 code units, as Array.prototype.sort compares strings.
      const keys = Object.keys(item).filter((k) => (item as Record<string, unknown>)[k] !== undefined).sort()
      stack.push(CLOSE_OBJECT)
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string
        stack.push((item as Record<string, unknown>)[key], new Raw(JSON.stringify(key) + ':'))
        if (i > 0) stack.push(COMMA)
      }
      stack.push(OPEN_OBJECT)
    } else {
      // A primitive (or a body that was absent): JSON's own spelling; undefined, as JSON.stringify leaves it out, is null.
      pending += JSON.stringify(item) ?? 'null'
    }
    if (pending.length >= 65536) {
      hash.update(pending)
      pending = ''
    }
  }
  hash.update(pending)
}

export interface RequestParts {
  method: string
  /** The path without its query string. */
  path: string
  query: unknown
  body: unknown
}

/** Hex sha256 of the request: the same request, byte order of its JSON aside, gives the same fingerprint. */
export function requestFingerprint (parts: RequestParts): string {
  const hash = createHash('sha256')
  hash.update(`${parts.method} ${parts.path}\n`)
  hashCanonicalJson(hash, parts.query)
  hash.update('\n')
  hashCanonicalJson(hash, parts.body)
  return hash.digest('hex')
}
