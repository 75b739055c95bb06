// GET /v1/audits/{id}/report: the stored run as an HTML page, with the page's own Content-Security-Policy.
import t from 'tap'
import { REPORT_CSP } from '../../src/report/page-style.js'
import { getAuditReport } from '../../src/services/audit-report.js'
import { assertProblem, buildTestApp } from '../helper.js'
import { AT, importFixture } from '../audit-fixture.js'

t.test('a run as a page: names, findings, waiver, matrix and picture; readers may read it', async (t) => {
  const { call } = await buildTestApp(t)
  await importFixture(t, call)
  const first = (await call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).json()
  const findings = (await call({ method: 'GET', url: `/v1/audits/${first.id}/findings?limit=500`, as: 'auditor' })).json().items
  const two = findings.find((f: any) => f.ruleId === 'multiple-final-deciders')
  const waiver = await call({ method: 'POST', url: '/v1/waivers', payload: { fingerprint: two.fingerprint, reason: 'Until the <merger>', expiresAt: '2999-01-01T00:00:00Z' }, as: 'auditor' })
  t.equal(waiver.statusCode, 201)
  const run = (await call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).json()

  const res = await call({ method: 'GET', url: `/v1/audits/${run.id}/report`, as: 'reader' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(res.headers['content-security-policy'], REPORT_CSP, 'the page\'s policy, not the API\'s')
  t.equal(res.headers['x-frame-options'], 'DENY')
  const page = res.body
  t.match(page, /^<!doctype html>/)
  t.match(page, `audit run ${run.id}`)
  t.match(page, 'The registry as it stood at 2026-03-01T00:00:00.000Z')
  t.match(page, 'Of 6 live initiatives in the whole registry')
  t.match(page, /id="findings"[^]*?<strong>ADA<\/strong> \(person\)/, 'people by name')
  t.match(page, /Waived: Until the &lt;merger&gt;/, 'the waiver and its reason')
  t.match(page, 'Nothing was resolved since the last audit of the same scope.')
  t.match(page, /class="problem error"/, 'problem cells')
  t.match(page, /<svg /, 'the picture')
  t.notMatch(page, /<script/i)
})

t.test('the page of a run over a file is titled with the file (audit --from)', async (t) => {
  const { app, call } = await buildTestApp(t)
  await importFixture(t, call)
  const run = (await call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).json()
  const page = await getAuditReport(app.runtime.db, run.id, { source: 'raci.csv' })
  t.match(page, '<title>Who decides: audit of raci.csv</title>')
  t.match(page, 'Of 6 live initiatives in raci.csv')
  t.notMatch(page, 'the whole registry')
})

t.test('a domain\'s run shows its initiatives only', async (t) => {
  const { call } = await buildTestApp(t)
  await importFixture(t, call)
  const run = (await call({ method: 'POST', url: '/v1/audits', payload: { at: AT, scope: { domainId: 'commercial' } }, as: 'auditor' })).json()
  const page = (await call({ method: 'GET', url: `/v1/audits/${run.id}/report`, as: 'reader' })).body
  t.match(page, 'Of 3 live initiatives in the domain Commercial and everything under it')
  t.notMatch(page, 'Initiative i-none', 'an initiative of another domain is not in the matrix')
})

t.test('an unknown run is a 404 problem; no key is a 401', async (t) => {
  const { call } = await buildTestApp(t)
  assertProblem(t, await call({ method: 'GET', url: '/v1/audits/nope/report', as: 'reader' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
  t.equal((await call({ method: 'GET', url: '/v1/audits/nope/report', as: null })).statusCode, 401)
})

t.test('findings grouped by root cause: the retired founder who steers five is one group of five, with what to do; waived and resolved ones apart', async (t) => {
  const { call } = await buildTestApp(t)
  await importFixture(t, call)
  for (const id of ['i-none', 'i-two', 'i-absent', 'i-deleg']) {
    const res = await call({ method: 'POST', url: '/v1/influences', payload: { id: `inf-cyd-${id}`, personId: 'cyd', initiativeId: id, strength: 'medium', observedAt: '2026-01-01T00:00:00.000Z' }, as: 'auditor' })
    t.equal(res.statusCode, 201, res.body.slice(0, 200))
  }
  const first = (await call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).json()
  const findings = (await call({ method: 'GET', url: `/v1/audits/${first.id}/findings?limit=500`, as: 'auditor' })).json().items
  const absent = findings.find((f: any) => f.ruleId === 'absent-decider')
  t.equal((await call({ method: 'POST', url: '/v1/waivers', payload: { fingerprint: absent.fingerprint, reason: 'Dee is back in May', expiresAt: '2999-01-01T00:00:00Z' }, as: 'auditor' })).statusCode, 201)
  t.equal((await call({ method: 'PATCH', url: '/v1/initiatives/i-two', payload: { decisionRule: 'pool' }, as: 'editor' })).statusCode, 200, 'two deciders made a pool: resolved')
  const run = (await call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).json()
  const page = (await call({ method: 'GET', url: `/v1/audits/${run.id}/report`, as: 'reader' })).body

  const section = page.slice(page.indexOf('id="findings"'), page.indexOf('id="resolved"'))
  t.match(section, '<h2>Findings by root cause</h2>')
  const groups = [...section.matchAll(/<section class="group sev-(\w+)" id="group-\d+">\n<h3>([^<]*) <span class="muted">\((\w+)\)<\/span><span class="badge sev-\w+">\w+<\/span> <span class="muted">(\d+) findings?<\/span><\/h3>([^]*?)<\/section>/g)]
  t.strictSame(groups.map((g) => `${g[1]} ${g[3]}:${g[2]} ${g[4]}`), [
    'error decision:decision on Initiative i-two by GUS 1', 'error delegation:delegation from DEE to HAL for everything 1', 'error initiative:Initiative i-none 1',
    'warning person:CYD 5', 'warning initiative:Initiative i-unan 1', 'warning person:EVE 1'
  ], 'worst first, then the largest; the waived finding (i-absent) and the resolved one (i-two) in no group')
  const cyd = groups.find((g) => g[2] === 'CYD')![5]!
  t.match(cyd, /<p class="advice"><strong>What to do:<\/strong> End the role \(keep them Informed/, 'the group says what to do: the rule\'s advice')
  t.equal(cyd.match(/<li>/g)?.length, 5, 'its five findings listed')
  t.equal(cyd.match(/<strong>Next step:<\/strong> Talk openly with CYD[^<]*? about who has the final word on /g)?.length, 5, 'each with its own next step, naming the people')
  t.match(cyd, /Next step:<\/strong> Talk openly with CYD and ADA about who has the final word on &quot;Initiative i-ok&quot;/)
  const none = groups.find((g) => g[2] === 'Initiative i-none')![5]!
  t.match(none, /<p class="advice"><strong>What to do:<\/strong> Name one Accountable person on &quot;Initiative i-none&quot;/, 'a group of one: its own next step, once')
  t.notMatch(none, 'Next step:')
  t.match(section, /<h3 id="waived">Accepted by a waiver<\/h3>\n<ul class="findings"><li class="waived">[^]*?Waived: Dee is back in May/, 'the waived finding apart, with its reason')
  t.match(page, /id="resolved"[^]*?2 people hold the final decision on &quot;Initiative i-two&quot;/, 'the resolved one under resolved')
  t.match(section, '10 findings need attention, about 6 records', 'how many, about how many root causes')
})
