// Rule settings: the catalogue with effective configuration, an auditor's changes (stored as set), refusals, effect on audits.
import t from 'tap'
import { rules } from '../src/audit/rules/index.js'
import { AT, importFixture, keysOf } from './audit-fixture.js'
import { assertProblem, buildTestApp, type TestApp } from './helper.js'
import { changeAt, changeCount } from './seed-registry.js'

const patch = (call: TestApp['call'], id: string, payload: unknown, headers: Record<string, string> = {}, as: 'auditor' | 'admin' | 'editor' | 'reader' = 'auditor') =>
  call({ method: 'PATCH', url: `/v1/rules/${id}`, payload: payload as object, headers, as })

const storedSetting = (app: TestApp['app'], id: string): unknown =>
  app.runtime.db.$client.prepare('SELECT enabled, severity, options, version FROM rule_settings WHERE rule_id = ?').get(id)

async function catalogue (call: TestApp['call']): Promise<Map<string, any>> {
  const res = await call({ method: 'GET', url: '/v1/rules', as: 'reader' })
  return new Map(res.json().items.map((r: { id: string }) => [r.id, r]))
}

t.test('the catalogue: every rule in id order, with its effective configuration', async (t) => {
  const { call } = await buildTestApp(t)
  const res = await call({ method: 'GET', url: '/v1/rules', as: 'reader' })
  t.equal(res.statusCode, 200)
  const items = res.json().items as any[]
  t.strictSame(items.map((r) => r.id), [
    'absent-decider', 'consult-overload', 'decided-by-non-decider', 'decider-overload', 'decision-overdue', 'delegation-cycle',
    'delegation-to-inactive', 'multiple-final-deciders', 'no-final-decider', 'no-responsible', 'retired-influence', 'reversed-transfer',
    'shareholder-overreach', 'unanimity-trap'
  ])
  for (const item of items) {
    const rule = rules.find((r) => r.id === item.id)!
    t.strictSame(item, {
      id: rule.id,
      description: rule.description,
      rationale: rule.rationale,
      remediation: rule.remediation,
      defaultSeverity: rule.defaultSeverity,
      enabled: true,
      severity: rule.defaultSeverity,
      options: rule.defaults,
      optionsSchema: JSON.parse(JSON.stringify(rule.options)),
      version: 0,
      updatedAt: null
    }, `${item.id}: the defaults until an auditor changes them`)
  }
  const trap = items.find((r) => r.id === 'unanimity-trap')
  t.strictSame(trap.options, { maxApprovers: 3 })
  t.match(trap.optionsSchema, { type: 'object', properties: { maxApprovers: { type: 'integer', minimum: 1, default: 3 } } })
})

