// "Who decides?" answers people can act on, over HTTP: the sentence, names on the path, caveats, who is next up, and
// a batch that answers the ids it knows.
import t from 'tap'
import { EPOCH, organization } from './decider-answers-org.js'
import type { TestApp } from './helper.js'

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

t.test('nextUp: the domain above for absent, the common manager for ambiguous, the manager above its role holders for none, null when clear', async (t) => {
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
  t.strictSame((await get(call, '/v1/initiatives/week/decider')).nextUp, {
    personId: 'lee',
    name: 'Lee Park',
    reason: 'role-holders-manager',
    summary: 'Lee Park is the nearest active manager of Nia Reed, Responsible for it, and can name who is Accountable',
    via: [],
    path: [{ kind: 'reports-to', personId: 'nia', name: 'Nia Reed', managerId: 'lee', managerName: 'Lee Park' }]
  }, 'none: the manager above its Responsible, who can name an A')
  t.equal((await call({ method: 'POST', url: '/v1/assignments', payload: { id: 'r2-week', personId: 'sam', role: 'R', initiativeId: 'week', validFrom: EPOCH } })).statusCode, 201)
  const both = (await get(call, '/v1/initiatives/week/decider')).nextUp
  t.strictSame([both.personId, both.summary], ['mo', 'Mo Chen is the nearest active manager of Nia Reed and Sam Ito, Responsible for it, and can name who is Accountable'],
    'two Responsible: the manager above both')
  t.equal((await call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'paint', title: 'Paint the office' } })).statusCode, 201)
  t.equal((await get(call, '/v1/initiatives/paint/decider')).nextUp, null, 'none, and nobody holds any role on it: nobody to ask')
  t.equal((await call({ method: 'POST', url: '/v1/assignments', payload: { id: 'i-paint', personId: 'lee', role: 'I', initiativeId: 'paint', validFrom: EPOCH } })).statusCode, 201)
  t.equal((await get(call, '/v1/initiatives/paint/decider')).nextUp?.summary,
    'Mo Chen is the nearest active manager of Lee Park, Informed for it, and can name who is Accountable', 'no R or C: those Informed')
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
