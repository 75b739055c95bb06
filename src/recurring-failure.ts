// A failure that can recur many times a second (a system call refused while descriptors run out): counted every time,
// logged at most once per interval with how many there were since the last line, never thrown.
import type { FastifyBaseLogger } from 'fastify'

export class RecurringFailure {
  /** Every occurrence since the start. */
  total = 0
  #sinceLine = 0
  #lastLineAt = Number.NEGATIVE_INFINITY

  constructor (
    private readonly log: FastifyBaseLogger,
    private readonly message: string,
    private readonly level: 'warn' | 'error' = 'error',
    private readonly everyMs = 10_000
  ) {}

  record (err?: unknown, now = Date.now()): void {
    this.total++
    this.#sinceLine++
    if (now - this.#lastLineAt < this.everyMs) return
    this.log[this.level]({ err, times: this.#sinceLine, total: this.total }, this.message)
    this.#sinceLine = 0
    this.#lastLineAt = now
  }
}
