// `whodecides serve`: the service itself, started exactly as src/server.ts starts it, on the database of --db.
import type { Command } from 'commander'
import { UsageError } from '../errors.js'
import { globalsOf, localDatabase } from '../target.js'

export function registerServe (program: Command): void {
  program.command('serve')
    .description('run the service on the local database (the environment configures the rest, as for npm start)')
    .option('--host <address>', 'the address to listen on (else HOST, else 127.0.0.1)')
    .option('--port <number>', 'the port to listen on (else PORT, else 3000; 0: any free port)')
    .action(async (options: { host?: string, port?: string }, command: Command) => {
      const db = localDatabase(globalsOf(command), 'serve')
      if (options.port !== undefined && !/^\d{1,5}$/.test(options.port)) throw new UsageError(`--port: not a port number: "${options.port}"`)
      // The server reads its configuration from the environment (src/config.ts): the options are put there for it.
      process.env.WHODECIDES_DB = db
      if (options.host !== undefined) process.env.HOST = options.host
      if (options.port !== undefined) process.env.PORT = options.port
      await import('../../server.js')
    })
}
