// The audit process of one database file, as the server sees it: started (forked) on prestart or the first audit,
// handed each audit, answered with the stored run. Contract: jobs are answered one at a time, in order; the process
// holds the server's event loop open only while a job is in flight; a process that dies fails its own jobs in flight,
// never a successor's, and the next job starts a fresh one; a registry so changed that it is read again whole is read
// by a fresh process. Invariant: every thread of the process at the lowest priority (audit-process-entry.ts).
// Why a process, and what was measured: docs/audit-process.md.
import { fork, spawnSync, type ChildProcess, type ForkOptions } from 'node:child_process'
import { childEnvironment, entryBeside, holdOpen, inheritedExecArgv } from '../background-process.js'
import type { Written } from '../store/change-log.js'
import type { AuditRun } from '../schemas/audits.js'
import type { AuditProcessReply, AuditProcessRequest, AuditRequest } from './audit-process-main.js'
import type { StorePace } from './run-store.js'

/**
 * How the process is started: under `chrt --idle 0` (util-linux) where the system has it, so that every thread of
 * the process runs under SCHED_IDLE — given a core only when no other thread wants it, and off it as soon as one
 * does. Checked once, by starting `true` so; without chrt, the process is started as it is and its entry lowers its
 * nice value.
 */
let startOptions: ForkOptions | undefined
function forkOptions (): ForkOptions {
  if (startOptions === undefined) {
    const idle = ['--idle', '0']
    const tried = spawnSync('chrt', [...idle, 'true'], { stdio: 'ignore' })
    const usable = tried.status === 0
    // Structured clone over the channel, for the job's Map of rule configurations.
    const options: ForkOptions = usable
      ? { serialization: 'advanced', execPath: 'chrt', execArgv: [...idle, process.execPath, ...inheritedExecArgv()] }
      : { serialization: 'advanced', execArgv: inheritedExecArgv() }
    // Kept, unless the check could not run for want of file descriptors: then it is made again next time.
    const failure = (tried.error as NodeJS.ErrnoException | undefined)?.code
    if (failure !== 'EMFILE' && failure !== 'ENFILE') startOptions = options
    return options
  }
  return startOptions
}

/** The audit error the process reported, rebuilt on this side. */
function rebuild (error: { name: string, message: string, code?: string }): Error {
  return Object.assign(new Error(error.message), { name: error.name }, error.code === undefined ? {} : { code: error.code })
}

export interface AuditProcessOptions {
  /** Whether the registry changed so much after that revision that it is read again whole (job.ts' needsFullRead). */
  fullRead?: (revision: number) => boolean
  /** How the process stores runs, if not at AUDIT_PROCESS_PACE (run-store.ts). */
  pace?: StorePace
}

type Pending = Map<number, { resolve: (written: Written<AuditRun>) => void, reject: (error: Error) => void }>

/**
 * The process, kept between audits with the registry it last read (audit-process-main.ts), which each job brings
 * up to date. Once so much of the registry has changed that it is read again whole, the next job goes to a fresh
 * process: stopping the old one hands its memory back at once, so two registries are never held together.
 */
export class AuditProcess {
  /** The process, and the jobs it has not answered yet (a crashed process fails its own jobs, never a successor's). */
  #current: { child: ChildProcess, pending: Pending } | undefined
  #nextId = 1
  /** The change-log revision of the registry the process last read, as it reported. */
  #revision: number | undefined
  readonly #fullRead: (revision: number) => boolean
  readonly #pace: StorePace | undefined

  constructor (readonly dbPath: string, options: AuditProcessOptions = {}) {
    this.#fullRead = options.fullRead ?? (() => false)
    this.#pace = options.pace
  }

  async run (audit: AuditRequest): Promise<Written<AuditRun>> {
    if (this.#current !== undefined && this.#current.pending.size === 0 && this.#revision !== undefined && this.#fullRead(this.#revision)) {
      this.#current.child.kill()
      this.#current = undefined
    }
    const { child, pending } = this.#current ??= this.#start()
    const request: AuditProcessRequest = { id: this.#nextId++, ...audit, ...(this.#pace === undefined ? {} : { pace: this.#pace }) }
    return await new Promise((resolve, reject) => {
      pending.set(request.id, { resolve, reject })
      // A process that could not be started (no file descriptors left, say) has no channel: its 'error' fails the job.
      if (child.pid === undefined) return
      holdOpen(child, true)
      child.send(request)
    })
  }

  /** Starts the process ahead of the first job, so that job does not wait for the process and its modules to load. */
  prestart (): void {
    this.#current ??= this.#start()
  }

  /** Stops the process; jobs in flight fail. */
  async close (): Promise<void> {
    const current = this.#current
    this.#current = undefined
    if (current === undefined || current.child.exitCode !== null || current.child.signalCode !== null) return
    await new Promise((resolve) => {
      current.child.once('exit', resolve)
      current.child.kill()
    })
  }

  #start (): { child: ChildProcess, pending: Pending } {
    const child = fork(entryBeside(import.meta.url, 'audit-process-entry'), [this.dbPath], { ...forkOptions(), env: childEnvironment() })
    const pending: Pending = new Map()
    const current = { child, pending }
    holdOpen(child, false)
    child.on('message', (reply: AuditProcessReply) => {
      const job = pending.get(reply.id)
      pending.delete(reply.id)
      if (pending.size === 0) holdOpen(child, false)
      if ('error' in reply) job?.reject(rebuild(reply.error))
      else {
        if (this.#current === current) this.#revision = reply.revision
        job?.resolve(reply.written)
      }
    })
    // A crash or a stop fails every job in flight; the next job starts a fresh process.
    const fail = (error: Error): void => {
      if (this.#current === current) this.#current = undefined
      for (const { reject } of pending.values()) reject(error)
      pending.clear()
    }
    child.on('error', fail)
    child.on('exit', (code, signal) => fail(new Error(`the audit process stopped (${signal === null ? `exit code ${code}` : signal})`)))
    return current
  }
}
