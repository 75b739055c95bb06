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
 * the cache does not hold for now; after each pass it rests REST_MS and passes again. `state` is 'warm' from the end
 * of the first pass on (later passes find most targets kept). Inside an open transaction it judges nothing.
 */
export class CaveatWarmer {
  #keys: Iterator<string> | undefined
  #immediate: NodeJS.Immediate | undefined
  #timeout: NodeJS.Timeout | undefined
  #stopped = true
  #state: WarmState = 'warming'

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
    this.#keys ??= index.targetKeys()[Symbol.iterator]()
    const at = now()
    const more = this.context.caveats.fill(this.#keys, at, (key) => judgeTarget(this.context, key, at), performance.now() + STEP_MS)
    if (this.#stopped) return
    if (more) {
      this.#immediate = setImmediate(() => { this.#step() })
      return
    }
    this.#keys = undefined
    this.#state = 'warm'
    this.#timeout = setTimeout(() => { this.#step() }, REST_MS).unref()
  }
}
