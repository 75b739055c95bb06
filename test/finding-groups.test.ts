// GET /v1/audits/{id}/findings?groupBy=: findings grouped by root cause, ranked by severity then size, paged over groups.
import t from 'tap'
import { assertProblem, buildTestApp } from './helper.js'
import { AT, importFixture } from './audit-fixture.js'

/** The fixture, plus the retired founder cyd steering four initiatives: one root cause, four findings. */
async function setUp (t: Parameters<typeof buildTestApp>[0]) {
  const { app, call } = await buildTestApp(t)
  await importFixture(t, call)
  for (const id of ['i-none', 'i-two', 'i-absent', 'i-deleg']) {
    const res = await call({ method: 'POST', url: '/v1/influences', payload: { id: `inf-cyd-${id}`, personId: 'cyd', initiativeId: id, strength: 'medium', observedAt: '2026-01-01T00:00:00.000Z' }, as: 'auditor' })
    t.equal(res.statusCode, 201, res.body.slice(0, 200))
  }
  const run = (await call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).json()
  const get = async (query: string, status = 200) => {
    const res = await call({ method: 'GET', url: `/v1/audits/${run.id}/findings?${query}`, as: 'reader' })
    t.equal(res.statusCode, status, `${query}: ${res.body.slice(0, 200)}`)
    return res
  }
  return { app, call, run, get }
}

const summary = (groups: any[]) => groups.map((g) => `${g.severity} ${g.key.kind}:${g.key.id} ${g.count}`)

t.test('groupBy subject: the retired founder who steers five is one group of five; errors rank first, then the larger group', async (t) => {
  const { get } = await setUp(t)
  const body = (await get('groupBy=subject')).json()
  t.equal(body.groupBy, 'subject')
  t.strictSame(summary(body.groups), [
    'error decision:dc-gus-two 1', 'error delegation:dl-dee-hal 1', 'error initiative:i-absent 1', 'error initiative:i-none 1', 'error initiative:i-two 1',
    'warning person:cyd 5', 'warning initiative:i-unan 1', 'warning person:eve 1'
  ], 'ranked: severity, then count, then key')
  const cyd = body.groups.find((g: any) => g.key.id === 'cyd')
  t.equal(cyd.label, 'CYD', 'the person by name')
  t.equal(cyd.findings.length, 5)
  t.ok(cyd.findings.every((f: any) => f.ruleId === 'retired-influence' && typeof f.remediation === 'string'), 'each finding whole, with its remediation')
  t.equal(body.groups.find((g: any) => g.key.id === 'i-two').label, 'Initiative i-two', 'an initiative by its title')
  t.equal(body.totalGroups, 8)
  t.equal(body.totalFindings, 12)
  t.equal(body.nextCursor, null)
})

t.test('groupBy rule and person: a finding belongs to each person it names', async (t) => {
  const { get } = await setUp(t)
  const rules = (await get('groupBy=rule')).json()
  t.strictSame(rules.groups.map((g: any) => [g.key.kind, g.key.id, g.label, g.count]).slice(0, 1), [['rule', 'absent-decider', 'Absent decider', 1]])
  t.equal(rules.groups.find((g: any) => g.key.id === 'retired-influence').count, 5)
  t.equal(rules.totalFindings, 12)

  const people = (await get('groupBy=person')).json()
  const ada = people.groups.find((g: any) => g.key.id === 'ada')
  t.match(ada, { key: { kind: 'person', id: 'ada' }, label: 'ADA', severity: 'error' })
  t.strictSame(ada.findings.map((f: any) => f.ruleId).sort(), ['multiple-final-deciders', 'retired-influence', 'unanimity-trap'], 'as related')
  t.equal(people.groups.find((g: any) => g.key.id === 'cyd').count, 5, 'as subject')
  t.ok(people.groups.every((g: any) => g.key.kind === 'person'))
  t.equal(people.totalFindings, 12, 'each finding counted once in the total')
})

t.test('filters apply before grouping; pages over groups add up to the whole; perGroup caps each list, not its count', async (t) => {
  const { get } = await setUp(t)
  const warnings = (await get('groupBy=subject&severity=warning')).json()
  t.strictSame(summary(warnings.groups), ['warning person:cyd 5', 'warning initiative:i-unan 1', 'warning person:eve 1'])
  t.strictSame(summary((await get('groupBy=person&ruleId=retired-influence')).json().groups), ['warning person:cyd 5', 'warning person:ada 1'])

  const whole = (await get('groupBy=subject')).json().groups
  const paged: any[] = []
  let cursor: string | null = null
  do {
    const page: any = (await get(`groupBy=subject&limit=3${cursor === null ? '' : `&cursor=${cursor}`}`)).json()
    t.ok(page.groups.length <= 3)
    paged.push(...page.groups)
    cursor = page.nextCursor
  } while (cursor !== null)
  t.strictSame(paged, whole, 'three pages of at most three groups are the whole, in order')

  const capped = (await get('groupBy=subject&perGroup=2')).json().groups.find((g: any) => g.key.id === 'cyd')
  t.equal(capped.count, 5)
  t.equal(capped.findings.length, 2)
})

t.test('holds: the findings that hold in the run, or only the resolved ones, grouped or not', async (t) => {
  const { call, get } = await setUp(t)
  // The founder stops steering one of the four: the next run has its finding resolved.
  const removed = await call({ method: 'DELETE', url: '/v1/influences/inf-cyd-i-none', as: 'auditor' })
  t.equal(removed.statusCode, 204, removed.body)
  const next = (await call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).json()
  const list = async (query: string) => (await call({ method: 'GET', url: `/v1/audits/${next.id}/findings?${query}`, as: 'reader' })).json()
  const cyd = (groups: any[]) => groups.find((g: any) => g.key.id === 'cyd')
  t.equal(cyd((await list('groupBy=subject')).groups).count, 5, 'without holds: the resolved finding counts in its group')
  t.equal(cyd((await list('groupBy=subject&holds=true')).groups).count, 4, 'holds=true: only the four that hold')
  const resolved = await list('groupBy=subject&holds=false')
  t.strictSame(summary(resolved.groups), ['warning person:cyd 1'], 'holds=false: only the resolved one')
  t.strictSame((await list('holds=false')).items.map((f: any) => [f.state, f.subject.id]), [['resolved', 'cyd']], 'and so without groupBy')
  const bad = assertProblem(t, await get('holds=maybe', 400), 400, 'WHODECIDES_ERR_VALIDATION')
  t.match(JSON.stringify(bad), /holds/)
})

t.test('bad groupBy, perGroup without it, or a cursor of the other listing: 400 naming the field; without groupBy the answer is unchanged', async (t) => {
  const { get } = await setUp(t)
  const bad = assertProblem(t, await get('groupBy=colour', 400), 400, 'WHODECIDES_ERR_VALIDATION')
  t.match(JSON.stringify(bad), /groupBy/)
  t.match(JSON.stringify(assertProblem(t, await get('perGroup=3', 400), 400, 'WHODECIDES_ERR_VALIDATION')), /perGroup/)
  const plain = (await get('limit=2')).json()
  t.strictSame(Object.keys(plain).sort(), ['items', 'nextCursor'])
  assertProblem(t, await get(`groupBy=rule&cursor=${plain.nextCursor}`, 400), 400, 'WHODECIDES_ERR_VALIDATION')
})
