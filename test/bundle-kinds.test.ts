// Delegation kinds and decision kinds through the bundle: exported and imported as they are, and a decision's
// `supersedes` held to the same rule as the API's (an earlier or same-time decision on the same initiative, not itself).
import t from 'tap'
import { assertProblem, buildTestApp, type TestApp } from './helper.js'

const FROM = '2026-01-01T00:00:00.000Z'
const UNTIL = '2026-07-01T00:00:00.000Z'

/** A CEO who transferred the trade show to her VP and has a deputy for the rest; the calls made on it, of every kind. */
const bundle = {
  people: [
    { id: 'mara', name: 'Mara Quist', email: 'mara@example.com' },
    { id: 'lee', name: 'Lee Park', email: 'lee@example.com' },
    { id: 'sam', name: 'Sam Ito', email: 'sam@example.com' }
  ],
  initiatives: [
    { id: 'trade-show', title: 'The trade show', status: 'active' },
    { id: 'offsite', title: 'The offsite', status: 'active' }
  ],
  assignments: [
    { id: 'a-show', personId: 'mara', role: 'A', initiativeId: 'trade-show', validFrom: FROM },
    { id: 'a-offsite', personId: 'mara', role: 'A', initiativeId: 'offsite', validFrom: FROM }
  ],
  delegations: [
    { id: 'to-lee', fromPersonId: 'mara', toPersonId: 'lee', initiativeId: 'trade-show', kind: 'transfer', validFrom: FROM, validTo: UNTIL },
    { id: 'cover', fromPersonId: 'mara', toPersonId: 'sam', allScopes: true, validFrom: FROM }
  ],
  decisions: [
    // Listed before the call it reverses: the import does not depend on row order.
    { id: 'undo', initiativeId: 'trade-show', decidedBy: 'mara', decidedAt: '2026-03-01T00:00:00Z', outcome: 'Not Berlin', kind: 'reversal', supersedes: 'berlin' },
    { id: 'berlin', initiativeId: 'trade-show', decidedBy: 'lee', decidedAt: '2026-02-01T00:00:00Z', outcome: 'Berlin' },
    { id: 'wait', initiativeId: 'offsite', decidedBy: 'mara', decidedAt: '2026-02-01T00:00:00Z', outcome: 'After the summer', kind: 'deferral' },
    { id: 'no', initiativeId: 'offsite', decidedBy: 'mara', decidedAt: '2026-02-01T00:00:00Z', outcome: 'Not this year', kind: 'veto', supersedes: 'wait' }
  ]
}

async function exportAll (call: TestApp['call']): Promise<any> {
  const res = await call({ method: 'GET', url: '/v1/export', as: 'reader' })
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json()
}

const changeCount = (app: TestApp['app']): number =>
  (app.runtime.db.$client.prepare('SELECT count(*) AS n FROM changes').get() as { n: number }).n

t.test('kinds and supersedes round-trip: export, import elsewhere, export again gives the same bundle, and the same answers', async (t) => {
  const first = await buildTestApp(t)
  const imported = await first.call({ method: 'POST', url: '/v1/import', payload: bundle })
  t.equal(imported.statusCode, 200, imported.body)
  const exported = await exportAll(first.call)
  t.strictSame(exported.delegations.map((d: any) => [d.id, d.kind]), [['cover', 'deputy'], ['to-lee', 'transfer']], 'a delegation\'s kind, deputy by default')
  t.strictSame(exported.decisions.map((d: any) => [d.id, d.kind, d.supersedes]).sort(), [
    ['berlin', 'decision', null], ['no', 'veto', 'wait'], ['undo', 'reversal', 'berlin'], ['wait', 'deferral', null]
  ], 'each decision\'s kind (decision by default) and what it supersedes')

  const second = await buildTestApp(t)
  const again = await second.call({ method: 'POST', url: '/v1/import', payload: exported })
  t.equal(again.statusCode, 200, again.body)
  t.strictSame(await exportAll(second.call), exported, 'the second registry exports the same bundle')
  for (const url of ['/v1/initiatives/trade-show/decider?at=2026-02-01T00:00:00Z', '/v1/initiatives/offsite/decider?at=2026-02-01T00:00:00Z']) {
    const [one, two] = await Promise.all([first.call({ method: 'GET', url }), second.call({ method: 'GET', url })])
    t.strictSame(two.json(), one.json(), url)
  }
  t.match((await second.call({ method: 'GET', url: '/v1/initiatives/trade-show/decider?at=2026-02-01T00:00:00Z' })).json().deciders,
    [{ personId: 'lee', via: [{ kind: 'assignment' }, { kind: 'delegation', id: 'to-lee', delegationKind: 'transfer' }] }],
    'the imported transfer hands the decision over while its delegator is active')
  t.match((await second.call({ method: 'GET', url: '/v1/initiatives/offsite/decider?at=2026-02-01T00:00:00Z' })).json().deciders,
    [{ personId: 'mara' }], 'the imported deputy does not stand in while she is')

  const unchanged = await first.call({ method: 'POST', url: '/v1/import', payload: exported })
  t.match(unchanged.json().collections, { delegations: { unchanged: 2, updated: 0 }, decisions: { unchanged: 4, updated: 0 } }, 'importing the export again changes nothing')
  const rekinded = await first.call({ method: 'POST', url: '/v1/import', payload: { delegations: [{ ...exported.delegations[1], kind: 'deputy' }] } })
  t.equal(rekinded.statusCode, 200, rekinded.body)
  t.match(rekinded.json().collections.delegations, { updated: 1 }, 'a delegation\'s kind is changed by the import like any field')
  t.equal((await first.call({ method: 'GET', url: '/v1/delegations/to-lee' })).json().kind, 'deputy')
})

