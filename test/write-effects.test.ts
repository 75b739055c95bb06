// A write that creates or clears a boundary problem says so: `effects` in its answer, Link rel="findings" beside it.
import t from 'tap'
import { initiatives } from '../db/schema.js'
import { buildTestApp, recordOf, type TestApp } from './helper.js'
import { T0 } from './seed-registry.js'

const NO_EFFECT = { items: [], more: 0, truncated: false }
const FINDINGS = '</v1/initiatives/new-prices/findings>; rel="findings"'

/** People ada, grace and alan; domains commercial > pricing; the active initiative new-prices in pricing, all through the API. */
async function setup (t: Parameters<typeof buildTestApp>[0], overrides = {}): Promise<TestApp> {
  const app = await buildTestApp(t, overrides)
  const writes: Array<[string, object]> = [
    ['people', { id: 'ada', name: 'Ada Lovelace', email: 'ada@example.com' }],
    ['people', { id: 'grace', name: 'Grace Hopper', email: 'grace@example.com' }],
    ['people', { id: 'alan', name: 'Alan Turing', email: 'alan@example.com' }],
    ['domains', { id: 'commercial', name: 'Commercial' }],
    ['domains', { id: 'pricing', name: 'Pricing', parentId: 'commercial' }],
    ['initiatives', { id: 'new-prices', title: 'New prices', domainId: 'pricing', status: 'active' }]
  ]
  for (const [collection, payload] of writes) {
    const res = await app.call({ method: 'POST', url: `/v1/${collection}`, payload })
    if (res.statusCode !== 201) throw new Error(`seed ${collection}: ${res.body}`)
  }
  return app
}

const assign = async (call: TestApp['call'], payload: object, headers: Record<string, string> = {}) =>
  await call({ method: 'POST', url: '/v1/assignments', payload, headers })

/** The effects as [change, ruleId, subject id] triples, in the answer's order. */
const changes = (res: { json: () => any }): string[][] =>
  res.json().effects.items.map((e: { change: string, ruleId: string, subject: { id: string } }) => [e.change, e.ruleId, e.subject.id])

t.test('a second A raises multiple-final-deciders on the initiative and says so; ending it clears it', async (t) => {
  const { call } = await setup(t)
  const first = await assign(call, { id: 'ada-a', personId: 'ada', role: 'A', initiativeId: 'new-prices' })
  t.equal(first.statusCode, 201)
  t.strictSame(changes(first), [['cleared', 'no-final-decider', 'new-prices']], 'the first A clears "no final decider"')
  t.equal(first.headers.link, FINDINGS)
  t.strictSame(first.json().effects.initiatives, ['new-prices'])

  const second = await assign(call, { id: 'grace-a', personId: 'grace', role: 'A', initiativeId: 'new-prices' })
  t.equal(second.statusCode, 201)
  t.strictSame(changes(second), [['raised', 'multiple-final-deciders', 'new-prices']])
  const [raised] = second.json().effects.items
  t.match(raised, { severity: 'error', initiativeId: 'new-prices', message: /New prices/, fingerprint: /^[0-9a-f]{16,}$/ })
  t.equal(second.headers.link, FINDINGS)
  t.strictSame(recordOf(second), (await call({ method: 'GET', url: '/v1/assignments/grace-a' })).json(), 'every field of the record is there as before')
  const live = (await call({ method: 'GET', url: '/v1/initiatives/new-prices/findings' })).json()
  t.ok(live.findings.some((f: { fingerprint: string }) => f.fingerprint === raised.fingerprint), 'the effect names a finding the findings link lists')

  const ended = await call({ method: 'DELETE', url: '/v1/assignments/grace-a' })
  t.equal(ended.statusCode, 200)
  t.strictSame(changes(ended), [['cleared', 'multiple-final-deciders', 'new-prices']])
  t.equal(ended.json().effects.items[0].fingerprint, raised.fingerprint, 'the same finding is cleared')
})

t.test('a decider going on leave raises absent-decider where they decide; a delegation clears it', async (t) => {
  const { call } = await setup(t)
  await assign(call, { personId: 'ada', role: 'A', initiativeId: 'new-prices' })
  await assign(call, { personId: 'alan', role: 'R', initiativeId: 'new-prices' })
  const away = await call({ method: 'PATCH', url: '/v1/people/ada', payload: { status: 'on_leave' } })
  t.equal(away.statusCode, 200)
  t.equal(away.json().status, 'on_leave')
  t.strictSame(changes(away), [['raised', 'absent-decider', 'new-prices']])
  t.equal(away.headers.link, FINDINGS)

  const deputy = await call({ method: 'POST', url: '/v1/delegations', payload: { id: 'cover', fromPersonId: 'ada', toPersonId: 'grace', initiativeId: 'new-prices' } })
  t.equal(deputy.statusCode, 201)
  t.strictSame(changes(deputy), [['cleared', 'absent-decider', 'new-prices']])

  const gone = await call({ method: 'DELETE', url: '/v1/delegations/cover' })
  t.equal(gone.statusCode, 204, 'a deletion still answers 204')
  t.equal(gone.body, '')
  t.equal(gone.headers.link, FINDINGS, 'its effects are one link away')
  const findings = (await call({ method: 'GET', url: '/v1/initiatives/new-prices/findings' })).json().findings
  t.ok(findings.some((f: { ruleId: string }) => f.ruleId === 'absent-decider'), 'and the link lists the problem again')

  const back = await call({ method: 'PATCH', url: '/v1/people/ada', payload: { status: 'active' } })
  t.strictSame(changes(back), [['cleared', 'absent-decider', 'new-prices']])
})

