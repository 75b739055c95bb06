// The caveat warmer judges every initiative's and domain's caveats between requests, so that a first lookup finds
// them judged; what it keeps is what judging afresh gives, and after a write it judges again what the write dropped.
import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { now } from '../src/clock.js'
import type { TestApp } from './helper.js'
import { assertJudgedAfresh, DOMAINS, EPOCH, INITIATIVES, organization } from './decider-answers-org.js'

const KEYS = [...DOMAINS.map((id) => `domain/${id}`), ...INITIATIVES.map((id) => `initiative/${id}`)]

const health = async (call: TestApp['call']): Promise<string> => (await call({ method: 'GET', url: '/health', as: null })).json().caveats

/** Polls until `done` holds, for at most five seconds (the warmer rests a second between passes). */
async function until (done: () => boolean | Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 500; i++) {
    if (await done()) return true
    await sleep(10)
  }
  return false
}

t.test('warm: every target judged ahead of its first lookup, as judging afresh would', async (t) => {
  const { app, call } = await organization(t, { caveatsWarm: true })
  const runtime = app.runtime
  const held = (): string[] => KEYS.filter((key) => runtime.caveats.holds(key, now()))
  t.equal(await health(call), 'warm', '/health says warm once a pass is over (the first, over the empty registry)')
  t.ok(await until(() => held().length === KEYS.length), 'the next pass judges every initiative and domain the organization made')
  t.strictSame(held(), KEYS, 'every one is held before anyone asked')

  const judgedAfresh = (): void => { assertJudgedAfresh(t, runtime) }
  judgedAfresh()

  // A Consulted on the top domain names every slice under it: dropped, then judged again by the next pass.
  const res = await call({ method: 'POST', url: '/v1/assignments', payload: { id: 'c-otto-company', personId: 'otto', role: 'C', domainId: 'company', validFrom: EPOCH } })
  t.equal(res.statusCode, 201)
  t.strictSame(held(), ['initiative/week'], 'the write drops the slices it names at once')
  t.ok(await until(() => held().length === KEYS.length), 'the next pass judges them again, unasked')
  judgedAfresh()
  const crm = (await call({ method: 'GET', url: '/v1/initiatives/crm/decider', as: 'reader' })).json()
  t.ok(crm.caveats.some((c: { summary: string }) => c.summary.includes('Consulted on domain "Company"')), 'and the warmed caveat says what the write made')
})

t.test('warm: a judgement whose span ends is judged again by a later pass, with no write', async (t) => {
  const { app, call } = await organization(t, { caveatsWarm: true })
  const runtime = app.runtime
  // A Consulted on the CRM from a moment on: the CRM's judgement for now ends then.
  const starts = new Date(Date.now() + 1500).toISOString()
  t.equal((await call({ method: 'POST', url: '/v1/assignments', payload: { id: 'c-nia-crm', personId: 'nia', role: 'C', initiativeId: 'crm', validFrom: starts } })).statusCode, 201)
  t.ok(await until(() => runtime.caveats.holds('initiative/crm', now())), 'judged ahead before the role starts')
  await sleep(Math.max(0, Date.parse(starts) - Date.now()) + 10)
  // The judgement made before ends when the role starts (its span): held after it only if a pass judged it again.
  t.ok(await until(() => runtime.caveats.holds('initiative/crm', now())), 'a later pass judges it again, unasked')
})

t.test('warm: a judgement that fails does not end the process, and the warmer tries again later', async (t) => {
  const { app, call } = await organization(t, { caveatsWarm: true })
  const runtime = app.runtime
  t.ok(await until(() => runtime.caveats.holds('initiative/crm', now())), 'warm')
  // A rule's stored options no longer JSON (written past the service, as a damaged file would hold them): every
  // judgement now fails. A write then drops the CRM's judgement, and the next pass meets the failure.
  runtime.db.$client.prepare("INSERT INTO rule_settings (rule_id, enabled, severity, options, version, updated_at) VALUES ('retired-influence', 1, NULL, '{not json', 1, '2026-01-01T00:00:00.000Z')").run()
  t.equal((await call({ method: 'PATCH', url: '/v1/people/otto', payload: { name: 'Otto Vane' } })).statusCode, 200)
  await sleep(2500)
  t.equal((await call({ method: 'GET', url: '/health', as: null })).statusCode, 200, 'the server still answers after passes that failed')
  t.notOk(runtime.caveats.holds('initiative/crm', now()), 'nothing failed is held')
  runtime.db.$client.prepare("DELETE FROM rule_settings WHERE rule_id = 'retired-influence'").run()
  t.equal((await call({ method: 'PATCH', url: '/v1/people/otto', payload: { name: 'Otto Vance' } })).statusCode, 200)
  t.ok(await until(() => runtime.caveats.holds('initiative/crm', now())), 'once repaired, a later pass judges it again')
})

t.test('on lookup: nothing is judged before it is asked', async (t) => {
  const { app, call } = await organization(t)
  t.equal(await health(call), 'on-lookup')
  await sleep(50)
  t.strictSame(KEYS.filter((key) => app.runtime.caveats.holds(key, now())), [], 'no target is held unasked')
})
