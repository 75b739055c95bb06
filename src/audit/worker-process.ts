// The audit process's entry. It first lowers every thread of the process to the lowest priority — V8's helper threads
// too, which run the audit's garbage collections and would otherwise compete with the request thread at normal
// priority — and only then loads the audit code (worker.ts), so lookups come first while an audit starts and runs.
import { readdirSync } from 'node:fs'
import { setPriority } from 'node:os'

const LOWEST = 19

/** On Linux a nice value is per thread: each thread of the process is lowered; threads made later inherit it. */
function lowerEveryThread (): void {
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

lowerEveryThread()
await import('./worker.js')