t.test('an A on a domain reports the initiatives that inherit from it, at most 50 judged', async (t) => {
  const { app, call } = await setup(t)
  const onDomain = await assign(call, { id: 'ada-pricing', personId: 'ada', role: 'A', domainId: 'pricing' })
  t.equal(onDomain.statusCode, 201)
  t.strictSame(changes(onDomain), [['cleared', 'no-final-decider', 'new-prices']], 'new-prices inherits its decider from pricing')
  t.match(onDomain.json().effects, { initiatives: ['new-prices'], truncated: false })

  const meta = { version: 1, createdAt: T0, updatedAt: T0 }
  app.runtime.db.insert(initiatives).values(Array.from({ length: 60 }, (_, i) => ({
    id: `bulk-${String(i).padStart(2, '0')}`, title: `Bulk ${i}`, destination: null, description: null, domainId: 'pricing',
    status: i % 10 === 9 ? 'abandoned' as const : 'active' as const, decisionRule: 'single' as const, decisionDueAt: null, ...meta
  }))).run()
  const ended = await call({ method: 'DELETE', url: '/v1/assignments/ada-pricing' })
  t.equal(ended.statusCode, 200)
  const effects = ended.json().effects
  t.equal(effects.truncated, true, '55 live initiatives inherit from pricing: more than 50')
  t.equal(effects.initiatives.length, 50)
  t.strictSame(effects.initiatives, [...effects.initiatives].sort(), 'the first ones in id order')
  t.notOk(effects.initiatives.includes('bulk-09'), 'an abandoned initiative is not judged')
  t.equal(effects.items.length, 20, 'at most 20 listed')
  t.ok(effects.more >= 30, `the rest counted (${effects.more}): each judged initiative lost its decider`)
  t.ok(effects.items.every((e: { change: string, ruleId: string }) => e.change === 'raised'))
  t.ok(effects.items.some((e: { ruleId: string }) => e.ruleId === 'no-final-decider'))
  t.equal(String(ended.headers.link).split(', ').length, 20, 'links to the findings of the first 20 judged')

  const above = await assign(call, { personId: 'grace', role: 'A', domainId: 'commercial' })
  t.equal(above.statusCode, 201)
  t.match(above.json().effects, { truncated: true, items: [{ change: 'cleared', ruleId: 'no-final-decider' }] }, 'an A higher up reaches them too')
})

t.test('a write that changes no boundary answers an empty list', async (t) => {
  const { call } = await setup(t)
  const renamed = await call({ method: 'PATCH', url: '/v1/people/ada', payload: { title: 'CFO' } })
  t.equal(renamed.statusCode, 200)
  t.strictSame(renamed.json().effects, { ...NO_EFFECT, initiatives: [] }, 'a person\'s title touches no initiative')
  t.equal(renamed.headers.link, undefined)
  const described = await call({ method: 'PATCH', url: '/v1/initiatives/new-prices', payload: { description: 'Prices for 2027' } })
  t.equal(described.statusCode, 200)
  t.strictSame(described.json().effects, { ...NO_EFFECT, initiatives: ['new-prices'] }, 'judged, and nothing changed')
  t.equal(described.headers.link, FINDINGS)
  const created = await call({ method: 'POST', url: '/v1/initiatives', payload: { title: 'Open an office', domainId: 'pricing' } })
  t.equal(created.statusCode, 201)
  const id = created.json().id
  t.match(changes(created), [['raised', 'no-final-decider', id]], 'a new initiative without a decider raises its problems')
})

