// Every finding the API answers says what to do: stored with its run, copied with a resolved one, answered live, and
// for findings stored before remediations were kept, the rule's own advice.
import t from 'tap'
import { ruleById } from '../src/audit/rules/index.js'
import type { RuleFinding } from '../src/registry/types.js'
import { buildTestApp } from './helper.js'
import { AT, importFixture } from './audit-fixture.js'

const TWO = 'Make one of ADA and BOB Accountable for "Initiative i-two" and the other Consulted or Responsible, or split the initiative; ' +
  'if any one of them may decide alone, declare it a pool'

t.test('a stored run\'s findings each carry their remediation, naming the people and records; resolved ones keep theirs', async (t) => {
  const { call } = await buildTestApp(t)
  await importFixture(t, call)
  const run = (await call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).json()
  const findings = (await call({ method: 'GET', url: `/v1/audits/${run.id}/findings`, as: 'auditor' })).json().items
  t.equal(findings.length, 8)
  for (const f of findings) t.match(f.remediation, /^[A-Z].{20,}/, `${f.ruleId}: a sentence`)
  t.equal(findings.find((f: any) => f.ruleId === 'multiple-final-deciders').remediation, TWO)
  t.equal(findings.find((f: any) => f.ruleId === 'retired-influence').remediation,
    'Talk openly with CYD and ADA about who has the final word on "Initiative i-ok" and 2 other live initiatives; once they agree, delete the influence record')

  t.equal((await call({ method: 'PATCH', url: '/v1/initiatives/i-two', payload: { decisionRule: 'pool' }, as: 'editor' })).statusCode, 200)
  const second = (await call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).json()
  const resolved = (await call({ method: 'GET', url: `/v1/audits/${second.id}/findings?state=resolved`, as: 'auditor' })).json().items
  t.strictSame(resolved.map((f: any) => [f.ruleId, f.remediation]), [['multiple-final-deciders', TWO]], 'a resolved finding keeps the advice it had')
})

t.test('findings stored before remediations were kept answer the rule\'s own advice: the field is always a string', async (t) => {
  const { app, call } = await buildTestApp(t)
  await importFixture(t, call)
  const run = (await call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).json()
  app.runtime.db.$client.prepare('UPDATE findings SET remediation = NULL').run()
  app.runtime.db.$client.prepare("UPDATE findings SET rule_id = 'a-rule-since-removed' WHERE rule_id = 'no-final-decider'").run()
  const findings = (await call({ method: 'GET', url: `/v1/audits/${run.id}/findings`, as: 'auditor' })).json().items
  for (const f of findings.filter((f: any) => f.ruleId !== 'a-rule-since-removed')) {
    t.equal(f.remediation, ruleById(f.ruleId)!.remediation, `${f.ruleId}: the rule's remediation`)
  }
  t.match(findings.find((f: any) => f.ruleId === 'a-rule-since-removed').remediation, /no longer in the catalogue/, 'a rule no longer known still answers a string')
})

t.test('live findings of an initiative carry the same remediation', async (t) => {
  const { call } = await buildTestApp(t)
  await importFixture(t, call)
  const res = await call({ method: 'GET', url: `/v1/initiatives/i-two/findings?at=${AT}`, as: 'reader' })
  t.equal(res.statusCode, 200)
  t.equal(res.json().findings.find((f: any) => f.ruleId === 'multiple-final-deciders').remediation, TWO)
})

t.test('a rule\'s finding without a remediation does not type-check (checked by tsc over the tests)', async (t) => {
  // @ts-expect-error remediation is required of every finding a rule reports
  const forgetful: RuleFinding = { subject: { kind: 'initiative', id: 'i-two' }, related: [], message: 'Something is wrong' }
  t.equal(forgetful.remediation, undefined, 'only a cast past the compiler makes one')
})
