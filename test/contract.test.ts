// The contract a newcomer meets: every operation says what it is for, who may call it (from the route's own allow)
// and its main errors; the document's servers work on whatever port the service listens on.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { KEY_ROLES } from '../db/schema.js'
import { OPERATION_PURPOSES } from '../src/schemas/operations.js'
import { buildTestApp } from './helper.js'
import { endProcess, startServer } from './real-server.js'

type Operation = { operationId: string, description?: string }

t.test('every operation has a description: its purpose, who may call it (from its allow), its main errors', async (t) => {
  const { app } = await buildTestApp(t)
  await app.ready()
  const document = app.swagger() as unknown as { paths: Record<string, Record<string, Operation>> }
  const allowOf = new Map(app.routeAccess.map((r) => [`${r.method.toLowerCase()} ${r.url.replace(/:(\w+)/g, '{$1}')}`, r.allow]))
  let checked = 0
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const name = `${method.toUpperCase()} ${path} (${op.operationId})`
      const description = op.description ?? ''
      const sentences = description.split(/(?<=\.)\s+/).filter((s) => s.trim().length > 0)
      t.ok(sentences.length >= 2, `${name}: ${sentences.length} sentences`)
      t.ok(Object.hasOwn(OPERATION_PURPOSES, op.operationId), `${name}: its purpose is in the catalogue`)
      t.ok(allowOf.has(`${method} ${path}`), `${name}: a registered route`)
      const allow = allowOf.get(`${method} ${path}`) ?? null
      const who = sentences.find((s) => s.startsWith('Who may call it:')) ?? ''
      if (allow === null) t.match(who, /without a key/, `${name}: public`)
      for (const role of KEY_ROLES) t.equal(who.includes(role), allow?.includes(role) ?? false, `${name}: ${role} ${allow?.includes(role) === true ? 'named' : 'not named'}`)
      t.match(description, /Main errors: /, `${name}: its errors`)
      checked++
    }
  }
  t.ok(checked > 50, `${checked} operations`)
  t.match(document.paths['/v1/initiatives/{id}/raci']!.get!.description, /404 when the record does not exist/, 'a 404 route says so')
})

t.test('servers is relative: "Try it out" reaches the service on the port it listens on', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-contract-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const running = await startServer({ WHODECIDES_DB: join(dir, 'registry.db'), WHODECIDES_BOOTSTRAP_KEY: 'wd_contract-test-key-0123456789abcdef' })
  t.teardown(async () => { await endProcess(running, 'SIGTERM') })
  t.notMatch(running.baseUrl, /:3000$/, 'a port other than the default one')
  const document = await (await fetch(`${running.baseUrl}/docs/json`)).json() as { servers: Array<{ url: string }> }
  t.equal(document.servers.length, 1)
  const server = new URL(document.servers[0]!.url, `${running.baseUrl}/docs/json`)
  t.equal(server.origin, running.baseUrl, 'servers[0] resolves to the address the document was read from')
  const health = await fetch(new URL('health', server))
  t.equal(health.status, 200, 'a request to it is answered')
  const people = await fetch(new URL('v1/people', server), { headers: { authorization: 'Bearer wd_contract-test-key-0123456789abcdef' } })
  t.equal(people.status, 200, 'and so is an authenticated one')
})