t.test('PATCH sets options, severity and enabled; only what the auditor set is stored', async (t) => {
  const { app, call } = await buildTestApp(t)
  const res = await patch(call, 'unanimity-trap', { options: { maxApprovers: 5 } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers.etag, '"1"')
  const body = res.json()
  t.match(body, { id: 'unanimity-trap', enabled: true, severity: 'warning', defaultSeverity: 'warning', options: { maxApprovers: 5 }, version: 1, updatedAt: /Z$/ })
  t.strictSame(storedSetting(app, 'unanimity-trap'), { enabled: 1, severity: null, options: '{"maxApprovers":5}', version: 1 })
  t.strictSame(changeAt(app, Number(res.headers['x-revision'])), {
    action: 'update', entity: 'rules', entityId: 'unanimity-trap', before: null,
    after: { ruleId: 'unanimity-trap', enabled: true, severity: null, options: { maxApprovers: 5 }, version: 1, updatedAt: body.updatedAt }
  })
  t.strictSame((await catalogue(call)).get('unanimity-trap'), body, 'GET shows the same')

  const raised = await patch(call, 'unanimity-trap', { severity: 'error' }, { 'if-match': '"1"' })
  t.equal(raised.statusCode, 200)
  t.match(raised.json(), { severity: 'error', options: { maxApprovers: 5 }, version: 2 }, 'options set before are kept')
  const entry = changeAt(app, Number(raised.headers['x-revision']))
  t.match(entry, { before: { severity: null, version: 1 }, after: { severity: 'error', version: 2 } })

  t.match((await patch(call, 'unanimity-trap', { severity: null, enabled: false })).json(), { severity: 'warning', enabled: false, version: 3 })
  t.strictSame(storedSetting(app, 'unanimity-trap'), { enabled: 0, severity: null, options: '{"maxApprovers":5}', version: 3 }, 'null severity: the default')
  t.match((await patch(call, 'unanimity-trap', { options: {}, enabled: true }, {}, 'admin')).json(), { options: { maxApprovers: 3 }, enabled: true, version: 4 },
    'options {} go back to the defaults; admins may change rules too')
  t.equal(changeCount(app, 'rules'), 4, 'one change-log entry per change')
})

t.test('refusals: bad options (400 naming each), unknown rule, roles, If-Match; nothing stored', async (t) => {
  const { app, call } = await buildTestApp(t)
  let problem = assertProblem(t, await patch(call, 'unanimity-trap', { options: { maxApprovers: 'many' } }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.match(problem.errors, [{ in: 'body', path: '/options/maxApprovers' }])
  t.equal(problem.errors.length, 1)
  t.match(problem.detail, /maxApprovers/)
  problem = assertProblem(t, await patch(call, 'unanimity-trap', { options: { maxApprovers: 0, nope: true } }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.strictSame(problem.errors.map((e: { path: string }) => e.path).sort(), ['/options/maxApprovers', '/options/nope'])
  problem = assertProblem(t, await patch(call, 'no-final-decider', { options: { threshold: 2 } }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.strictSame(problem.errors, [{ in: 'body', path: '/options/threshold', message: 'is not an option of this rule' }])
  for (const payload of [{}, { severity: 'fatal' }, { enabled: 'yes' }, { options: [] }, { colour: 'red' }]) {
    assertProblem(t, await patch(call, 'unanimity-trap', payload), 400, 'WHODECIDES_ERR_VALIDATION')
  }
  assertProblem(t, await patch(call, 'no-such-rule', { enabled: false }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await patch(call, 'unanimity-trap', { enabled: false }, {}, 'editor'), 403, 'WHODECIDES_ERR_FORBIDDEN')
  assertProblem(t, await patch(call, 'unanimity-trap', { enabled: false }, {}, 'reader'), 403, 'WHODECIDES_ERR_FORBIDDEN')
  assertProblem(t, await patch(call, 'unanimity-trap', { enabled: false }, { 'if-match': '"1"' }), 412, 'WHODECIDES_ERR_PRECONDITION_FAILED')
  t.equal(changeCount(app, 'rules'), 0)
  t.equal(storedSetting(app, 'unanimity-trap'), undefined)
  t.equal((await patch(call, 'unanimity-trap', { enabled: false }, { 'if-match': '"0"' })).statusCode, 200, 'a rule never set is at version 0')
})

t.test('settings shape the next audit: a disabled rule finds nothing, a severity moves the totals, options change the verdict', async (t) => {
  const { call } = await buildTestApp(t)
  await importFixture(t, call)
  const audit = async (): Promise<any> => {
    const run = (await call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).json()
    return { run, findings: (await call({ method: 'GET', url: `/v1/audits/${run.id}/findings?limit=500`, as: 'auditor' })).json().items }
  }
  const before = await audit()
  t.strictSame(before.run.counts, { error: 5, warning: 3, info: 0 })

  t.equal((await patch(call, 'multiple-final-deciders', { enabled: false })).statusCode, 200)
  t.equal((await patch(call, 'shareholder-overreach', { severity: 'info' })).statusCode, 200)
  t.equal((await patch(call, 'decider-overload', { options: { maxInitiatives: 2 } })).statusCode, 200)
  const after = await audit()
  t.strictSame(after.findings.filter((f: { ruleId: string }) => f.ruleId === 'multiple-final-deciders').map((f: { state: string }) => f.state), ['resolved'],
    'a disabled rule does not run: what it found before is resolved')
  t.equal(after.findings.find((f: { ruleId: string }) => f.ruleId === 'shareholder-overreach').severity, 'info')
  t.ok(keysOf(after.findings).includes('decider-overload ada'), 'ada decides i-two, i-ok and i-unan: more than 2')
  t.strictSame(after.run.counts, { error: 4, warning: 2, info: 2 })
  t.equal(after.run.resolved, 1, 'what a disabled rule found before counts as resolved')
})
