// A small registry for the fuzzer to start from, so that valid requests reach deep code: people of every status,
// a domain tree, initiatives of every decision rule, roles, a delegation, an influence, decisions and an audit run.
import type { Test } from 'tap'
import type { TestApp } from '../helper.js'
import { seedRegistry } from '../seed-registry.js'

export async function seedFuzzRegistry (t: Test, testApp: TestApp): Promise<void> {
  await seedRegistry(t, testApp)
  const { call } = testApp
  const post = async (url: string, payload: Record<string, unknown>): Promise<void> => {
    const res = await call({ method: 'POST', url, payload })
    if (res.statusCode !== 201) throw new Error(`seeding POST ${url} answered ${res.statusCode}: ${res.body}`)
  }
  await post('/v1/people', { id: 'lin', name: 'Lin Chen', email: 'lin@example.com', tags: ['shareholder'], stakePercent: 40 })
  await post('/v1/people', { id: 'old-founder', name: 'Old Founder', email: 'founder@example.com', tags: ['founder'], status: 'retired' })
  await post('/v1/people', { id: 'away', name: 'On Leave', email: 'away@example.com', status: 'on_leave', managerId: 'ada' })
  await post('/v1/domains', { id: 'product', name: 'Product' })
  await post('/v1/domains', { id: 'roadmap', name: 'Roadmap', parentId: 'product' })
  await post('/v1/initiatives', { id: 'pool-call', title: 'Pool call', domainId: 'roadmap', decisionRule: 'pool' })
  await post('/v1/initiatives', { id: 'all-agree', title: 'All agree', domainId: 'product', decisionRule: 'unanimous', decisionDueAt: '2026-01-15T00:00:00Z' })
  await post('/v1/assignments', { id: 'a-pricing', personId: 'ada', role: 'A', domainId: 'pricing', validFrom: '2025-01-01T00:00:00Z' })
  await post('/v1/assignments', { id: 'a-away', personId: 'away', role: 'A', initiativeId: 'pool-call', validFrom: '2025-01-01T00:00:00Z' })
  await post('/v1/assignments', { personId: 'grace', role: 'A', initiativeId: 'pool-call', validFrom: '2025-01-01T00:00:00Z' })
  await post('/v1/assignments', { personId: 'alan', role: 'R', initiativeId: 'new-prices' })
  await post('/v1/assignments', { personId: 'lin', role: 'C', domainId: 'product', validTo: '2027-01-01T00:00:00Z' })
  await post('/v1/delegations', { id: 'd-away', fromPersonId: 'away', toPersonId: 'alan', allScopes: true, reason: 'parental leave' })
  await post('/v1/influences', { id: 'i-founder', personId: 'old-founder', initiativeId: 'new-prices', strength: 'high' })
  await post('/v1/initiatives/new-prices/decisions', { id: 'prices-go', decidedBy: 'ada', decidedAt: '2026-03-03T09:00:00Z', outcome: 'Go' })
  await post('/v1/initiatives/pool-call/decisions', { decidedBy: 'lin', decidedAt: '2026-04-01T09:00:00Z', outcome: 'Shareholder call' })
  await post('/v1/audits', {})
}
