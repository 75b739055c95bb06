// A small registry to export and import RACI matrices against, built through the API: two A's on one initiative,
// none on another, a retired decider on a third, and a title that a spreadsheet would run as a formula.
import type { TestApp } from '../helper.js'

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

const PEOPLE = [
  { id: 'ada', name: 'Ada Lovelace', email: 'ada@example.com', externalId: 'E-1' },
  { id: 'bob', name: 'Bob Babbage', email: 'bob@example.com' },
  { id: 'cyd', name: 'Cyd Charisse', email: 'cyd@example.com' },
  { id: 'dee', name: 'Dee Dee', email: 'dee@example.com', status: 'retired' },
  { id: 'eve', name: 'Eve Moneypenny', email: 'eve@example.com' }
]

const DOMAINS = [{ id: 'sales', name: 'Sales' }, { id: 'ops', name: 'Operations' }]

const INITIATIVES = [
  { id: 'pricing', title: 'New pricing', domainId: 'sales' },
  { id: 'hiring', title: 'Hiring plan', domainId: 'ops' },
  { id: 'crm', title: 'CRM rollout', domainId: 'sales', decisionRule: 'pool' },
  { id: 'move', title: 'Office move' },
  { id: 'formula', title: '=HYPERLINK("http://evil.example","click")', domainId: 'ops' }
]

/** Role cells: initiative → person → roles. */
export const ROLES: Record<string, Record<string, string[]>> = {
  pricing: { ada: ['A'], bob: ['R'], cyd: ['C', 'I'] },
  hiring: { ada: ['A'], bob: ['A', 'R'] },
  crm: { dee: ['A'], eve: ['R'] },
  move: { eve: ['R'] },
  formula: { cyd: ['A'] }
}

export const ROLE_CELLS = Object.values(ROLES).reduce((n, row) => n + Object.values(row).reduce((m, roles) => m + roles.length, 0), 0)

async function post (test: TestApp, url: string, payload: object): Promise<void> {
  const res = await test.call({ method: 'POST', url, payload })
  if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
}

/** The people, domains and initiatives; with `roles`, the assignments of ROLES too. */
export async function seedRegistry (test: TestApp, roles = true): Promise<void> {
  for (const person of PEOPLE) await post(test, '/v1/people', person)
  for (const domain of DOMAINS) await post(test, '/v1/domains', domain)
  for (const initiative of INITIATIVES) await post(test, '/v1/initiatives', initiative)
  if (!roles) return
  for (const [initiativeId, row] of Object.entries(ROLES)) {
    for (const [personId, held] of Object.entries(row)) {
      for (const role of held) await post(test, '/v1/assignments', { personId, role, initiativeId })
    }
  }
}

/** The whole registry as a bundle: equal before and after means nothing was written. */
export async function registryOf (test: TestApp): Promise<unknown> {
  const res = await test.call({ method: 'GET', url: '/v1/export' })
  if (res.statusCode !== 200) throw new Error(`export: ${res.body}`)
  return res.json()
}

/** POST /v1/import with a file. */
export async function importFile (test: TestApp, body: Buffer | string, type: string, query = '', as: 'admin' | 'editor' | 'reader' | 'auditor' = 'admin') {
  return await test.call({ method: 'POST', url: `/v1/import${query}`, payload: body, headers: { 'content-type': type }, as })
}

/** GET /v1/raci in a form, as bytes. */
export async function exportMatrix (test: TestApp, query: string, accept?: string) {
  return await test.app.inject({
    method: 'GET', url: `/v1/raci${query}`,
    headers: { authorization: `Bearer ${test.tokens.admin}`, ...(accept === undefined ? {} : { accept }) }
  })
}
