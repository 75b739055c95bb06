// The `whodecides` command line's process (bin/whodecides.mjs runs it): the program of src/cli/program.ts on this
// process's arguments, its exit code as the process's.
import { runWhodecides } from './cli/program.js'

// A reader that stops early (`whodecides export | head`) closes the pipe: what is left to print has nowhere to go and
// is dropped, and the command ends as it would have, with its own exit code — not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') return
    process.exitCode = 1
  })
}

const code = await runWhodecides(process.argv.slice(2))
// A command that set its own exit code (a failed write to stdout) keeps it.
if (code !== 0 || process.exitCode === undefined) process.exitCode = code