t.test('an influence over a decider, made, changed and deleted, says what it raised and cleared', async (t) => {
  const { call } = await setup(t)
  await call({ method: 'PATCH', url: '/v1/people/alan', payload: { status: 'retired' } })
  await assign(call, { personId: 'ada', role: 'A', initiativeId: 'new-prices' })
  await assign(call, { personId: 'grace', role: 'R', initiativeId: 'new-prices' })
  const made = await call({ method: 'POST', url: '/v1/influences', payload: { id: 'steers', personId: 'alan', overPersonId: 'ada', strength: 'high' } })
  t.equal(made.statusCode, 201)
  t.strictSame(changes(made), [['raised', 'retired-influence', 'alan']], 'a retired person steering the decider of new-prices')
  t.match(made.json().effects, { initiatives: ['new-prices'], items: [{ initiativeId: 'new-prices', message: /Alan Turing \(retired\) still steers Ada Lovelace, who decides "New prices"/ }] })
  t.equal(made.headers.link, FINDINGS)

  const moved = await call({ method: 'PATCH', url: '/v1/influences/steers', payload: { personId: 'grace' } })
  t.equal(moved.statusCode, 200)
  t.strictSame(changes(moved), [['cleared', 'retired-influence', 'alan']], 'an active person steering raises nothing')

  const back = await call({ method: 'PATCH', url: '/v1/influences/steers', payload: { personId: 'alan' } })
  t.strictSame(changes(back), [['raised', 'retired-influence', 'alan']])
  const gone = await call({ method: 'DELETE', url: '/v1/influences/steers' })
  t.equal(gone.statusCode, 204, 'a deletion still answers 204, with no body')
  t.equal(gone.body, '')
  t.equal(gone.headers.link, FINDINGS, 'its effects are one link away')
  const live = (await call({ method: 'GET', url: '/v1/initiatives/new-prices/findings' })).json().findings
  t.notOk(live.some((f: { ruleId: string }) => f.ruleId === 'retired-influence'), 'and the link no longer lists the problem')

  const onInitiative = await call({ method: 'POST', url: '/v1/influences', payload: { personId: 'alan', initiativeId: 'new-prices', strength: 'low' } })
  t.strictSame(changes(onInitiative), [['raised', 'retired-influence', 'alan']], 'an influence on the initiative itself')
})

t.test('a write of fields no rule reads judges nothing and answers as if it had', async (t) => {
  const { call } = await setup(t)
  await assign(call, { personId: 'ada', role: 'A', initiativeId: 'new-prices' })
  await assign(call, { personId: 'grace', role: 'A', initiativeId: 'new-prices' })
  const retitled = await call({ method: 'PATCH', url: '/v1/initiatives/new-prices', payload: { title: 'Prices 2027' } })
  t.equal(retitled.statusCode, 200)
  t.strictSame(retitled.json().effects, { ...NO_EFFECT, initiatives: ['new-prices'] }, 'a title words findings but raises or clears none')
  t.equal(retitled.headers.link, FINDINGS)
  const live = (await call({ method: 'GET', url: '/v1/initiatives/new-prices/findings' })).json().findings
  t.match(live, [{ ruleId: 'multiple-final-deciders', message: /"Prices 2027"/ }], 'the findings link words the finding with the new title')

  const due = await call({ method: 'PATCH', url: '/v1/initiatives/new-prices', payload: { decisionDueAt: '2020-01-01T00:00:00.000Z' } })
  t.strictSame(changes(due), [['raised', 'decision-overdue', 'new-prices']], 'a due date in the past: decision-overdue, the one rule that reads it')
  const held = await call({ method: 'PATCH', url: '/v1/initiatives/new-prices', payload: { status: 'done' } })
  t.strictSame(changes(held).map(([c, r]) => `${c} ${r}`).sort(), ['cleared decision-overdue', 'cleared multiple-final-deciders', 'cleared no-responsible'],
    'a status that ends the initiative clears what was live on it')
})

t.test('a replay with the same Idempotency-Key answers the same body and links', async (t) => {
  const { call } = await setup(t)
  const headers = { 'idempotency-key': 'second-a-1' }
  await assign(call, { personId: 'ada', role: 'A', initiativeId: 'new-prices' })
  const first = await assign(call, { id: 'grace-a', personId: 'grace', role: 'A', initiativeId: 'new-prices' }, headers)
  t.equal(first.statusCode, 201)
  t.strictSame(changes(first), [['raised', 'multiple-final-deciders', 'new-prices']])
  const again = await assign(call, { id: 'grace-a', personId: 'grace', role: 'A', initiativeId: 'new-prices' }, headers)
  t.equal(again.statusCode, 201)
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.equal(again.body, first.body, 'the same body, effects included')
  t.equal(again.headers.link, first.headers.link)
})

t.test('effects that cannot be computed never fail the write', async (t) => {
  const { app, call } = await setup(t)
  // Rule settings the rules cannot read: the judgement fails, the write does not.
  app.runtime.db.$client.prepare("INSERT INTO rule_settings (rule_id, enabled, severity, options, version, updated_at) VALUES ('no-responsible', 1, NULL, '{', 1, ?)").run(T0)
  const res = await assign(call, { id: 'ada-a', personId: 'ada', role: 'A', initiativeId: 'new-prices' })
  t.equal(res.statusCode, 201)
  t.equal(res.json().effects, null, 'effects null: not known')
  t.equal((await call({ method: 'GET', url: '/v1/assignments/ada-a' })).statusCode, 200, 'the write is stored')
})

t.test('switched off (WHODECIDES_WRITE_EFFECTS=false), a write answers as before', async (t) => {
  const { call } = await setup(t, { writeEffects: false })
  const res = await assign(call, { personId: 'ada', role: 'A', initiativeId: 'new-prices' })
  t.equal(res.statusCode, 201)
  t.notOk('effects' in res.json())
  t.equal(res.headers.link, undefined)
})
