// The command line: `openapi [file]` prints the generated OpenAPI document, or writes it to the file;
// `backup <file> [--force]` copies the service's database (WHODECIDES_DB) while the service runs.
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { BackupError, backupDatabase } from './store/backup.js'
import { ConfigError, loadConfig } from './config.js'

const USAGE = `usage: whodecides <openapi|backup> [args]
  openapi [file]           print the OpenAPI document, or write it to file
  backup <file> [--force]  copy the database named by WHODECIDES_DB to file, online; --force replaces an existing file
                           (a regular file: never the database, its -wal, -shm or -journal, a link or a device)`

/** A mistake in the command line itself: one line naming it, exit code 2. */
class UsageError extends Error {}

// The OpenAPI document is loaded only when asked for: the backup must not pay for building the whole app.
const commands: Record<string, (args: string[]) => Promise<void>> = {
  openapi: async ([file]) => {
    const { generateOpenApi } = await import('./openapi-document.js')
    // Generated in full before the file is opened: a failure leaves the committed document as it was.
    const document = await generateOpenApi()
    if (file === undefined) process.stdout.write(document)
    else writeFileSync(file, document)
  },
  backup: async (args) => {
    let parsed
    try {
      parsed = parseArgs({ args, options: { force: { type: 'boolean', default: false } }, allowPositionals: true, strict: true })
    } catch (err) {
      throw new UsageError((err as Error).message)
    }
    const [file, ...extra] = parsed.positionals
    if (file === undefined) throw new UsageError('backup: name the file to write, e.g. npm run backup -- backups/whodecides.db')
    if (extra.length > 0) throw new UsageError(`backup: one file only, got also ${extra.join(' ')}`)
    // The same resolution as the server's: WHODECIDES_DB, else ./data/whodecides.db from the current folder.
    const result = await backupDatabase(loadConfig().dbPath, file, { overwrite: parsed.values.force })
    const mib = (result.bytes / 1024 / 1024).toFixed(1)
    process.stdout.write(`backup of ${result.source} written to ${result.destination}\n` +
      `integrity_check: ${result.integrity.join('; ')}\n` +
      `size: ${mib} MiB (${result.bytes} bytes, ${result.pages} pages)\n`)
  }
}

const [command, ...args] = process.argv.slice(2)
const run = command === undefined ? undefined : commands[command]
if (run === undefined) {
  console.error(USAGE)
  process.exit(2)
}
try {
  await run(args)
} catch (err) {
  // Expected failures (a bad argument, bad configuration, a missing database, a taken file name) are one line;
  // anything else keeps its stack.
  if (!(err instanceof UsageError || err instanceof ConfigError || err instanceof BackupError)) throw err
  console.error(`whodecides: ${err.message}`)
  process.exit(err instanceof UsageError ? 2 : 1)
}
