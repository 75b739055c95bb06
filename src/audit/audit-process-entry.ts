// The audit process's entry (forked by audit-process.ts). Invariant: every thread of the process is at the lowest
// priority — V8's helper threads too, which run the audit's garbage collections — before the audit code
// (audit-process-main.ts) loads, so lookups come first while an audit starts and runs. Why: docs/audit-process.md.
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
await import('./audit-process-main.js')
