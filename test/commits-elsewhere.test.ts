// A commit made by another process on the database file (the command line beside a running server) reaches the
// server's memory: its decider index answers with it and its key cache drops a key revoked there.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { defaultConfig } from '../src/config.js'
import { COMMITS_ELSEWHERE_POLL_MS, Runtime } from '../src/runtime.js'
import { createAssignment } from '../src/services/assignments.js'
import { createKey, revokeKey, SYSTEM_ACTOR } from '../src/services/keys.js'
import { ADMIN_TOKEN } from './helper.js'

/** Waits until `check` holds, asking every poll interval, for at most `polls` intervals; whether it came to hold. */
async function eventually (check: () => Promise<boolean>, polls = 100): Promise<boolean> {
  for (let i = 0; i < polls; i++) {
    if (await check()) return true
    await sleep(COMMITS_ELSEWHERE_POLL_MS)
  }
  return await check()
}

async function serverOnFile (t: Test): Promise<{ file: string, get: (url: string, token?: string) => Promise<{ statusCode: number, json: () => any }> }> {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-elsewhere-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'whodecides.db')
  const app = await buildApp({ ...defaultConfig, dbPath: file, bootstrapKey: ADMIN_TOKEN, logLevel: 'silent', prettyLogs: false, maxEventLoopDelayMs: 0 })
  t.teardown(() => app.close())
  await app.ready()
  const get = async (url: string, token = ADMIN_TOKEN): Promise<{ statusCode: number, json: () => any }> =>
    await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })
  const post = async (url: string, payload: object): Promise<void> => {
    const res = await app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    t.equal(res.statusCode, 201, res.body)
  }
  await post('/v1/people', { id: 'ada', name: 'Ada Lovelace', email: 'ada@example.com' })
  await post('/v1/initiatives', { id: 'plan', title: 'The plan', status: 'active' })
  return { file, get }
}

t.test('an assignment written by another process on the file: the running service answers with it', async (t) => {
  const { file, get } = await serverOnFile(t)
  const before = await get('/v1/initiatives/plan/decider')
  t.equal(before.json().resolution, 'none', 'nobody decides yet')

  const other = Runtime.open(file)
  t.teardown(async () => { await other.stop() })
  createAssignment(other.db, SYSTEM_ACTOR, { id: 'a1', personId: 'ada', role: 'A', initiativeId: 'plan' })

  const seen = await eventually(async () => (await get('/v1/initiatives/plan/decider')).json().resolution === 'clear')
  t.ok(seen, 'the service sees the assignment made beside it')
  const after = (await get('/v1/initiatives/plan/decider')).json()
  t.same(after.deciders.map((d: { personId: string }) => d.personId), ['ada'], 'and names its holder')
})

t.test('a key revoked by another process on the file stops working on the running service', async (t) => {
  const { file, get } = await serverOnFile(t)
  const other = Runtime.open(file)
  t.teardown(async () => { await other.stop() })
  const { key } = createKey(other.db, SYSTEM_ACTOR, { label: 'made beside the service', role: 'reader' })
  t.equal((await get('/v1/people/ada', key.token)).statusCode, 200, 'a key issued elsewhere works at once (it is looked up)')

  revokeKey(other.db, other.keys, SYSTEM_ACTOR, key.id)
  const refused = await eventually(async () => (await get('/v1/people/ada', key.token)).statusCode === 401)
  t.ok(refused, 'the revoked key is refused')
  t.equal((await get('/v1/people/ada')).statusCode, 200, 'other keys still work')
})
