// `whodecides backup FILE [--force]`: an online copy of the database while the service runs (npm run backup).
import type { Command } from 'commander'
import { backupDatabase } from '../../store/backup.js'
import { UsageError } from '../errors.js'
import { globalsOf, localDatabase } from '../target.js'

export function registerBackup (program: Command): void {
  program.command('backup')
    .description('copy the database to FILE while the service runs, and check the copy\'s integrity')
    .argument('[file]', 'the file to write: a regular file, never the database, its -wal, -shm or -journal, a link or a device')
    .option('--force', 'replace FILE if it exists', false)
    // The file is checked here, so that a missing or extra one is said in words of this command.
    .allowExcessArguments(true)
    .action(async (file: string | undefined, options: { force: boolean }, command: Command) => {
      if (file === undefined) throw new UsageError('backup: name the file to write, e.g. npm run backup -- backups/whodecides.db')
      const extra = command.args.slice(1)
      if (extra.length > 0) throw new UsageError(`backup: one file only, got also ${extra.join(' ')}`)
      const result = await backupDatabase(localDatabase(globalsOf(command), 'backup'), file, { overwrite: options.force })
      const mib = (result.bytes / 1024 / 1024).toFixed(1)
      process.stdout.write(`backup of ${result.source} written to ${result.destination}\n` +
        `integrity_check: ${result.integrity.join('; ')}\n` +
        `size: ${mib} MiB (${result.bytes} bytes, ${result.pages} pages)\n`)
    })
}
