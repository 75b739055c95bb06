// Lowers every thread of this process to nice 19 — V8's helper threads too, which run its garbage collections —
// for the background processes' entries. Kept free of other imports: an entry calls it before loading its work.
import { readdirSync } from 'node:fs'
import { setPriority } from 'node:os'

const LOWEST = 19

/** On Linux a nice value is per thread: each thread of the process is lowered; threads made later inherit it. */
export function niceEveryThread (): void {
  let threads: string[]
  try {
    threads = readdirSync('/proc/self/task')
  } catch {
    threads = ['0'] // no /proc: the process as a whole, where the system sets one value for all its threads
  }
  for (const thread of threads) {
    try {
      setPriority(Number(thread), LOWEST)
    } catch { /* not permitted: that thread stays at normal priority */ }
  }
}
