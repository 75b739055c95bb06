// The import process of one database file, from the server's side: started with the app and kept, a message out and
// an answer back per step, and a fresh process after one stops.
import { fork, type ChildProcess, type ForkOptions } from 'node:child_process'
import { childEnvironment, entryBeside, holdOpen, inheritedExecArgv } from '../background-process.js'
import type { Actor } from '../store/change-log.js'
import type { ImportOptions, ImportReport } from './import.js'
import { fromWire } from './import-body.js'
import type { ImportMessage, ImportReply } from './import-jobs.js'
import type { ImportFileOptions } from './spreadsheets/import-file.js'
import type { SpreadsheetImportReport } from './spreadsheets/spreadsheet-import.js'

/**
 * A young generation of up to 64 MiB a half instead of V8's 16: an import makes a few short-lived objects per row,
 * and with the default most of them outlive a scavenge and are copied into the old generation (a fifth less time
 * for a 200k-row import; docs/performance.md). The young generation grows to it only when the work needs it.
 */
export const IMPORT_HEAP_OPTIONS = ['--max-semi-space-size=64']

/** Structured clone over the channel: the body's bytes cross as bytes, not as JSON of an array of numbers. */
const forkOptions = (): ForkOptions => ({ serialization: 'advanced', execArgv: [...inheritedExecArgv(), ...IMPORT_HEAP_OPTIONS] })

type Pending = Map<number, { resolve: (reply: ImportReply) => void, reject: (error: Error) => void }>

/** One started process, with the steps it has not answered yet: a process that stops fails its own, never a successor's. */
interface Incarnation { child: ChildProcess, pending: Pending }

/** A body parsed in a process, kept there under `id` until it is imported or dropped. */
export interface ParsedTicket { incarnation: Incarnation, id: number }

export class ImportProcess {
  #current: Incarnation | undefined
  #nextId = 1

  constructor (readonly dbPath: string) {}

  /** The body parsed in the process and kept there, with its digest when asked; Fastify's parse error if it is not JSON. */
  async parse (raw: Buffer, digest: boolean): Promise<{ ticket: ParsedTicket, sha256: string | undefined }> {
    const incarnation = this.#current ??= this.#start()
    const id = this.#nextId++
    const reply = await this.#send(incarnation, { type: 'parse', id, raw, digest })
    return { ticket: { incarnation, id }, sha256: 'parsed' in reply ? reply.parsed.sha256 : undefined }
  }

  /** Imports the parsed body (null: none) on the process's connection; the import's error if it refused the bundle. */
  async run (ticket: ParsedTicket | null, actor: Actor, options: ImportOptions): Promise<ImportReport> {
    if (ticket !== null && ticket.incarnation !== this.#current) throw new Error('the import process that parsed the body has stopped')
    const incarnation = ticket?.incarnation ?? (this.#current ??= this.#start())
    const reply = await this.#send(incarnation, { type: 'run', id: this.#nextId++, body: ticket?.id ?? null, actor, options })
    if (!('report' in reply)) throw new Error('the import process answered a run without a report')
    return reply.report
  }

  /** Imports a spreadsheet's bytes on the process's connection (importFile); its 422 if the file has problems. */
  async runFile (raw: Uint8Array, actor: Actor, options: ImportFileOptions): Promise<SpreadsheetImportReport> {
    const incarnation = this.#current ??= this.#start()
    const reply = await this.#send(incarnation, { type: 'file', id: this.#nextId++, raw, actor, options })
    if (!('sheet' in reply)) throw new Error('the import process answered a file without a report')
    return reply.sheet
  }

  /** Starts the process ahead of the first import, so that it does not wait for the process and its modules to load. */
  prestart (): void {
    this.#current ??= this.#start()
  }

  /** Lets the process forget a parsed body that will not be imported. */
  drop (ticket: ParsedTicket): void {
    const { child } = ticket.incarnation
    if (ticket.incarnation === this.#current && child.connected) child.send({ type: 'drop', id: ticket.id } satisfies ImportMessage)
  }

  /** Stops the process; steps in flight fail. */
  async close (): Promise<void> {
    const current = this.#current
    this.#current = undefined
    if (current === undefined || current.child.exitCode !== null || current.child.signalCode !== null || current.child.pid === undefined) return
    await new Promise((resolve) => {
      current.child.once('exit', resolve)
      current.child.kill()
    })
  }

  async #send (incarnation: Incarnation, message: ImportMessage): Promise<ImportReply> {
    const reply = await new Promise<ImportReply>((resolve, reject) => {
      incarnation.pending.set(message.id, { resolve, reject })
      // A process that could not be started (no file descriptors left, say) has no channel: its 'error' fails the step.
      if (incarnation.child.pid === undefined) return
      holdOpen(incarnation.child, true)
      incarnation.child.send(message)
    })
    if ('error' in reply) throw fromWire(reply.error)
    return reply
  }

  #start (): Incarnation {
    const child = fork(entryBeside(import.meta.url, 'import-worker'), [this.dbPath], { ...forkOptions(), env: childEnvironment() })
    const incarnation: Incarnation = { child, pending: new Map() }
    holdOpen(child, false)
    child.on('message', (reply: ImportReply) => {
      const step = incarnation.pending.get(reply.id)
      incarnation.pending.delete(reply.id)
      if (incarnation.pending.size === 0) holdOpen(child, false)
      step?.resolve(reply)
    })
    // A crash or a stop fails every step in flight; the next import starts a fresh process.
    const fail = (error: Error): void => {
      if (this.#current === incarnation) this.#current = undefined
      for (const { reject } of incarnation.pending.values()) reject(error)
      incarnation.pending.clear()
    }
    child.on('error', fail)
    child.on('exit', (code, signal) => { fail(new Error(`the import process stopped (${signal === null ? `exit code ${code}` : signal})`)) })
    return incarnation
  }
}
