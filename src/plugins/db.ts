// Opens the database for the app's lifetime and decorates the app with it as `app.db`; a database file has its
// write-ahead log checkpointed off the request thread (checkpointer.ts).
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Checkpointer } from '../checkpointer.js'
import { openDatabase, type Db } from '../database.js'

declare module 'fastify' {
  interface FastifyInstance { db: Db }
}

async function database (app: FastifyInstance, opts: { dbPath: string }): Promise<void> {
  const db = openDatabase(opts.dbPath)
  app.decorate('db', db)
  const checkpointer = db.$client.memory ? undefined : await Checkpointer.start(db)
  app.addHook('onClose', async () => {
    await checkpointer?.stop()
    db.$client.close()
  })
}

export default fp(database, { name: 'db' })
