// The `whodecides` command line (bin/whodecides.mjs): one commander program, a file per command in src/cli/commands/.
// Commands run on the local database (--db, WHODECIDES_DB, else the server's default file) or on a running service
// (--url and --key, or WHODECIDES_URL and WHODECIDES_KEY). A failure is one line on stderr: exit 2 for a mistake in
// the command line, 1 otherwise (src/cli/errors.ts).
import { Command, Option } from 'commander'
import { defaultConfig } from './config.js'
import { registerAudit } from './cli/commands/audit.js'
import { registerBackup } from './cli/commands/backup.js'
import { registerExport } from './cli/commands/export.js'
import { registerImport } from './cli/commands/import.js'
import { registerKeys } from './cli/commands/keys.js'
import { registerMigrate } from './cli/commands/migrate.js'
import { registerOpenapi } from './cli/commands/openapi.js'
import { registerServe } from './cli/commands/serve.js'
import { registerWho } from './cli/commands/who.js'
import { reportError, USAGE_EXIT } from './cli/errors.js'

const EXAMPLES = `
Examples:
  whodecides migrate --db ./data/mine.db                 create a database of your own
  whodecides import people.csv --map "Work mail=email"   people as HR exports them
  whodecides import raci.xlsx --dry-run                  check a RACI matrix, write nothing
  whodecides who price-list --at 2026-03-01              who decided then, and why
  whodecides audit --fail-on error                       exit 1 while errors remain
  whodecides audit --from raci.csv --format sarif        a matrix checked alone, no database
  whodecides export --format raci-xlsx --out raci.xlsx   the matrix with its problem cells
  whodecides who price-list --url http://127.0.0.1:3000 --key "$WHODECIDES_KEY"

Each command says more with --help, e.g. whodecides import --help.`

function program (): Command {
  const cli = new Command('whodecides')
    .description('Who decides? The decision-rights registry on the command line.')
    .addOption(new Option('--db <file>', 'the local database file').env('WHODECIDES_DB').default(defaultConfig.dbPath))
    .addOption(new Option('--url <url>', 'a running service to use instead of the local database').env('WHODECIDES_URL'))
    .addOption(new Option('--key <token>', 'the API key for --url').env('WHODECIDES_KEY'))
    .option('-q, --quiet', 'no progress bars and no remarks on stderr', false)
    // Inherited by every command registered below: errors come back here to be said in one line.
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true)
    .addHelpText('after', EXAMPLES)
  // In the order --help lists them, and the usage line names them.
  registerOpenapi(cli)
  registerBackup(cli)
  registerServe(cli)
  registerMigrate(cli)
  registerKeys(cli)
  registerWho(cli)
  registerAudit(cli)
  registerExport(cli)
  registerImport(cli)
  return cli
}

// A reader that stops early (`whodecides export | head`) closes the pipe: what is left to print has nowhere to go and
// is dropped, and the command ends as it would have, with its own exit code — not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') return
    process.exitCode = 1
  })
}

const cli = program()
const [, , command] = process.argv
const names = cli.commands.map((c) => c.name())
if (command === undefined || (!command.startsWith('-') && command !== 'help' && !names.includes(command))) {
  // No command, or one that does not exist: the usage in one line (the maintenance commands first, as before).
  const [openapi, backup, ...rest] = names
  const wrong = command === undefined ? 'name a command' : `no command "${command}"`
  console.error(`usage: whodecides <${openapi ?? ''}|${backup ?? ''}> | <${rest.join('|')}> [options]: ${wrong} (whodecides --help says more)`)
  process.exit(USAGE_EXIT)
}
try {
  await cli.parseAsync(process.argv)
} catch (err) {
  process.exitCode = reportError(err, (line) => { process.stderr.write(line + '\n') })
}
