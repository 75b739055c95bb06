// The organization the decider-answer tests ask about (test/decider-answers*.test.ts), built through the API.
import type { Test } from 'tap'
import type { Config } from '../src/config.js'
import type { Runtime } from '../src/runtime.js'
import { CaveatCache } from '../src/services/caveat-cache.js'
import { resolveDomainDecider, resolveInitiativeDecider } from '../src/services/deciders.js'
import { buildTestApp, type TestApp } from './helper.js'

export const EPOCH = '2020-01-01T00:00:00.000Z'
export const LEAVE = '2026-06-01T00:00:00.000Z'
export const DUE = '2026-02-01T00:00:00.000Z'
export const OBSERVED = '2026-01-10T00:00:00.000Z'

/**
 * Mo Chen leads the company; Dana Hale (Sales), Kim Ode (Ops) and Lee Park report to Mo; Nia Reed reports to Lee,
 * Sam Ito to Kim. Kim is on leave from LEAVE. Otto Vance, the retired founder, steers Dana.
 * Domains: company (A Mo) ← sales (A Dana), ops (A Kim), it (no A).
 */
export async function organization (t: Test, overrides: Partial<Config> = {}): Promise<TestApp> {
  const test = await buildTestApp(t, overrides)
  const person = (id: string, name: string, managerId?: string, extra: object = {}): [string, object] =>
    ['/v1/people', { id, name, email: `${id}@example.com`, ...(managerId === undefined ? {} : { managerId }), ...extra }]
  const assign = (id: string, personId: string, role: string, where: object): [string, object] =>
    ['/v1/assignments', { id, personId, role, ...where, validFrom: EPOCH }]
  const posts: [string, object][] = [
    person('mo', 'Mo Chen'), person('dana', 'Dana Hale', 'mo'), person('kim', 'Kim Ode', 'mo'), person('lee', 'Lee Park', 'mo'),
    person('nia', 'Nia Reed', 'lee'), person('sam', 'Sam Ito', 'kim'), person('otto', 'Otto Vance', undefined, { status: 'retired', statusSince: EPOCH, tags: ['founder'] }),
    ['/v1/domains', { id: 'company', name: 'Company' }],
    ['/v1/domains', { id: 'sales', name: 'Sales', parentId: 'company' }],
    ['/v1/domains', { id: 'ops', name: 'Ops', parentId: 'company' }],
    ['/v1/domains', { id: 'it', name: 'IT', parentId: 'company' }],
    ['/v1/initiatives', { id: 'crm', title: 'Roll out a CRM', domainId: 'sales' }],
    ['/v1/initiatives', { id: 'vendor', title: 'Pick a vendor', domainId: 'company', decisionDueAt: DUE }],
    ['/v1/initiatives', { id: 'warehouse', title: 'Automate the warehouse', domainId: 'ops' }],
    ['/v1/initiatives', { id: 'branch', title: 'Open a branch', domainId: 'ops' }],
    ['/v1/initiatives', { id: 'merge', title: 'Merge the teams', domainId: 'it' }],
    ['/v1/initiatives', { id: 'designer', title: 'Hire a designer', domainId: 'it', decisionRule: 'pool' }],
    ['/v1/initiatives', { id: 'building', title: 'Sell the building', domainId: 'it', decisionRule: 'unanimous' }],
    ['/v1/initiatives', { id: 'week', title: 'Trial a four-day week' }],
    assign('a-company', 'mo', 'A', { domainId: 'company' }),
    assign('a-sales', 'dana', 'A', { domainId: 'sales' }),
    assign('a-ops', 'kim', 'A', { domainId: 'ops' }),
    assign('a-branch', 'kim', 'A', { initiativeId: 'branch' }),
    assign('a-merge-1', 'lee', 'A', { initiativeId: 'merge' }),
    assign('a-merge-2', 'sam', 'A', { initiativeId: 'merge' }),
    assign('a-designer-1', 'dana', 'A', { initiativeId: 'designer' }),
    assign('a-designer-2', 'lee', 'A', { initiativeId: 'designer' }),
    assign('a-building-1', 'mo', 'A', { initiativeId: 'building' }),
    assign('a-building-2', 'lee', 'A', { initiativeId: 'building' }),
    ['/v1/delegations', { id: 'dg-branch', fromPersonId: 'kim', toPersonId: 'lee', initiativeId: 'branch', validFrom: EPOCH, validTo: '2027-03-01T00:00:00.000Z' }],
    ['/v1/influences', { id: 'inf-otto', personId: 'otto', overPersonId: 'dana', strength: 'high', observedAt: OBSERVED }]
  ]
  // Everyone has a Responsible, so that the caveats below are only those each case is about.
  for (const id of ['crm', 'vendor', 'warehouse', 'branch', 'merge', 'designer', 'building', 'week']) posts.push(assign(`r-${id}`, 'nia', 'R', { initiativeId: id }))
  for (const [url, payload] of posts) {
    const res = await test.call({ method: 'POST', url, payload })
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.body}`)
  }
  const leave = await test.call({ method: 'PATCH', url: '/v1/people/kim', payload: { status: 'on_leave', statusSince: LEAVE } })
  if (leave.statusCode !== 200) throw new Error(leave.body)
  return test
}

/** The organization's initiatives and domains. */
export const INITIATIVES = ['crm', 'vendor', 'warehouse', 'branch', 'merge', 'designer', 'building', 'week']
export const DOMAINS = ['company', 'sales', 'ops', 'it']

/** The caveat cache's contract: every answer now is the one judged afresh, by a cache that has seen nothing. */
export function assertJudgedAfresh (t: Test, runtime: Runtime): void {
  const fresh = { db: runtime.db, deciders: runtime.deciders, caveats: new CaveatCache(runtime.db) }
  for (const id of INITIATIVES) {
    const { at: _a, ...cached } = resolveInitiativeDecider(runtime, id)
    const { at: _b, ...afresh } = resolveInitiativeDecider(fresh, id)
    t.strictSame(cached, afresh, `${id}: as judged afresh`)
  }
  for (const id of DOMAINS) {
    const { at: _a, ...cached } = resolveDomainDecider(runtime, id)
    const { at: _b, ...afresh } = resolveDomainDecider(fresh, id)
    t.strictSame(cached, afresh, `domain ${id}: as judged afresh`)
  }
}
