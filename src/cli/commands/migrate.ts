// `whodecides migrate`: creates the database if need be and brings its schema up to date, as the server does on start.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { Output } from '../output.js'
import { globalsOf, localDatabase } from '../target.js'

export function registerMigrate (program: Command): void {
  program.command('migrate')
    .description('create the local database if it is missing and bring its schema up to date')
    .action(async (_options: unknown, command: Command) => {
      const globals = globalsOf(command)
      const file = localDatabase(globals, 'migrate')
      const existed = file === ':memory:' || existsSync(file)
      const { Runtime } = await import('../../runtime.js')
      await Runtime.open(file).stop()
      new Output(globals).line(`${existed ? 'database' : 'new database'} ${resolve(file)}: schema up to date`)
    })
}
