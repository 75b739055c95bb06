// How the command line fails: one line on stderr naming what is at fault, and an exit code — 2 for a mistake in the
// command line itself, 1 for everything else. Never a stack trace.
import { CommanderError } from 'commander'
import { ConfigError } from '../config.js'
import { ProblemError } from '../errors.js'
import { BackupError } from '../store/backup.js'

/** A mistake in the command line itself (an option, an argument, a missing value): exit code 2. */
export class UsageError extends Error {}

/** A failure the user can act on (a refused key, an unknown initiative, a file that cannot be read): exit code 1. */
export class CliError extends Error {
  /** More lines after the first, such as every invalid row of an import. */
  readonly details: string[]

  constructor (message: string, details: string[] = []) {
    super(message)
    this.details = details
  }
}

/** Where the command ends with a code of its own and nothing to say (audit --fail-on): not an error. */
export class ExitCode extends Error {
  constructor (readonly code: number) {
    super(`exit ${code}`)
  }
}

export const USAGE_EXIT = 2

/** Commander's own message as one sentence: "error: unknown option '--frce'\n(Did you mean --force?)" → "Unknown option '--frce' (did you mean --force?)". */
function commanderMessage (err: CommanderError): string {
  const text = err.message.replace(/^error: /, '').replace(/\n\(Did you mean/g, ' (did you mean').replace(/\s*\n\s*/g, ' ').trim()
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** Writes the error's one line (and its details) to stderr; returns the exit code. */
export function reportError (err: unknown, write: (line: string) => void): number {
  if (err instanceof ExitCode) return err.code
  if (err instanceof CommanderError) {
    // Help asked for (exit 0), or shown for a command that needs a subcommand (written already: a usage error).
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return err.exitCode
    if (err.code === 'commander.help') return err.exitCode === 0 ? 0 : USAGE_EXIT
    write(`whodecides: ${commanderMessage(err)}`)
    return USAGE_EXIT
  }
  if (err instanceof UsageError) {
    write(`whodecides: ${err.message}`)
    return USAGE_EXIT
  }
  if (err instanceof CliError) {
    write(`whodecides: ${err.message}`)
    for (const line of err.details) write(`  ${line}`)
    return 1
  }
  if (err instanceof ProblemError || err instanceof ConfigError || err instanceof BackupError) {
    write(`whodecides: ${err.message}`)
    return 1
  }
  // Unexpected: still one line, with what the error says of itself.
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  write(`whodecides: unexpected error: ${message.split('\n')[0] ?? ''}`)
  return 1
}
