// The `whodecides` program: one commander program, a file per command in src/cli/commands/, run on the arguments
// after the command's name. Commands run on the local database (--db, WHODECIDES_DB, else the server's default file)
// or on a running service (--url and --key, or WHODECIDES_URL and WHODECIDES_KEY). A failure is one line on stderr:
// exit 2 for a mistake in the command line, 1 otherwise (src/cli/errors.ts).
import { Command, Option } from 'commander'
import { defaultConfig } from '../config.js'
import { registerAudit } from './commands/audit.js'
import { registerBackup } from './commands/backup.js'
import { registerExport } from './commands/export.js'
import { registerImport } from './commands/import.js'
import { registerKeys } from './commands/keys.js'
import { registerMigrate } from './commands/migrate.js'
import { registerOpenapi } from './commands/openapi.js'
import { registerServe } from './commands/serve.js'
import { registerWho } from './commands/who.js'
import { reportError, USAGE_EXIT } from './errors.js'

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

/**
 * Runs `whodecides ARGS` in this process (a fresh program each time) and resolves to its exit code; output goes to
 * this process's stdout and stderr, a failure as one line on stderr. Never rejects for a mistake of the caller's.
 */
export async function runWhodecides (args: readonly string[]): Promise<number> {
  const cli = program()
  const [command] = args
  const names = cli.commands.map((c) => c.name())
  if (command === undefined || (!command.startsWith('-') && command !== 'help' && !names.includes(command))) {
    // No command, or one that does not exist: the usage in one line (the maintenance commands first).
    const [openapi, backup, ...rest] = names
    const wrong = command === undefined ? 'name a command' : `no command "${command}"`
    process.stderr.write(`usage: whodecides <${openapi ?? ''}|${backup ?? ''}> | <${rest.join('|')}> [options]: ${wrong} (whodecides --help says more)\n`)
    return USAGE_EXIT
  }
  try {
    await cli.parseAsync([...args], { from: 'user' })
    return 0
  } catch (err) {
    return reportError(err, (line) => { process.stderr.write(line + '\n') })
  }
}
