// Opens the database for the app's lifetime and decorates the app with it as `app.db`, and with its import runner as
// `app.imports`; a database file has its write-ahead log checkpointed off the request thread (checkpointer.ts).
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Checkpointer } from '../checkpointer.js'
import { openDatabase, type Db } from '../database.js'
import { startImportRunner, type ImportRunner } from '../services/import-runner.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    /** Runs POST /v1/import off the request thread (import-runner.ts). */
    imports: ImportRunner
  }
}

async function database (app: FastifyInstance, opts: { dbPath: string }): Promise<void> {
  const db = openDatabase(opts.dbPath)
  app.decorate('db', db)
  const imports = startImportRunner(db)
  app.decorate('imports', imports)
  // Its process loads while the rest of the app does, so that the first import does not wait for it.
  imports.prestart()
  const checkpointer = db.$client.memory ? undefined : await Checkpointer.start(db)
  app.addHook('onClose', async () => {
    await imports.close()
    await checkpointer?.stop()
    db.$client.close()
  })
}

export default fp(database, { name: 'db' })
