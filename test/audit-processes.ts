// The audit processes a test's server started (src/audit/audit-process.ts), found as the system lists them.
import { readdirSync, readFileSync } from 'node:fs'

/** Linux's number for the SCHED_IDLE scheduling policy, as /proc shows it. */
export const SCHED_IDLE = 5

/** The fields of /proc/<pid>/stat (or of a thread's) after the command name: field n of proc(5) at index n - 3. */
export const statFields = (path: string): string[] => readFileSync(path, 'utf8').replace(/^.*\) /s, '').split(' ')

/** The pids of the audit processes of a process (by default this one), as the system lists them. */
export function auditProcesses (parent = process.pid): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).filter((pid) => {
    try {
      const stat = statFields(`/proc/${pid}/stat`)
      return Number(stat[4 - 3]) === parent && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('audit-process-entry')
    } catch {
      return false // gone meanwhile
    }
  }).map(Number)
}

/** Whether the process has ended: no longer listed, or a zombie its parent has not reaped yet. */
export function ended (pid: number): boolean {
  try {
    return statFields(`/proc/${pid}/stat`)[3 - 3] === 'Z'
  } catch {
    return true
  }
}
