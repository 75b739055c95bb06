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
  t.match(page, /id="rule-multiple-final-deciders"[^]*?<strong>ADA<\/strong> \(person\)/, 'people by name')
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
