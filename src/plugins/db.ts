// Opens the database for the app's lifetime and decorates the app with it as `app.db`.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { openDatabase, type Db } from '../database.js'

declare module 'fastify' {
  interface FastifyInstance { db: Db }
}

async function database (app: FastifyInstance, opts: { dbPath: string }): Promise<void> {
  const db = openDatabase(opts.dbPath)
  app.decorate('db', db)
  app.addHook('onClose', async () => { db.$client.close() })
}

export default fp(database, { name: 'db' })
