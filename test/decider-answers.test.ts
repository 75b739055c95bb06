// "Who decides?" answers people can act on, over HTTP: the sentence, names on the path, caveats, who is next up, and
// a batch that answers the ids it knows.
import t, { type Test } from 'tap'
import { buildTestApp, type TestApp } from './helper.js'

const EPOCH = '2020-01-01T00:00:00.000Z'
const LEAVE = '2026-06-01T00:00:00.000Z'
const DUE = '2026-02-01T00:00:00.000Z'
const OBSERVED = '2026-01-10T00:00:00.000Z'

/**
 * Mo Chen leads the company; Dana Hale (Sales), Kim Ode (Ops) and Lee Park report to Mo; Nia Reed reports to Lee,
 * Sam Ito to Kim. Kim is on leave from LEAVE. Otto Vance, the retired founder, steers Dana.
 * Domains: company (A Mo) ← sales (A Dana), ops (A Kim), it (no A).
 */
async function organization (t: Test): Promise<TestApp> {
  const test = await buildTestApp(t)
  const person = (id: string, name: string, managerId?: string, extra: object = {}): [string, object] =>
    ['/v1/people', { id, name, email: `${id}@example.com`, ...(managerId === undefined ? {} : { managerId }), ...extra }]
  const assign = (id: string, personId: string, role: string, where: object): [string, object] =>
    ['/v1/assignments', { id, personId, role, ...where, validFrom: EPOCH }]
  const posts: [string, object][] = [
    person('mo', 'Mo Chen'), person('dana', 'Dana Hale', 'mo'), person('kim', 'Kim Ode', 'mo'), person('lee', 'Lee Park', 'mo'),
    person('nia', 'Nia Reed', 'lee'), person('sam', 'Sam Ito', 'kim'), person('otto', 'Otto Vance', undefined, { status: 'retired', statusSince: EPOCH, tags: ['founder'] }),
    ['/v1/domains', { id: 'company', name: 'Company' }],
    ['/v1/domains', { id: 'sales', name: 'Sales', parentId: 'company' }],
    ['/v1/domains', { id: 'ops', name: 'Ops', parentId: 'company' }],
    ['/v1/domains', { id: 'it', name: 'IT', parentId: 'company' }],
    ['/v1/initiatives', { id: 'crm', title: 'Roll out a CRM', domainId: 'sales' }],
    ['/v1/initiatives', { id: 'vendor', title: 'Pick a vendor', domainId: 'company', decisionDueAt: DUE }],
    ['/v1/initiatives', { id: 'warehouse', title: 'Automate the warehouse', domainId: 'ops' }],
    ['/v1/initiatives', { id: 'branch', title: 'Open a branch', domainId: 'ops' }],
    ['/v1/initiatives', { id: 'merge', title: 'Merge the teams', domainId: 'it' }],
    ['/v1/initiatives', { id: 'designer', title: 'Hire a designer', domainId: 'it', decisionRule: 'pool' }],
    ['/v1/initiatives', { id: 'building', title: 'Sell the building', domainId: 'it', decisionRule: 'unanimous' }],
    ['/v1/initiatives', { id: 'week', title: 'Trial a four-day week' }],
    assign('a-company', 'mo', 'A', { domainId: 'company' }),
    assign('a-sales', 'dana', 'A', { domainId: 'sales' }),
    assign('a-ops', 'kim', 'A', { domainId: 'ops' }),
    assign('a-branch', 'kim', 'A', { initiativeId: 'branch' }),
    assign('a-merge-1', 'lee', 'A', { initiativeId: 'merge' }),
    assign('a-merge-2', 'sam', 'A', { initiativeId: 'merge' }),
    assign('a-designer-1', 'dana', 'A', { initiativeId: 'designer' }),
    assign('a-designer-2', 'lee', 'A', { initiativeId: 'designer' }),
    assign('a-building-1', 'mo', 'A', { initiativeId: 'building' }),
    assign('a-building-2', 'lee', 'A', { initiativeId: 'building' }),
    ['/v1/delegations', { id: 'dg-branch', fromPersonId: 'kim', toPersonId: 'lee', initiativeId: 'branch', validFrom: EPOCH, validTo: '2027-03-01T00:00:00.000Z' }],
    ['/v1/influences', { id: 'inf-otto', personId: 'otto', overPersonId: 'dana', strength: 'high', observedAt: OBSERVED }]
  ]
  // Everyone has a Responsible, so that the caveats below are only those each case is about.
  for (const id of ['crm', 'vendor', 'warehouse', 'branch', 'merge', 'designer', 'building', 'week']) posts.push(assign(`r-${id}`, 'nia', 'R', { initiativeId: id }))
  for (const [url, payload] of posts) {
    const res = await test.call({ method: 'POST', url, payload })
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.body}`)
  }
  const leave = await test.call({ method: 'PATCH', url: '/v1/people/kim', payload: { status: 'on_leave', statusSince: LEAVE } })
  if (leave.statusCode !== 200) throw new Error(leave.body)
  return test
}

const get = async (call: TestApp['call'], url: string) => {
  const res = await call({ method: 'GET', url, as: 'reader' })
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res.json()
}

const OTTO_STEERS = `Otto Vance (retired) still steers Dana Hale, who decides "Roll out a CRM" (high influence observed 10 January 2026)`

t.test('each kind of answer in one sentence, now', async (t) => {
  const { call } = await organization(t)
  const summary = async (id: string): Promise<string> => (await get(call, `/v1/initiatives/${id}/decider`)).summary
  t.equal(await summary('crm'), `Dana Hale decides 'Roll out a CRM', as Accountable for the Sales domain; 1 caveat: ${OTTO_STEERS}.`, 'clear, with its caveat')
  t.equal(await summary('warehouse'), "Nobody can decide 'Automate the warehouse' now: Kim Ode, its decider, is on leave and has no deputy.", 'absent')
  t.equal(await summary('branch'), "Lee Park decides 'Open a branch' for Kim Ode, who is on leave, until 1 March 2027.", 'delegated')
  t.equal(await summary('merge'), "Nobody clearly decides 'Merge the teams' now: Lee Park and Sam Ito are both Accountable, where its rule asks for one.", 'ambiguous')
  t.equal(await summary('building'), "Mo Chen and Lee Park decide 'Sell the building' together: all of them must agree; " +
    '1 caveat: "Sell the building" is decided unanimously: Lee Park reports to Mo Chen.', 'unanimous')
  t.equal(await summary('week'), "Nobody decides 'Trial a four-day week': nobody is Accountable for it or for any domain above it.", 'none')
  t.match(await summary('designer'), /^Any one of Dana Hale or Lee Park may decide 'Hire a designer'; 1 caveat: Otto Vance \(retired\) still steers Dana Hale/, 'pool')
  t.equal((await get(call, '/v1/domains/sales/decider')).summary, 'Dana Hale decides the Sales domain, as its Accountable.', 'a domain\'s own A')
  t.equal((await get(call, '/v1/domains/it/decider')).summary, 'Mo Chen decides the IT domain, as Accountable for the Company domain.', 'a domain\'s inherited A')
})

t.test('a time asked for is in words, and in the past tense once past', async (t) => {
  const { call } = await organization(t)
  t.equal((await get(call, '/v1/initiatives/warehouse/decider?at=2026-03-03T09:00:00Z')).summary,
    "Kim Ode decided 'Automate the warehouse' on 3 March 2026, as Accountable for the Ops domain.", 'before Kim\'s leave')
  t.equal((await get(call, '/v1/initiatives/warehouse/decider?at=2026-07-01T00:00:00Z')).summary,
    "Nobody could decide 'Automate the warehouse' on 1 July 2026: Kim Ode, its decider, was on leave and had no deputy.", 'during it')
  t.equal((await get(call, '/v1/initiatives/week/decider?at=2099-01-01T00:00:00Z')).summary,
    "Nobody decides 'Trial a four-day week' on 1 January 2099: nobody is Accountable for it or for any domain above it.", 'a future time: present tense')
})

t.test('every step of a path carries names', async (t) => {
  const { call } = await organization(t)
  t.strictSame((await get(call, '/v1/initiatives/branch/decider')).deciders, [{
    personId: 'lee',
    name: 'Lee Park',
    via: [
      { kind: 'assignment', id: 'a-branch', level: 'initiative', domainId: null, domainName: null },
      { kind: 'delegation', id: 'dg-branch', from: 'kim', to: 'lee', fromName: 'Kim Ode', toName: 'Lee Park', validTo: '2027-03-01T00:00:00.000Z', delegationKind: 'deputy' }
    ]
  }])
  t.strictSame((await get(call, '/v1/initiatives/crm/decider')).deciders[0].via, [{ kind: 'assignment', id: 'a-sales', level: 'domain', domainId: 'sales', domainName: 'Sales' }])
  t.strictSame((await get(call, '/v1/people/lee/authority')).initiatives.find((i: { initiativeId: string }) => i.initiativeId === 'branch').via[1],
    { kind: 'delegation', id: 'dg-branch', from: 'kim', to: 'lee', fromName: 'Kim Ode', toName: 'Lee Park', validTo: '2027-03-01T00:00:00.000Z', delegationKind: 'deputy' }, 'and so does a person\'s authority')
})

t.test('caveats: a retired founder steering the decider, a decision overdue; a waived one listed but not counted', async (t) => {
  const { call } = await organization(t)
  const crm = await get(call, '/v1/initiatives/crm/decider')
  t.equal(crm.resolution, 'clear')
  t.strictSame(crm.caveats.map(({ fingerprint: _f, remediation: _r, ...c }: { fingerprint: string, remediation: string }) => c), [{
    ruleId: 'retired-influence', severity: 'warning', summary: OTTO_STEERS, subject: { kind: 'person', id: 'otto' }, waived: null
  }])
  t.match(crm.caveats[0].remediation, /Otto Vance/, 'with its next step, naming the people')
  t.match(crm.caveats[0].fingerprint, /^[0-9a-f]{32}$/)
  t.strictSame((await get(call, '/v1/initiatives/merge/decider')).caveats.map((c: { ruleId: string }) => c.ruleId), ['multiple-final-deciders'], 'an ambiguous answer\'s own finding')

  const vendor = await get(call, '/v1/initiatives/vendor/decider')
  t.strictSame(vendor.caveats.map((c: { ruleId: string, summary: string }) => [c.ruleId, c.summary]), [['decision-overdue', `The decision on "Pick a vendor" was due 1 February 2026 and is still open (proposed)`]])
  t.equal(vendor.summary, `Mo Chen decides 'Pick a vendor', as Accountable for the Company domain; 1 caveat: The decision on "Pick a vendor" was due 1 February 2026 and is still open (proposed).`)
  t.strictSame((await get(call, '/v1/initiatives/vendor/decider?at=2026-01-15T00:00:00Z')).caveats, [], 'not overdue before its due date')

  const waiver = await call({ method: 'POST', url: '/v1/waivers', payload: { fingerprint: vendor.caveats[0].fingerprint, reason: 'The board decides in March', expiresAt: '2099-01-01T00:00:00Z' } })
  t.equal(waiver.statusCode, 201, waiver.body)
  const waived = await get(call, '/v1/initiatives/vendor/decider')
  t.strictSame(waived.caveats[0].waived, { waiverId: waiver.json().id, reason: 'The board decides in March' }, 'listed with its waiver')
  t.equal(waived.summary, "Mo Chen decides 'Pick a vendor', as Accountable for the Company domain.", 'and not counted')

  // A write changes the caveats at once: Otto no longer steers Dana.
  t.equal((await call({ method: 'DELETE', url: '/v1/influences/inf-otto' })).statusCode, 204)
  const after = await get(call, '/v1/initiatives/crm/decider')
  t.strictSame(after.caveats, [], 'after the influence is deleted')
  t.equal(after.summary, "Dana Hale decides 'Roll out a CRM', as Accountable for the Sales domain.")
})

t.test('a domain\'s caveats: findings about the domain, those above it, or its deciders', async (t) => {
  const { call } = await organization(t)
  const posted = await call({ method: 'POST', url: '/v1/assignments', payload: { id: 'c-otto', personId: 'otto', role: 'C', domainId: 'sales', validFrom: EPOCH } })
  t.equal(posted.statusCode, 201, posted.body)
  const sales = await get(call, '/v1/domains/sales/decider')
  t.strictSame(sales.caveats.map((c: { ruleId: string, summary: string }) => [c.ruleId, c.summary]), [['retired-influence', 'Otto Vance (retired) still holds Consulted on domain "Sales"']])
  t.equal(sales.summary, 'Dana Hale decides the Sales domain, as its Accountable; 1 caveat: Otto Vance (retired) still holds Consulted on domain "Sales".')
  t.strictSame((await get(call, '/v1/domains/ops/decider')).caveats, [], 'not a sibling domain\'s')
  t.equal((await get(call, '/v1/initiatives/crm/decider')).caveats.length, 2, 'and an initiative in it has both')
})

t.test('nextUp: the domain above for absent, the common manager for ambiguous, nobody for none, null when clear', async (t) => {
  const { call } = await organization(t)
  t.strictSame((await get(call, '/v1/initiatives/warehouse/decider')).nextUp, {
    personId: 'mo',
    name: 'Mo Chen',
    reason: 'domain-above',
    summary: 'Mo Chen decides the Company domain, the nearest above with a decider who can act',
    via: [{ kind: 'assignment', id: 'a-company', level: 'domain', domainId: 'company', domainName: 'Company' }],
    path: [{ kind: 'domain', domainId: 'company', name: 'Company', resolution: 'clear' }]
  })
  t.strictSame((await get(call, '/v1/initiatives/merge/decider')).nextUp, {
    personId: 'mo',
    name: 'Mo Chen',
    reason: 'common-manager',
    summary: 'Mo Chen is the nearest active manager of Lee Park and Sam Ito',
    via: [],
    path: [
      { kind: 'reports-to', personId: 'lee', name: 'Lee Park', managerId: 'mo', managerName: 'Mo Chen' },
      { kind: 'reports-to', personId: 'sam', name: 'Sam Ito', managerId: 'kim', managerName: 'Kim Ode' },
      { kind: 'reports-to', personId: 'kim', name: 'Kim Ode', managerId: 'mo', managerName: 'Mo Chen' }
    ]
  }, 'Kim, Sam\'s manager, is on leave: the line goes on to Mo')
  t.equal((await get(call, '/v1/initiatives/week/decider')).nextUp, null, 'none: nobody above')
  t.equal((await get(call, '/v1/initiatives/crm/decider')).nextUp, null, 'clear')

  // Mo goes on leave too: no domain above can act, so the absent decider's nearest active manager is asked... and
  // Kim's only manager is Mo: nobody.
  t.equal((await call({ method: 'PATCH', url: '/v1/people/mo', payload: { status: 'on_leave' } })).statusCode, 200)
  t.equal((await get(call, '/v1/initiatives/warehouse/decider')).nextUp, null)
  t.equal((await call({ method: 'PATCH', url: '/v1/people/kim', payload: { managerId: 'lee' } })).statusCode, 200)
  const managed = (await get(call, '/v1/initiatives/warehouse/decider')).nextUp
  t.strictSame([managed.personId, managed.reason, managed.path], ['lee', 'common-manager', [{ kind: 'reports-to', personId: 'kim', name: 'Kim Ode', managerId: 'lee', managerName: 'Lee Park' }]],
    'once Kim reports to Lee, Lee is next up')
  t.strictSame((await get(call, '/v1/domains/ops/decider')).nextUp?.personId, 'lee', 'a domain\'s answer too')
})

t.test('POST /v1/deciders/resolve answers the ids it knows and lists the others; strict refuses them all', async (t) => {
  const { call } = await organization(t)
  const res = await call({ method: 'POST', url: '/v1/deciders/resolve', payload: { initiativeIds: ['crm', 'nope', 'week', 'gone'] }, as: 'reader' })
  t.equal(res.statusCode, 200, res.body)
  const body = res.json()
  t.strictSame(body.results.map((r: { initiativeId: string }) => r.initiativeId), ['crm', 'week'], 'the known ones, in the order asked')
  t.strictSame(body.unknown, [{ index: 1, initiativeId: 'nope' }, { index: 3, initiativeId: 'gone' }])
  // Asked alone a moment later: the same answer but for its time.
  for (const { at: _at, ...result } of body.results) {
    const { at: _alone, ...alone } = await get(call, `/v1/initiatives/${String(result.initiativeId)}/decider`)
    t.strictSame(result, alone, `${String(result.initiativeId)}: as asked alone`)
  }
  const known = (await call({ method: 'POST', url: '/v1/deciders/resolve', payload: { initiativeIds: ['crm'], strict: true } })).json()
  t.strictSame(known.unknown, [], 'strict with every id known answers as usual')
  const strict = await call({ method: 'POST', url: '/v1/deciders/resolve', payload: { initiativeIds: ['crm', 'nope'], strict: true } })
  t.equal(strict.statusCode, 422)
  t.strictSame(strict.json().errors, [{ in: 'body', path: '/initiativeIds/1', message: 'no initiatives record with id "nope"' }])
  const none = (await call({ method: 'POST', url: '/v1/deciders/resolve', payload: { initiativeIds: ['nope'] } })).json()
  t.strictSame([none.results, none.unknown], [[], [{ index: 0, initiativeId: 'nope' }]], 'no id known: no results, every id listed')
})
