// Keys: issue (token once), list without secrets, revoke at once, and the first admin key on a new database (admin.key).
import { createHash } from 'node:crypto'
import { chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { ConfigError, defaultConfig, type Config } from '../src/config.js'
import { assertProblem, buildTestApp } from './helper.js'
import { BOOT_TIMEOUT_MS, endProcess, spawnEntry } from './real-server.js'

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

t.test('an admin issues a key: the token comes once, with Location and X-Revision, and works at its role', async (t) => {
  const { app, call } = await buildTestApp(t)
  const res = await call({ method: 'POST', url: '/v1/keys', payload: { label: 'HRIS sync', role: 'editor' } })
  t.equal(res.statusCode, 201)
  const key = res.json()
  t.same(Object.keys(key).sort(), ['createdAt', 'id', 'label', 'role', 'token'])
  t.match(key, { label: 'HRIS sync', role: 'editor', token: /^wd_[A-Za-z0-9_-]{40,}$/ })
  t.equal(res.headers.location, `/v1/keys/${key.id}`)
  t.match(res.headers['x-revision'], /^\d+$/)
  t.equal(res.headers['cache-control'], 'no-store')

  const asNewKey = { authorization: `Bearer ${key.token as string}` }
  t.equal((await app.inject({ url: '/v1/people', headers: asNewKey })).statusCode, 200, 'the new key reads')
  t.equal((await app.inject({ method: 'POST', url: '/v1/people', headers: asNewKey, payload: { name: 'Ada', email: 'ada@example.com' } })).statusCode, 201, 'and writes, as an editor')
  assertProblem(t, await app.inject({ url: '/v1/keys', headers: asNewKey }), 403, 'WHODECIDES_ERR_FORBIDDEN')

  const second = (await call({ method: 'POST', url: '/v1/keys', payload: { label: 'HRIS sync', role: 'editor' } })).json()
  t.not(second.token, key.token, 'every key gets its own token')
})

t.test('a key is created only from a valid {label, role}', async (t) => {
  const { call } = await buildTestApp(t)
  const cases: [unknown, string][] = [
    [{ label: 'x', role: 'owner' }, '/role'],
    [{ label: 'x' }, '/role'],
    [{ role: 'reader' }, '/label'],
    [{ label: '', role: 'reader' }, '/label'],
    [{ label: 'x'.repeat(101), role: 'reader' }, '/label'],
    [{ label: 'x', role: 'reader', token: 'wd_mine' }, '/token']
  ]
  for (const [payload, path] of cases) {
    const body = assertProblem(t, await call({ method: 'POST', url: '/v1/keys', payload: payload as object }), 400, 'WHODECIDES_ERR_VALIDATION')
    t.match(body.errors, [{ in: 'body', path }], JSON.stringify(payload))
  }
  t.equal((await call({ url: '/v1/keys' })).json().items.length, 4, 'no key was created')
})

t.test('the list shows every key without a secret, and neither does the change log', async (t) => {
  const { call, tokens } = await buildTestApp(t)
  const issued = (await call({ method: 'POST', url: '/v1/keys', payload: { label: 'dashboard', role: 'reader' } })).json()
  const list = await call({ url: '/v1/keys' })
  t.equal(list.statusCode, 200)
  const { items } = list.json()
  t.same(items.map((k: { label: string }) => k.label), ['bootstrap admin', 'test reader', 'test editor', 'test auditor', 'dashboard'], 'oldest first')
  for (const k of items) t.same(Object.keys(k).sort(), ['createdAt', 'id', 'label', 'revokedAt', 'role'])
  t.match(items[4], { id: issued.id, role: 'reader', revokedAt: null })

  const log = await call({ url: '/v1/changes?entity=keys&limit=500' })
  t.equal(log.json().items.length, 5, 'one entry per key')
  for (const body of [list.body, log.body]) {
    for (const token of [...Object.values(tokens), issued.token as string]) {
      t.notOk(body.includes(token), 'no token')
      t.notOk(body.includes(sha256(token)), 'no token hash')
    }
    t.notOk(/token|hash/i.test(body), 'no token or hash field')
  }
})

t.test('a revoked key is refused on the very next request', async (t) => {
  const { app, call } = await buildTestApp(t)
  const issued = (await call({ method: 'POST', url: '/v1/keys', payload: { label: 'laptop', role: 'auditor' } })).json()
  const asIssued = { authorization: `Bearer ${issued.token as string}` }
  t.equal((await app.inject({ url: '/v1/changes', headers: asIssued })).statusCode, 200)

  const res = await call({ method: 'DELETE', url: `/v1/keys/${issued.id as string}` })
  t.equal(res.statusCode, 204)
  t.equal(res.body, '')
  const revision = Number(res.headers['x-revision'])
  t.ok(revision > 0)

  const refused = await app.inject({ url: '/v1/changes', headers: asIssued })
  assertProblem(t, refused, 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
  t.match(refused.headers['www-authenticate'], /^Bearer realm="whodecides"/)

  const listed = (await call({ url: '/v1/keys' })).json().items.find((k: { id: string }) => k.id === issued.id)
  t.match(listed, { revokedAt: /^\d{4}-\d\d-\d\dT/ })
  const [entry] = (await call({ url: `/v1/changes?entity=keys&entityId=${issued.id as string}&since=${revision - 1}` })).json().items
  t.match(entry, { revision, action: 'revoke', before: { revokedAt: null }, after: { revokedAt: listed.revokedAt } })

  const again = await call({ method: 'DELETE', url: `/v1/keys/${issued.id as string}` })
  t.equal(again.statusCode, 204, 'revoking twice is harmless')
  t.equal(Number(again.headers['x-revision']), revision, 'and answers with the revision that revoked it')
  t.equal((await call({ url: `/v1/changes?since=${revision}` })).json().items.length, 0, 'without a new entry')

  assertProblem(t, await call({ method: 'DELETE', url: '/v1/keys/no-such-key' }), 404, 'WHODECIDES_ERR_NOT_FOUND')
})

t.test('the last live admin key cannot be revoked', async (t) => {
  const { call } = await buildTestApp(t)
  const bootstrap = (await call({ url: '/v1/keys' })).json().items.find((k: { role: string }) => k.role === 'admin')
  const body = assertProblem(t, await call({ method: 'DELETE', url: `/v1/keys/${bootstrap.id as string}` }), 409, 'WHODECIDES_ERR_CONFLICT')
  t.match(body.detail, /last live admin key/)
  t.equal((await call({ url: '/v1/keys' })).statusCode, 200, 'the admin key still works')

  const other = (await call({ method: 'POST', url: '/v1/keys', payload: { label: 'second admin', role: 'admin' } })).json()
  t.equal((await call({ method: 'DELETE', url: `/v1/keys/${bootstrap.id as string}` })).statusCode, 204, 'with a second admin, the first may go')
  t.equal((await call({ url: '/v1/keys' })).statusCode, 401, 'and is refused at once')
  const asOther = { authorization: `Bearer ${other.token as string}` }
  const left = await call({ as: null, method: 'DELETE', url: `/v1/keys/${other.id as string}`, headers: asOther })
  assertProblem(t, left, 409, 'WHODECIDES_ERR_CONFLICT')
})

function fileConfig (dir: string, overrides: Partial<Config> = {}): Config {
  return { ...defaultConfig, dbPath: join(dir, 'whodecides.db'), bootstrapKey: undefined, logLevel: 'silent', prettyLogs: false, ...overrides }
}

function tempDir (t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-keys-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

t.test('WHODECIDES_BOOTSTRAP_KEY becomes the admin key of a new database, once', async (t) => {
  const dir = tempDir(t)
  const token = 'wd_bootstrap-token-for-this-test-0001'
  const first = await buildApp(fileConfig(dir, { bootstrapKey: token }))
  const asBootstrap = { authorization: `Bearer ${token}` }
  const listed = await first.inject({ url: '/v1/keys', headers: asBootstrap })
  t.equal(listed.statusCode, 200, 'the bootstrap token works as admin')
  t.match(listed.json().items, [{ label: 'bootstrap admin', role: 'admin', revokedAt: null }])
  t.equal(listed.json().items.length, 1)
  await first.close()

  const second = await buildApp(fileConfig(dir, { bootstrapKey: 'wd_another-bootstrap-token-for-this-test-0002' }))
  t.teardown(() => second.close())
  const again = await second.inject({ url: '/v1/keys', headers: asBootstrap })
  t.equal(again.statusCode, 200, 'the first token still works after a restart')
  t.equal(again.json().items.length, 1, 'a second start creates no key')
  t.equal((await second.inject({ url: '/v1/keys', headers: { authorization: 'Bearer wd_another-bootstrap-token-for-this-test-0002' } })).statusCode, 401)
  t.throws(() => statSync(join(dir, 'admin.key')), 'no admin.key when a bootstrap key is given')
})

t.test('without a bootstrap key, the first admin key is written to a new admin.key (0600) beside the database', async (t) => {
  const dir = tempDir(t)
  const file = join(dir, 'admin.key')
  // A umask that lets everyone read what is created: the mode must not depend on it.
  const old = process.umask(0)
  const first = await buildApp(fileConfig(dir)).finally(() => process.umask(old))
  t.equal(statSync(file).mode & 0o777, 0o600)
  const token = readFileSync(file, 'utf8').trim()
  t.match(token, /^wd_/)
  const asAdmin = { authorization: `Bearer ${token}` }
  const listed = await first.inject({ url: '/v1/keys', headers: asAdmin })
  t.equal(listed.statusCode, 200, 'the token in the file works as admin')
  t.match(listed.json().items, [{ label: 'first admin', role: 'admin' }])
  await first.close()

  const second = await buildApp(fileConfig(dir))
  t.teardown(() => second.close())
  t.equal(readFileSync(file, 'utf8').trim(), token, 'a second start leaves the file alone')
  t.equal((await second.inject({ url: '/v1/keys', headers: asAdmin })).json().items.length, 1, 'and creates no key')
})

/** What lies beside the database in dir: each entry's name, type and mode, time of change, and content. */
function beside (dir: string): unknown[] {
  return readdirSync(dir).filter((name) => !name.startsWith('whodecides.db')).map((name) => {
    const { mode, mtimeMs } = lstatSync(join(dir, name))
    let content: string
    try { content = readFileSync(join(dir, name), 'utf8') } catch (err) { content = (err as NodeJS.ErrnoException).code ?? 'unreadable' }
    return [name, mode, mtimeMs, content]
  })
}

/** The keys of the database at dir, read straight from the file. */
function keysIn (dir: string): number {
  const db = new Database(join(dir, 'whodecides.db'), { readonly: true })
  try {
    return db.prepare('SELECT count(*) FROM api_keys').pluck().get() as number
  } finally {
    db.close()
  }
}

t.test('an admin.key that is not the service\'s own private file stops the start, says why, and is left as it was', async (t) => {
  const cases: Array<[string, (file: string, dir: string) => void, (file: string) => string]> = [
    ['readable by others', (file) => { writeFileSync(file, 'an older key\n', { mode: 0o644 }) },
      (file) => `${file} has mode 0644, not 0600: others may have read the key in it; chmod 600 it (and revoke that key if it is live), or remove it`],
    ['a symbolic link', (file, dir) => { writeFileSync(join(dir, 'elsewhere'), 'not the service\'s\n', { mode: 0o600 }); symlinkSync(join(dir, 'elsewhere'), file) },
      (file) => `${file} is a symbolic link: admin.key must be a file of its own; remove the link`],
    ['a folder', (file) => { mkdirSync(file) },
      (file) => `${file} is not a regular file: remove it`]
  ]
  // Only root can give a file to another user.
  if (process.getuid?.() === 0) {
    cases.push(['owned by another user', (file) => { writeFileSync(file, 'planted\n', { mode: 0o600 }); chownSync(file, 65534, 65534) },
      (file) => `${file} is owned by user 65534, not by the service's user 0: remove it, or run the service as that user`])
  }
  for (const [what, plant, message] of cases) {
    for (const bootstrapKey of [undefined, 'wd_bootstrap-token-for-this-test-0003']) {
      const dir = tempDir(t)
      const file = join(dir, 'admin.key')
      plant(file, dir)
      const before = beside(dir)
      await t.rejects(buildApp(fileConfig(dir, { bootstrapKey })), new ConfigError(message(file)),
        `${what}${bootstrapKey === undefined ? '' : ', with a bootstrap key'}: refused, naming the file and why`)
      t.same(beside(dir), before, 'the file, and what it may point to, are left as they were')
      t.equal(keysIn(dir), 0, 'and no key was created')
    }
  }
})

t.test('an admin.key beside a database with no keys holds another database\'s key: the start stops, the file is kept', async (t) => {
  const dir = tempDir(t)
  const file = join(dir, 'admin.key')
  const older = 'wd_a-key-of-another-database-0123456789\n'
  writeFileSync(file, older, { mode: 0o600 })
  await t.rejects(buildApp(fileConfig(dir)), new ConfigError(
    `${file} exists, but the database holds no keys: it holds another database's key; move it away or remove it to have a new one written, or set WHODECIDES_BOOTSTRAP_KEY`))
  t.equal(readFileSync(file, 'utf8'), older, 'the file is not overwritten')
  t.equal(keysIn(dir), 0, 'and no key was created')

  renameSync(file, join(tempDir(t), 'admin.key'))
  const moved = await buildApp(fileConfig(dir))
  t.teardown(() => moved.close())
  const token = readFileSync(file, 'utf8').trim()
  t.not(token, older.trim())
  t.equal((await moved.inject({ url: '/v1/keys', headers: { authorization: `Bearer ${token}` } })).statusCode, 200, 'once it is moved away, a new one is written')

  const withBootstrap = tempDir(t)
  writeFileSync(join(withBootstrap, 'admin.key'), older, { mode: 0o600 })
  const bootstrapKey = 'wd_bootstrap-token-for-this-test-0004'
  const app = await buildApp(fileConfig(withBootstrap, { bootstrapKey }))
  t.teardown(() => app.close())
  t.equal((await app.inject({ url: '/v1/keys', headers: { authorization: `Bearer ${bootstrapKey}` } })).statusCode, 200,
    'with a bootstrap key, the service starts on it')
  t.equal(readFileSync(join(withBootstrap, 'admin.key'), 'utf8'), older, 'and leaves the file alone')
})

t.test('the real process: a wrong admin.key is a one-line start-up error and exit code 1', async (t) => {
  const dir = tempDir(t)
  const file = join(dir, 'admin.key')
  writeFileSync(file, 'an older key\n', { mode: 0o640 })
  const proc = spawnEntry({ WHODECIDES_DB: join(dir, 'whodecides.db') })
  t.teardown(async () => { await endProcess(proc, 'SIGKILL') })
  const { code } = await Promise.race([proc.exited, sleep(BOOT_TIMEOUT_MS).then(() => ({ code: 'still running' }))])
  t.equal(code, 1)
  const lines = proc.output().trimEnd().split('\n')
  t.equal(lines.at(-1), `whodecides: ${file} has mode 0640, not 0600: others may have read the key in it; chmod 600 it (and revoke that key if it is live), or remove it`)
  t.notOk(lines.some((line) => /^\s+at /.test(line)), 'without a stack trace')
})

t.test('an in-memory database without a bootstrap key gets no key and writes no file', async (t) => {
  const app = await buildApp({ ...defaultConfig, dbPath: ':memory:', bootstrapKey: undefined, logLevel: 'silent', prettyLogs: false })
  t.teardown(() => app.close())
  t.equal(app.runtime.db.$client.prepare('SELECT count(*) AS n FROM api_keys').pluck().get(), 0)
})
