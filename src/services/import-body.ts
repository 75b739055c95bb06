// The body of POST /v1/import: taken as bytes on the request thread, parsed where the import runs (import-runner.ts)
// with Fastify's own JSON parser, and the errors of the import carried back from there as the same errors.
import { createHash } from 'node:crypto'
import Fastify, { errorCodes, type FastifyBodyParser } from 'fastify'
import { ProblemError, type ProblemCode, type ProblemExtras } from '../errors.js'
import { hashCanonicalJson } from './request-fingerprint.js'

/**
 * What the request holds as its body once parsed elsewhere: the parsed bundle itself (in this process), or a ticket
 * for it (in the import process). `sha256` is the digest of the bundle's canonical JSON, made only for a request with
 * an Idempotency-Key: its fingerprint (request-fingerprint.ts) is taken over this object's enumerable fields — that
 * digest alone — so the same JSON spelled another way is the same request, as on every other route, without the
 * request thread ever walking the bundle.
 */
export class ImportBody<T = unknown> {
  readonly sha256: string | undefined
  readonly #held: T

  constructor (held: T, sha256: string | undefined) {
    this.#held = held
    this.sha256 = sha256
  }

  held (): T {
    return this.#held
  }
}

let defaultParser: FastifyBodyParser<string> | undefined

/** Fastify's default JSON parser, with the default refusal of __proto__ and constructor.prototype keys. */
const jsonParser = (): FastifyBodyParser<string> => (defaultParser ??= Fastify().getDefaultJsonParser('error', 'error'))

/**
 * The bundle in the bytes, as Fastify would have parsed them for any other route — decoded as UTF-8 whole — with its
 * digest when asked; throws the error Fastify's parser gives (an empty body, or not JSON: a 400 either way).
 */
export function parseImportBody (raw: Uint8Array, digest: boolean): { bundle: unknown, sha256: string | undefined } {
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8')
  let outcome: { error: Error } | { bundle: unknown } | undefined
  // The parser calls back at once: it is synchronous, whatever its signature allows.
  void jsonParser()(undefined as never, text, (error, bundle) => { outcome = error === null ? { bundle } : { error } })
  if (outcome === undefined) throw new Error('the JSON parser did not answer')
  if ('error' in outcome) throw outcome.error
  if (!digest) return { bundle: outcome.bundle, sha256: undefined }
  const hash = createHash('sha256')
  hashCanonicalJson(hash, outcome.bundle)
  return { bundle: outcome.bundle, sha256: hash.digest('hex') }
}

/** An error as it crosses to the request thread: a problem of the catalogue, one of Fastify's by its code, or any other. */
export type WireError =
  | { problem: { code: ProblemCode, detail: string, extras: ProblemExtras } }
  | { fastify: keyof typeof errorCodes }
  | { name: string, message: string, code?: string }

export function toWire (error: unknown): WireError {
  if (error instanceof ProblemError) return { problem: { code: error.code, detail: error.message, extras: error.extras } }
  const e = error as Error & { code?: unknown }
  if (typeof e.code === 'string' && e.code.startsWith('FST_') && e.code in errorCodes) return { fastify: e.code as keyof typeof errorCodes }
  return { name: String(e.name), message: String(e.message), ...(typeof e.code === 'string' ? { code: e.code } : {}) }
}

/** The error rebuilt on this side, so that the problem plugin answers it as it would have answered the original. */
export function fromWire (wire: WireError): Error {
  if ('problem' in wire) return new ProblemError(wire.problem.code, wire.problem.detail, wire.problem.extras)
  if ('fastify' in wire) return new (errorCodes[wire.fastify] as unknown as new () => Error)()
  return Object.assign(new Error(wire.message), { name: wire.name }, wire.code === undefined ? {} : { code: wire.code })
}