t.test('a supersedes that names a missing, later, other-initiative decision, or itself, is refused naming the row and field; nothing written', async (t) => {
  const { app, call } = await buildTestApp(t)
  const seeded = await call({ method: 'POST', url: '/v1/import', payload: bundle })
  t.equal(seeded.statusCode, 200, seeded.body)
  const before = changeCount(app)
  const exported = await exportAll(call)
  const decision = (id: string, decidedAt: string, supersedes: string | null, initiativeId = 'trade-show') =>
    ({ id, initiativeId, decidedBy: 'mara', decidedAt, outcome: 'Something else', kind: 'reversal', supersedes })
  const cases: [string, object[], RegExp][] = [
    ['a decision that exists nowhere', [decision('x1', '2026-04-01T00:00:00Z', 'ghost')], /no decisions record with id "ghost"/],
    ['a later decision on record', [decision('x2', '2026-01-15T00:00:00Z', 'undo')], /"undo" was made after this one \(2026-03-01T00:00:00\.000Z\)/],
    ['a later decision in the same bundle', [decision('x3', '2026-01-10T00:00:00Z', 'x4'), decision('x4', '2026-01-20T00:00:00Z', null)],
      /"x4" was made after this one/],
    ['a decision on another initiative', [decision('x5', '2026-04-01T00:00:00Z', 'wait')], /"wait" is on another initiative/],
    ['itself', [decision('x6', '2026-04-01T00:00:00Z', 'x6')], /cannot supersede itself/]
  ]
  for (const [what, decisions, reason] of cases) {
    for (const url of ['/v1/import', '/v1/import?dryRun=true']) {
      const problem = assertProblem(t, await call({ method: 'POST', url, payload: { decisions } }), 422, 'WHODECIDES_ERR_INVALID_BUNDLE')
      t.match(problem.report.invalid, [{ collection: 'decisions', index: 0, field: '/supersedes', reason }], `${what} (${url})`)
      t.equal(problem.report.invalidCount, 1, `${what}: only that row`)
    }
  }
  const badKinds = assertProblem(t, await call({
    method: 'POST',
    url: '/v1/import',
    payload: {
      delegations: [{ ...bundle.delegations[0], id: 'to-sam', toPersonId: 'sam', kind: 'handover' }],
      decisions: [{ ...decision('x7', '2026-04-01T00:00:00Z', 'berlin'), kind: 'overrule' }]
    }
  }), 422, 'WHODECIDES_ERR_INVALID_BUNDLE')
  t.strictSame(badKinds.report.invalid.map((i: any) => `${i.collection}[${i.index}]${i.field}`).sort(), ['decisions[0]/kind', 'delegations[0]/kind'], 'an unknown kind names its field')
  t.equal(changeCount(app), before, 'no refusal wrote a change')
  t.strictSame(await exportAll(call), exported, 'nor a record')

  const same = await call({ method: 'POST', url: '/v1/import', payload: { decisions: [decision('x8', '2026-02-01T00:00:00Z', 'berlin')] } })
  t.equal(same.statusCode, 200, `a decision made at the same time as the one it supersedes is accepted, as by the API: ${same.body}`)
})
