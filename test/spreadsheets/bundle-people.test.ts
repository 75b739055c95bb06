// POST /v1/import with a JSON bundle, as people write one: persons named by email or external id, rows without
// validFrom that are the assignments holding now, the same bundle twice changing nothing, and what ended reported.
import t from 'tap'
import { assertProblem, buildTestApp, type TestApp } from '../helper.js'

async function importBundle (test: TestApp, bundle: object, query = '') {
  return await test.call({ method: 'POST', url: `/v1/import${query}`, payload: bundle })
}

async function exported (test: TestApp): Promise<any> {
  return (await test.call({ method: 'GET', url: '/v1/export' })).json()
}

const people = [
  { id: 'ada', name: 'Ada Lovelace', email: 'Ada@Example.com', externalId: 'HR-1' },
  // Listed after the person who reports to her, with no id: her id is made here, and her email names her.
  { name: 'Bob Babbage', email: 'bob@example.com', managerId: 'CYD@example.com', externalId: 'HR-2' },
  { name: 'Cyd Charisse', email: 'cyd@example.com', externalId: 'ada-2' },
  // An id that is also another person's external id: the id decides.
  { id: 'ada-2', name: 'Ada the second', email: 'ada2@example.com' }
]

const bundle = {
  people,
  initiatives: [{ id: 'pricing', title: 'New pricing' }],
  assignments: [
    { personId: 'ada@example.com', role: 'A', initiativeId: 'pricing' },
    { personId: 'HR-2', role: 'R', initiativeId: 'pricing' },
    { personId: 'ada-2', role: 'I', initiativeId: 'pricing' }
  ],
  delegations: [{ fromPersonId: 'HR-1', toPersonId: 'bob@example.com', initiativeId: 'pricing', reason: 'leave' }],
  influences: [{ personId: 'cyd@example.com', overPersonId: 'ada', strength: 'high' }],
  decisions: [{ initiativeId: 'pricing', decidedBy: 'HR-1', decidedAt: '2026-01-02T00:00:00Z', outcome: 'Go' }]
}

t.test('a person by id, email (any case) or external id, in every field that names one; the id first', async (t) => {
  const test = await buildTestApp(t)
  const res = await importBundle(test, bundle)
  t.equal(res.statusCode, 200, res.body)
  const registry = await exported(test)
  const idOf = (email: string): string => registry.people.find((p: any) => p.email.toLowerCase() === email).id
  const [bob, cyd] = [idOf('bob@example.com'), idOf('cyd@example.com')]
  t.equal(registry.people.find((p: any) => p.id === bob).managerId, cyd, 'a manager by email, listed after the report')
  t.same(registry.assignments.map((a: any) => `${a.personId}:${a.role}`).sort(), ['ada-2:I', 'ada:A', `${bob}:R`].sort())
  t.match(registry.delegations, [{ fromPersonId: 'ada', toPersonId: bob }])
  t.match(registry.influences, [{ personId: cyd, overPersonId: 'ada' }])
  t.match(registry.decisions, [{ decidedBy: 'ada' }])
  const decider = (await test.call({ method: 'GET', url: '/v1/initiatives/pricing/decider' })).json()
  t.ok(JSON.stringify(decider).includes('"ada"'), 'the decider resolved through the references as written')
})

t.test('a name that is no one\'s id, email or external id: 422 at its field, nothing written', async (t) => {
  const test = await buildTestApp(t)
  await importBundle(test, { people: [people[0]], initiatives: bundle.initiatives })
  const before = await exported(test)
  const res = await importBundle(test, {
    assignments: [
      { personId: 'nobody@example.com', role: 'A', initiativeId: 'pricing' },
      { personId: 'HR-404', role: 'R', initiativeId: 'pricing' }
    ]
  })
  const problem = assertProblem(t, res, 422, 'WHODECIDES_ERR_INVALID_BUNDLE')
  t.same(problem.report.invalid.map((r: any) => [r.index, r.field]), [[0, '/personId'], [1, '/personId']])
  t.match(problem.report.invalid[0].reason, /no person with the id, email or external id "nobody@example.com"/)
  t.match(problem.report.invalid[1].reason, /"HR-404"/)
  t.same(await exported(test), before)
})

t.test('the same bundle twice changes nothing: rows without validFrom are the assignments that hold now', async (t) => {
  const test = await buildTestApp(t)
  const first = await importBundle(test, bundle)
  t.equal(first.statusCode, 200, first.body)
  const before = await exported(test)
  const again = await importBundle(test, bundle)
  t.equal(again.statusCode, 200, again.body)
  const report = again.json()
  t.equal(report.revision, null, 'nothing written')
  for (const [name, outcome] of Object.entries<any>(report.collections)) {
    t.match(outcome, { created: 0, updated: 0, ended: 0, removed: 0 }, name)
  }
  t.match(report.collections.assignments, { unchanged: 3 })
  t.match(report.collections.delegations, { unchanged: 1 })
  t.match(report.collections.influences, { unchanged: 1 })
  t.same(await exported(test), before)

  // An export, edited, imported: a role ended now, one added; the report says which.
  const edited = structuredClone(before)
  const ended = edited.assignments.find((a: any) => a.role === 'R')
  ended.validTo = new Date().toISOString()
  edited.assignments.push({ personId: 'cyd@example.com', role: 'C', initiativeId: 'pricing' })
  const res = await importBundle(test, edited)
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json().collections.assignments, { created: 1, updated: 0, ended: 1, unchanged: 2, ids: { ended: [ended.id] } })
  const raci = (await test.call({ method: 'GET', url: '/v1/initiatives/pricing/raci' })).json()
  t.same(raci.R, [])
  t.equal(raci.C.length, 1)
})

t.test('a row without validFrom where none holds now starts now; with its id it keeps the dates on record', async (t) => {
  const test = await buildTestApp(t)
  await importBundle(test, { people: [people[0]], initiatives: bundle.initiatives })
  const past = { id: 'old', personId: 'ada', role: 'C', initiativeId: 'pricing', validFrom: '2025-01-01T00:00:00.000Z', validTo: '2025-06-01T00:00:00.000Z' }
  t.equal((await importBundle(test, { assignments: [past] })).statusCode, 200)
  const res = await importBundle(test, { assignments: [{ personId: 'ada', role: 'C', initiativeId: 'pricing' }, { id: 'old', personId: 'ada', role: 'C', initiativeId: 'pricing', validTo: past.validTo }] })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json().collections.assignments, { created: 1, unchanged: 1 }, 'an ended period is not the one that holds now')
  const rows = (await exported(test)).assignments
  t.equal(rows.length, 2)
  t.equal(rows.find((a: any) => a.id === 'old').validFrom, past.validFrom)
  t.ok(rows.find((a: any) => a.id !== 'old').validFrom > '2026-01-01')
})

t.test('an editor may end an assignment by import; a reader may not import', async (t) => {
  const test = await buildTestApp(t)
  await importBundle(test, bundle)
  const rows = (await exported(test)).assignments
  const res = await test.call({ method: 'POST', url: '/v1/import', payload: { assignments: [{ ...rows[0], validTo: new Date().toISOString() }] }, as: 'editor' })
  t.equal(res.statusCode, 200, res.body)
  t.equal(res.json().collections.assignments.ended, 1)
  assertProblem(t, await test.call({ method: 'POST', url: '/v1/import', payload: bundle, as: 'reader' }), 403, 'WHODECIDES_ERR_FORBIDDEN')
})
