// The import process's entry (started by import-process.ts): loads the import code, then lowers every thread of the
// process to the lowest priority — V8's helper threads too, which collect the import's garbage — before any import.
import { spawnSync } from 'node:child_process'
import { niceEveryThread } from '../lowest-priority.js'

/**
 * SCHED_IDLE (a core only when no other thread wants one, given up as soon as one does) for every thread, through
 * util-linux's chrt where the system has it; and nice 19, per thread on Linux, in any case. Threads made later
 * inherit both.
 */
function lowerEveryThread (): void {
  spawnSync('chrt', ['--all-tasks', '--idle', '--pid', '0', String(process.pid)], { stdio: 'ignore' })
  niceEveryThread()
}

// Loaded at normal priority: the process starts with the server, before it serves anything (or after a crash of its
// predecessor, once), and at the lowest priority its loading waited for every busy thread of the machine — the first
// imports after a start with it. Messages that come meanwhile wait in the channel.
await import('./import-jobs.js')
lowerEveryThread()
