// Every route of the service, registered in a visible order; the /v1 routes each declare who may call them.
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import bulkRoutes from './bulk.js'
import healthRoutes from './health.js'
import peopleRoutes from './people.js'
import keysRoutes from './keys.js'
import changesRoutes from './changes.js'
import domainRoutes from './domains.js'
import initiativeRoutes from './initiatives.js'
import assignmentsRoutes from './assignments.js'
import delegationsRoutes from './delegations.js'
import influencesRoutes from './influences.js'
import deciderRoutes from './deciders.js'
import decisionRoutes from './decisions.js'
import ruleRoutes from './rules.js'
import auditRoutes from './audits.js'
import waiverRoutes from './waivers.js'

export default async function routes (app: FastifyInstance, opts: { config: Config }): Promise<void> {
  await app.register(healthRoutes)
  await app.register(async (v1) => {
    await v1.register(peopleRoutes)
    await v1.register(keysRoutes)
    await v1.register(changesRoutes)
    await v1.register(domainRoutes)
    await v1.register(initiativeRoutes)
    await v1.register(assignmentsRoutes)
    await v1.register(delegationsRoutes)
    await v1.register(influencesRoutes)
    await v1.register(deciderRoutes)
    await v1.register(decisionRoutes)
    await v1.register(ruleRoutes)
    await v1.register(auditRoutes)
    await v1.register(waiverRoutes)
    await v1.register(bulkRoutes, { importBodyLimit: opts.config.importBodyLimit })
  }, { prefix: '/v1' })
}
