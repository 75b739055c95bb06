// What the command line prints and how: aligned tables, colour and a progress bar on a terminal; plain text in a pipe,
// under NO_COLOR (https://no-color.org) or with TERM=dumb; no progress bar in a pipe or with --quiet.
import { writeFileSync } from 'node:fs'
import cliProgress from 'cli-progress'
import Table from 'cli-table3'
import picocolors from 'picocolors'
import { CliError } from './errors.js'

type Colors = ReturnType<typeof picocolors.createColors>

/** Drawn only when stdout is a terminal: in a pipe a table is columns separated by spaces, for grep and cut. */
const PLAIN_CHARS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  '
}

/** A table row: a value per column, or one cell spanning several (a group's heading). */
export type TableRow = Array<string | { content: string, colSpan: number }>

/** Counts work done towards a total; does nothing where no bar is shown. */
export interface Progress {
  increment: (by?: number) => void
  stop: () => void
}

export interface OutputOptions {
  quiet: boolean
  env?: NodeJS.ProcessEnv
  stdout?: NodeJS.WriteStream
  stderr?: NodeJS.WriteStream
}

export class Output {
  /** Colours, or identity functions where there must be none. */
  readonly colors: Colors
  readonly quiet: boolean
  readonly #terminal: boolean
  readonly #stdout: NodeJS.WriteStream
  readonly #stderr: NodeJS.WriteStream

  constructor ({ quiet, env = process.env, stdout = process.stdout, stderr = process.stderr }: OutputOptions) {
    this.quiet = quiet
    this.#stdout = stdout
    this.#stderr = stderr
    this.#terminal = stdout.isTTY === true
    const noColor = (env.NO_COLOR ?? '') !== '' || env.TERM === 'dumb'
    this.colors = picocolors.createColors(this.#terminal && !noColor)
  }

  /** A line of the command's answer, on stdout. */
  line (text = ''): void {
    this.#stdout.write(text + '\n')
  }

  /** A remark about the work (where a file was written), on stderr; nothing with --quiet. */
  note (text: string): void {
    if (!this.quiet) this.#stderr.write(text + '\n')
  }

  /** Rows under a header, aligned; boxed and coloured on a terminal, plain columns in a pipe. */
  table (head: string[], rows: TableRow[]): string {
    const drawn = this.#terminal
    const table = new Table({
      head: head.map((h) => this.colors.bold(h)),
      style: { head: [], border: [], compact: true, 'padding-left': drawn ? 1 : 0, 'padding-right': drawn ? 1 : 0 },
      ...(drawn ? {} : { chars: PLAIN_CHARS })
    })
    table.push(...rows)
    // Plain columns end in padding: trimmed, so that a line ends with its last value.
    return drawn ? table.toString() : table.toString().split('\n').map((l) => l.trimEnd()).join('\n')
  }

  /** A bar on stderr for work of `total` steps, on a terminal and without --quiet only. */
  progress (label: string, total: number): Progress {
    if (this.quiet || this.#stderr.isTTY !== true || total <= 0) return { increment: () => {}, stop: () => {} }
    const bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {value}/{total}`, stream: this.#stderr, hideCursor: true, clearOnComplete: true })
    bar.start(total, 0)
    return { increment: (by = 1) => { bar.increment(by) }, stop: () => { bar.stop() } }
  }

  /** The answer written to `file` (with a note saying so), or printed when no file is named. */
  deliver (content: string | Buffer, file: string | undefined, what: string): void {
    if (file === undefined) {
      this.#stdout.write(content)
      return
    }
    try {
      writeFileSync(file, content)
    } catch (err) {
      throw new CliError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
    }
    this.note(`${what} written to ${file}`)
  }
}
