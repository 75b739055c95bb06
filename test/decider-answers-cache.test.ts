// The caveat cache keeps what a write cannot change: a write outside an answer's slice keeps its cached caveats, a
// write inside it changes them at once, and every answer is what judging afresh would give.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { now } from '../src/clock.js'
import { CaveatCache } from '../src/services/caveat-cache.js'
import { SYSTEM_ACTOR } from '../src/services/keys.js'
import { updatePerson } from '../src/services/people.js'
import { createWaiver } from '../src/services/waivers.js'
import { lastRevision } from '../src/store/change-feed.js'
import { closeDatabase, openDatabase } from '../src/store/connection.js'
import { resolveDomainDecider, resolveInitiativeDecider } from '../src/services/deciders.js'
import { assertJudgedAfresh, DOMAINS, EPOCH, INITIATIVES, organization } from './decider-answers-org.js'


t.test('a write keeps the cached caveats of the answers whose slices it does not name, and changes the others', async (t) => {
  const { app, call } = await organization(t)
  const runtime = app.runtime
  const write = async (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object): Promise<void> => {
    const res = await call({ method, url, ...(payload === undefined ? {} : { payload }) })
    t.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body.slice(0, 200)}`)
  }
  const ask = async (): Promise<void> => {
    for (const id of INITIATIVES) t.equal((await call({ method: 'GET', url: `/v1/initiatives/${id}/decider`, as: 'reader' })).statusCode, 200)
    for (const id of DOMAINS) t.equal((await call({ method: 'GET', url: `/v1/domains/${id}/decider`, as: 'reader' })).statusCode, 200)
  }
  const kept = (): string[] => [...INITIATIVES.map((id) => `initiative/${id}`), ...DOMAINS.map((id) => `domain/${id}`)]
    .filter((key) => runtime.caveats.holds(key, now()))
  const all = [...INITIATIVES.map((id) => `initiative/${id}`), ...DOMAINS.map((id) => `domain/${id}`)]
  const judgedAfresh = (): void => { assertJudgedAfresh(t, runtime) }
  const crmCaveats = async (): Promise<string[]> =>
    (await call({ method: 'GET', url: '/v1/initiatives/crm/decider', as: 'reader' })).json().caveats.map((c: { summary: string }) => c.summary)

  await ask()
  t.strictSame(kept(), all, 'every answer asked is cached')

  // Outside the slices: a new person nobody names, and an edit of fields no rule reads (Dana's title and email).
  await write('POST', '/v1/people', { id: 'zed', name: 'Zed Ash', email: 'zed@example.com' })
  await write('PATCH', '/v1/people/dana', { title: 'Head of Sales', email: 'dana.hale@example.com' })
  t.strictSame(kept(), all, 'a new person, and a title and an email, drop nothing')
  // Zed Responsible for the four-day week names that initiative and Zed, whom no other slice holds.
  await write('POST', '/v1/assignments', { id: 'r2-week', personId: 'zed', role: 'R', initiativeId: 'week', validFrom: EPOCH })
  t.strictSame(kept(), all.filter((k) => k !== 'initiative/week'), 'a role on one initiative drops that answer only')
  judgedAfresh()

  // Inside a slice: Otto, who steers Dana, is renamed; the caveat of every answer that holds him says so at once.
  const before = await crmCaveats()
  await write('PATCH', '/v1/people/otto', { name: 'Otto Vane' })
  t.notOk(runtime.caveats.holds('initiative/crm', now()), 'a person of the slice renamed drops the answer')
  t.ok(runtime.caveats.holds('initiative/week', now()), 'and keeps those that do not hold him')
  t.strictSame(await crmCaveats(), before.map((s) => s.replace('Otto Vance', 'Otto Vane')), 'the caveat names him anew')
  judgedAfresh()

  // A Consulted on the top domain: every initiative and domain under Company is dropped; the four-day week, in no
  // domain, is kept.
  await ask()
  await write('POST', '/v1/assignments', { id: 'c-otto-company', personId: 'otto', role: 'C', domainId: 'company', validFrom: EPOCH })
  t.strictSame(kept(), ['initiative/week'], 'a role on the top domain names every slice under it')
  t.ok((await crmCaveats()).some((s) => s.includes('Consulted on domain "Company"')), 'the new caveat is there at once')
  judgedAfresh()

  // Ending it (a change whose record now names nothing new) drops those slices again.
  await ask()
  await write('DELETE', '/v1/assignments/c-otto-company')
  t.notOk(runtime.caveats.holds('initiative/crm', now()))
  t.notOk((await crmCaveats()).some((s) => s.includes('Consulted on domain "Company"')), 'and the caveat is gone')
  judgedAfresh()

  // A decision on the vendor names that initiative only.
  await ask()
  await write('POST', '/v1/initiatives/vendor/decisions', { id: 'dec-vendor', decidedBy: 'mo', decidedAt: '2026-03-01T00:00:00.000Z', outcome: 'Acme' })
  t.strictSame(kept(), all.filter((k) => k !== 'initiative/vendor'), 'a decision drops its initiative\'s answer only')
  judgedAfresh()

  // A rule switched off names every slice.
  await ask()
  await write('PATCH', '/v1/rules/retired-influence', { enabled: false })
  t.strictSame(kept(), [], 'a rule\'s settings drop every answer')
  t.strictSame(await crmCaveats(), [], 'and its findings are gone at once')
  judgedAfresh()
})

t.test('a lookup at a past time reuses the judgement for now only where its slice stood then as it stands now', async (t) => {
  const { app, call } = await organization(t)
  const runtime = app.runtime
  const asked = async (id: string, at: string): Promise<string[]> =>
    (await call({ method: 'GET', url: `/v1/initiatives/${id}/decider?at=${encodeURIComponent(at)}`, as: 'reader' })).json().caveats.map((c: { summary: string }) => c.summary)
  const beforeRename = new Date().toISOString()
  await new Promise((resolve) => setTimeout(resolve, 5))
  t.equal((await call({ method: 'PATCH', url: '/v1/people/otto', payload: { name: 'Otto Vane' } })).statusCode, 200)
  // The answers for now are judged (and kept) first: each lookup at a past time below could reuse them.
  for (const id of INITIATIVES) t.equal((await call({ method: 'GET', url: `/v1/initiatives/${id}/decider`, as: 'reader' })).statusCode, 200)

  const crmThen = await asked('crm', beforeRename)
  t.ok(crmThen.some((s) => s.includes('Otto Vance')), 'before the rename, the caveat names the founder as he was named then')
  t.notOk(crmThen.some((s) => s.includes('Otto Vane')), 'not as he is named now')
  t.ok((await asked('crm', new Date().toISOString())).some((s) => s.includes('Otto Vane')), 'and as he is named now for a time after it')

  // Every answer at a past time is the one judged afresh at that time, by a cache that has seen nothing.
  const times = [EPOCH, '2026-01-15T00:00:00.000Z', '2026-05-31T23:59:59.999Z', '2026-07-01T00:00:00.000Z', beforeRename, new Date().toISOString()]
  const fresh = { db: runtime.db, deciders: runtime.deciders, caveats: new CaveatCache(runtime.db) }
  for (const at of times) {
    for (const id of INITIATIVES) {
      t.strictSame(resolveInitiativeDecider(runtime, id, at), resolveInitiativeDecider(fresh, id, at), `${id} at ${at}: as judged afresh`)
    }
    for (const id of DOMAINS) {
      t.strictSame(resolveDomainDecider(runtime, id, at), resolveDomainDecider(fresh, id, at), `domain ${id} at ${at}: as judged afresh`)
    }
  }
})

t.test('a commit made on another connection, which the decider index has not followed yet, is never kept half-seen', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-caveats-elsewhere-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const { app, call } = await organization(t, { dbPath: join(dir, 'org.db') })
  const runtime = app.runtime
  const crm = async (): Promise<string[]> =>
    (await call({ method: 'GET', url: '/v1/initiatives/crm/decider', as: 'reader' })).json().caveats.map((c: { summary: string }) => c.summary)
  t.ok((await crm()).some((s) => s.includes('Otto Vance')), 'the founder, as named before')

  // The command line beside the server renames him. Until the index follows that commit it answers with the name
  // before it (its contract); the caveats judged meanwhile must not outlive that.
  const other = openDatabase(join(dir, 'org.db'))
  const crmCaveats = async (): Promise<Array<{ summary: string, fingerprint: string, waived: unknown }>> =>
    (await call({ method: 'GET', url: '/v1/initiatives/crm/decider', as: 'reader' })).json().caveats
  const [first] = await crmCaveats()
  try {
    updatePerson(other, SYSTEM_ACTOR, 'otto', { name: 'Otto Vane' })
    // And accepts the first caveat there: a waiver made elsewhere is live in the answers as soon as the rename is.
    createWaiver(other, SYSTEM_ACTOR, { fingerprint: first!.fingerprint, reason: 'accepted for the transition', expiresAt: '2099-01-01T00:00:00.000Z' })
  } finally {
    closeDatabase(other)
  }
  await crm()
  await runtime.deciders.follow(lastRevision(runtime.db))
  const after = await crm()
  t.ok(after.some((s) => s.includes('Otto Vane')), 'once the index has followed, the caveat names him anew')
  t.notOk(after.some((s) => s.includes('Otto Vance')), 'and not as before')
  t.match((await crmCaveats()).find((c) => c.fingerprint === first!.fingerprint)?.waived, { reason: 'accepted for the transition' }, 'the waiver made elsewhere accepts its caveat')
  const fresh = { db: runtime.db, deciders: runtime.deciders, caveats: new CaveatCache(runtime.db) }
  for (const id of INITIATIVES) {
    const { at: _a, ...cached } = resolveInitiativeDecider(runtime, id)
    const { at: _b, ...afresh } = resolveInitiativeDecider(fresh, id)
    t.strictSame(cached, afresh, `${id}: as judged afresh`)
  }
})
