// Judges, between requests, the caveats of every initiative and domain that has none kept for now, so that a first
// "who decides?" lookup finds them judged (services/caveat-cache.ts holds them; services/caveats.ts judges).
import { now } from '../clock.js'
import { isOpen } from '../store/change-feed.js'
import { judgeTarget, type CaveatContext } from './caveats.js'

/** The longest a turn of warming keeps the request thread: the most a request waits behind it. */
const STEP_MS = 2
/** Between two passes over the registry: a pass re-judges what writes dropped and what the clock moved past. */
const REST_MS = 1000
/** While a transaction is open across turns (a write waiting for its commit): how long to wait before looking again. */
const BUSY_MS = 10

export type WarmState = 'warming' | 'warm'

/**
 * Contract: once started, passes over every target of the decider index in turns of at most STEP_MS, judging those
 * the cache does not hold for now; after each pass it rests REST_MS, then passes again if something was written
 * since the pass began or a judgement it passed has reached the end of its span (else it rests again). `state` is
 * 'warm' from the end of the first pass on. Inside an open transaction it judges nothing.
 */
export class CaveatWarmer {
  #keys: Iterator<string> | undefined
  #immediate: NodeJS.Immediate | undefined
  #timeout: NodeJS.Timeout | undefined
  #stopped = true
  #state: WarmState = 'warming'
  /** When the last pass began: the cache's moves then, and (once over) the earliest end of span it met. */
  #pass: { moves: number, until: string | undefined } | undefined

  constructor (private readonly context: CaveatContext) {}

  get state (): WarmState { return this.#state }

  start (): void {
    if (!this.#stopped) return
    this.#stopped = false
    this.#immediate = setImmediate(() => { this.#step() })
  }

  stop (): void {
    this.#stopped = true
    // Each cleared by its own function: clearImmediate given a timeout corrupts the queue of immediates.
    clearImmediate(this.#immediate)
    clearTimeout(this.#timeout)
  }

  #step (): void {
    if (this.#stopped || !isOpen(this.context.db)) return
    const index = this.context.deciders.current()
    if (index === undefined) {
      this.#timeout = setTimeout(() => { this.#step() }, BUSY_MS).unref()
      return
    }
    const at = now()
    if (this.#keys === undefined) {
      const pass = this.#pass
      // Nothing written and nothing expired since the last pass began: every target it judged is still held.
      if (pass !== undefined && pass.moves === this.context.caveats.moves() && (pass.until === undefined || at < pass.until)) {
        this.#timeout = setTimeout(() => { this.#step() }, REST_MS).unref()
        return
      }
      this.#pass = { moves: this.context.caveats.moves(), until: undefined }
      this.context.caveats.beginPass()
      this.#keys = index.targetKeys()[Symbol.iterator]()
    }
    let more: boolean
    try {
      more = this.context.caveats.fill(this.#keys, at, (key) => judgeTarget(this.context, key, at), performance.now() + STEP_MS)
    } catch {
      // A judgement that fails fails its lookup too, which answers and logs it; here it must not end the process.
      // The pass is dropped and tried again after a rest.
      this.#keys = undefined
      this.#pass = undefined
      if (!this.#stopped) this.#timeout = setTimeout(() => { this.#step() }, REST_MS).unref()
      return
    }
    if (this.#stopped) return
    if (more) {
      this.#immediate = setImmediate(() => { this.#step() })
      return
    }
    this.#keys = undefined
    this.#pass!.until = this.context.caveats.passUntil
    this.#state = 'warm'
    this.#timeout = setTimeout(() => { this.#step() }, REST_MS).unref()
  }
}
