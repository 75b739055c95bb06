// A scripted timeline over HTTP — appoint, delegate, go on leave, retire, move an initiative, reassign — and at every
// moment of it the records, the RACI and the decider as they stood then, answered afterwards with `at`.
import t from 'tap'
import { buildTestApp, type TestApp } from './helper.js'

/** Lets the clock move on, so that the instant taken between two writes is after the first and before the second. */
const tick = async (): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, 5)) }

interface Moment {
  step: string
  at: string
  /** What the registry said at that moment, asked about afterwards. */
  ada: string
  launchDomain: string
  assignments: string[]
  delegations: string[]
  raciA: string[]
  resolution: string
  deciders: string[][]
}

t.test('every moment of the timeline answers as it stood then, long after', async (t) => {
  const { call } = await buildTestApp(t)
  const write = async (method: 'POST' | 'PATCH', url: string, payload: object): Promise<void> => {
    const res = await call({ method, url, payload })
    t.ok(res.statusCode === 200 || res.statusCode === 201, `${method} ${url}: ${res.statusCode} ${res.body.slice(0, 200)}`)
  }
  const moments: { step: string, at: string }[] = []
  const mark = async (step: string): Promise<void> => {
    await tick()
    moments.push({ step, at: new Date().toISOString() })
    await tick()
  }

  for (const id of ['ada', 'bob', 'cyd']) await write('POST', '/v1/people', { id, name: id.toUpperCase(), email: `${id}@example.com` })
  await write('POST', '/v1/domains', { id: 'company', name: 'Company' })
  await write('POST', '/v1/domains', { id: 'sales', name: 'Sales', parentId: 'company' })
  await write('POST', '/v1/domains', { id: 'ops', name: 'Operations', parentId: 'company' })
  await write('POST', '/v1/initiatives', { id: 'launch', title: 'Launch', domainId: 'sales' })
  await mark('set up, nobody appointed')
  await write('POST', '/v1/assignments', { id: 'as-ada', personId: 'ada', role: 'A', domainId: 'company' })
  await mark('ada appointed over the company')
  await write('POST', '/v1/delegations', { id: 'dg-bob', fromPersonId: 'ada', toPersonId: 'bob', domainId: 'sales' })
  await mark('ada delegates sales to bob')
  await write('PATCH', '/v1/people/ada', { status: 'on_leave' })
  await mark('ada goes on leave')
  await write('PATCH', '/v1/people/ada', { status: 'retired' })
  await mark('ada retires')
  await write('PATCH', '/v1/initiatives/launch', { domainId: 'ops' })
  await mark('launch moves to operations')
  await write('POST', '/v1/assignments', { id: 'as-cyd', personId: 'cyd', role: 'A', initiativeId: 'launch' })
  await mark('cyd is given the launch')

  const expected: Omit<Moment, 'at'>[] = [
    { step: 'set up, nobody appointed', ada: 'active', launchDomain: 'sales', assignments: [], delegations: [], raciA: [], resolution: 'none', deciders: [] },
    { step: 'ada appointed over the company', ada: 'active', launchDomain: 'sales', assignments: ['as-ada'], delegations: [], raciA: ['ada'], resolution: 'clear', deciders: [['ada', 'as-ada']] },
    { step: 'ada delegates sales to bob', ada: 'active', launchDomain: 'sales', assignments: ['as-ada'], delegations: ['dg-bob'], raciA: ['ada'], resolution: 'clear', deciders: [['ada', 'as-ada']] },
    { step: 'ada goes on leave', ada: 'on_leave', launchDomain: 'sales', assignments: ['as-ada'], delegations: ['dg-bob'], raciA: ['ada'], resolution: 'clear', deciders: [['bob', 'as-ada', 'dg-bob']] },
    { step: 'ada retires', ada: 'retired', launchDomain: 'sales', assignments: ['as-ada'], delegations: ['dg-bob'], raciA: ['ada'], resolution: 'clear', deciders: [['bob', 'as-ada', 'dg-bob']] },
    // Operations is not under the delegation: the company's A is ada's, and she is gone.
    { step: 'launch moves to operations', ada: 'retired', launchDomain: 'ops', assignments: ['as-ada'], delegations: ['dg-bob'], raciA: ['ada'], resolution: 'absent', deciders: [] },
    { step: 'cyd is given the launch', ada: 'retired', launchDomain: 'ops', assignments: ['as-ada', 'as-cyd'], delegations: ['dg-bob'], raciA: ['cyd', 'ada'], resolution: 'clear', deciders: [['cyd', 'as-cyd']] }
  ]
  t.equal(moments.length, expected.length)

  for (const [i, { step, at }] of moments.entries()) {
    const q = `at=${encodeURIComponent(at)}`
    const get = async (url: string): Promise<any> => {
      const res = await call({ method: 'GET', url })
      t.equal(res.statusCode, 200, `${step}: GET ${url}`)
      return res.json()
    }
    const decider = await get(`/v1/initiatives/launch/decider?${q}`)
    const raci = await get(`/v1/initiatives/launch/raci?${q}`)
    const seen: Omit<Moment, 'at'> = {
      step,
      ada: (await get(`/v1/people/ada?${q}`)).status,
      launchDomain: (await get(`/v1/initiatives/launch?${q}`)).domainId,
      assignments: (await get(`/v1/assignments?${q}&activeAt=${encodeURIComponent(at)}`)).items.map((a: { id: string }) => a.id),
      delegations: (await get(`/v1/delegations?${q}&activeAt=${encodeURIComponent(at)}`)).items.map((d: { id: string }) => d.id),
      raciA: raci.A.map((h: { personId: string }) => h.personId),
      resolution: decider.resolution,
      deciders: decider.deciders.map((d: { personId: string, via: { id: string }[] }) => [d.personId, ...d.via.map((v) => v.id)])
    }
    t.strictSame(seen, expected[i], step)
    t.equal(decider.at, at, `${step}: the decider answers for the time asked`)
  }

  // The person's authority follows the same history: bob decided the launch by delegation only while it sat in sales.
  const authorityOfBob = async (at: string): Promise<string[]> =>
    (await call({ method: 'GET', url: `/v1/people/bob/authority?at=${encodeURIComponent(at)}` })).json().initiatives.map((e: { initiativeId: string, how: string }) => `${e.initiativeId} ${e.how}`)
  t.strictSame(await authorityOfBob(moments[4]!.at), ['launch delegation'], 'after ada retired, bob decided the launch')
  t.strictSame(await authorityOfBob(moments[5]!.at), [], 'once it moved to operations, no longer')

  // Audits, stored and live, judge the registry as it stood at their time too.
  const audited = async (at: string): Promise<string[]> => {
    const run = await call({ method: 'POST', url: '/v1/audits', payload: { at }, as: 'auditor' })
    t.equal(run.statusCode, 201, run.body)
    const findings = await call({ method: 'GET', url: `/v1/audits/${run.json().id as string}/findings?ruleId=absent-decider` })
    return findings.json().items.map((f: { subject: { id: string } }) => f.subject.id)
  }
  const live = async (at: string): Promise<string[]> =>
    (await call({ method: 'GET', url: `/v1/initiatives/launch/findings?at=${encodeURIComponent(at)}` })).json().findings.map((f: { ruleId: string }) => f.ruleId)
  t.strictSame(await audited(moments[4]!.at), [], 'no absent decider while bob stood in')
  t.strictSame(await audited(moments[5]!.at), ['launch'], 'an absent decider once the launch moved')
  t.notOk((await live(moments[4]!.at)).includes('absent-decider'), 'live findings, before the move')
  t.ok((await live(moments[5]!.at)).includes('absent-decider'), 'live findings, after it')
})
