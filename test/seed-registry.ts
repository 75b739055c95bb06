// Test fixtures for the role, delegation and influence suites: people, domains and initiatives to point at.
import type { Test } from 'tap'
import { domains, initiatives } from '../db/schema.js'
import { buildTestApp, type TestApp } from './helper.js'

export const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
export const T0 = '2026-01-01T00:00:00.000Z'

/** People ada, grace and alan through the API; domains and initiatives written straight to the tables. */
export async function seedRegistry (t: Test, { app, call }: TestApp): Promise<void> {
  for (const [id, name] of [['ada', 'Ada Lovelace'], ['grace', 'Grace Hopper'], ['alan', 'Alan Turing']]) {
    const res = await call({ method: 'POST', url: '/v1/people', payload: { id, name, email: `${id}@example.com` } })
    t.equal(res.statusCode, 201, `seed person ${id}`)
  }
  const meta = { version: 1, createdAt: T0, updatedAt: T0 }
  app.runtime.db.insert(domains).values([
    { id: 'commercial', name: 'Commercial', description: null, parentId: null, ...meta },
    { id: 'pricing', name: 'Pricing', description: null, parentId: 'commercial', ...meta }
  ]).run()
  app.runtime.db.insert(initiatives).values({
    id: 'new-prices', title: 'New prices', destination: null, description: null, domainId: 'pricing', status: 'active',
    decisionRule: 'single', decisionDueAt: null, ...meta
  }).run()
}

/** How many change-log entries the entity has: a refused request must leave it unchanged. */
export const changeCount = (app: TestApp['app'], entity: string): number =>
  (app.runtime.db.$client.prepare('SELECT count(*) AS n FROM changes WHERE entity = ?').get(entity) as { n: number }).n

/** The change-log entry of a revision, with before and after parsed. */
export function changeAt (app: TestApp['app'], revision: number): Record<string, unknown> {
  const row = app.runtime.db.$client.prepare('SELECT action, entity, entity_id AS entityId, before, after FROM changes WHERE revision = ?')
    .get(revision) as Record<string, string | null>
  return { ...row, before: row.before === null ? null : JSON.parse(row.before!), after: row.after === null ? null : JSON.parse(row.after!) }
}

/** A fresh test app with the seeded people, domains and initiative. */
export async function buildSeededApp (t: Test): Promise<TestApp> {
  const app = await buildTestApp(t)
  await seedRegistry(t, app)
  return app
}
