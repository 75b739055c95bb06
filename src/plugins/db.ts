// Builds the runtime (src/runtime.ts) on the configured database and decorates the app with it as `app.runtime`:
// started when the app is ready, stopped when it closes.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Runtime, type RuntimeOptions } from '../runtime.js'

declare module 'fastify' {
  interface FastifyInstance {
    runtime: Runtime
  }
}

async function database (app: FastifyInstance, opts: { dbPath: string } & RuntimeOptions): Promise<void> {
  const runtime = Runtime.open(opts.dbPath, opts)
  app.decorate('runtime', runtime)
  app.addHook('onReady', async () => { await runtime.start() })
  app.addHook('onClose', async () => { await runtime.stop() })
}

export default fp(database, { name: 'db' })
