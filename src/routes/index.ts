// Every route of the service, registered in a visible order; the /v1 routes each declare who may call them.
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import healthRoutes from './health.js'
import peopleRoutes from './people.js'

export default async function routes (app: FastifyInstance, _opts: { config: Config }): Promise<void> {
  await app.register(healthRoutes)
  await app.register(async (v1) => {
    await v1.register(peopleRoutes)
  }, { prefix: '/v1' })
}
