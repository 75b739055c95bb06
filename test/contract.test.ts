// The contract a newcomer meets: every operation says what it is for, who may call it (from the route's own allow)
// and its main errors; the document's servers work on whatever port the service listens on.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { KEY_ROLES } from '../db/schema.js'
import { ID_KINDS, ID_PATTERN } from '../src/schemas/common.js'
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

/** Fields that name a record of another kind, and that kind. */
const REFERENCES: Record<string, keyof typeof ID_KINDS> = {
  personId: 'person', fromPersonId: 'person', toPersonId: 'person', overPersonId: 'person', decidedBy: 'person', managerId: 'person',
  domainId: 'domain', parentId: 'domain',
  initiativeId: 'initiative', initiativeIds: 'initiative', initiatives: 'initiative',
  assignmentId: 'assignment', waiverId: 'waiver', supersedes: 'decision', decisionId: 'decision'
}
/** The kind of record each collection's `{id}` names. */
const COLLECTIONS: Record<string, keyof typeof ID_KINDS> = {
  people: 'person', domains: 'domain', initiatives: 'initiative', assignments: 'assignment', delegations: 'delegation',
  influences: 'influence', waivers: 'waiver', audits: 'audit', keys: 'key'
}

/** A parameter as the document gives it: its example beside its schema. */
type Parameter = { in: string, name: string, schema: Schema, example?: unknown }
const withExample = (p: Parameter): Schema => p.example === undefined ? p.schema : { ...p.schema, examples: [p.example] }

type Schema = { type?: string, pattern?: string, examples?: unknown[], properties?: Record<string, Schema>, items?: Schema, anyOf?: Schema[], oneOf?: Schema[], [k: string]: unknown }

t.test('examples fit their field: an id of a kind looks like one of that kind, in bodies, answers and paths', async (t) => {
  const { app } = await buildTestApp(t)
  await app.ready()
  const document = app.swagger() as unknown as { paths: Record<string, Record<string, { parameters?: Parameter[] }>> }
  const checked = { references: 0, paths: 0, ids: 0 }
  /** Each string schema reached under a property name (through unions and arrays), with that name. */
  function visit (schema: unknown, name: string | undefined, where: string): void {
    if (typeof schema !== 'object' || schema === null) return
    if (Array.isArray(schema)) { schema.forEach((s) => visit(s, name, where)); return }
    const s = schema as Schema
    if (s.type === 'string' && s.pattern !== undefined && s.pattern === ID_PATTERN) {
      checked.ids++
      t.ok(s.examples !== undefined && s.examples.length > 0, `${where}: an id with an example`)
      for (const example of s.examples ?? []) t.match(example, new RegExp(ID_PATTERN), `${where}: its example is an id`)
      const kind = name === undefined ? undefined : REFERENCES[name]
      if (kind !== undefined) {
        checked.references++
        t.same(s.examples, [ID_KINDS[kind].example], `${where}: a ${kind}'s id`)
      }
    }
    for (const [key, value] of Object.entries(s)) {
      if (key === 'properties') for (const [prop, sub] of Object.entries(value as Record<string, Schema>)) visit(sub, prop, `${where}.${prop}`)
      else if (key === 'parameters' && Array.isArray(value)) for (const p of value as Parameter[]) visit(withExample(p), p.name, `${where} ${p.in} ${p.name}`)
      else if (key === 'items' || key === 'anyOf' || key === 'oneOf' || key === 'allOf') visit(value, name, where)
      else if (key !== 'examples' && key !== 'example') visit(value, undefined, `${where}/${key}`)
    }
  }
  visit(document, undefined, '#')
  for (const [path, item] of Object.entries(document.paths)) {
    const collection = /^\/v1\/([a-z]+)\/\{id\}/.exec(path)?.[1]
    for (const [method, op] of Object.entries(item)) {
      for (const parameter of op.parameters ?? []) {
        if (parameter.in !== 'path') continue
        t.ok(withExample(parameter).examples?.length === 1, `${method} ${path}: {${parameter.name}} has an example`)
        const kind = parameter.name === 'id' ? COLLECTIONS[collection ?? ''] : REFERENCES[parameter.name]
        if (kind === undefined) continue
        checked.paths++
        t.same(withExample(parameter).examples, [ID_KINDS[kind].example], `${method} ${path}: {${parameter.name}} is a ${kind}'s id`)
      }
    }
  }
  t.ok(checked.references > 200 && checked.paths > 30 && checked.ids > 300, `checked ${JSON.stringify(checked)}`)
  t.not(ID_KINDS.person.example, ID_KINDS.initiative.example, 'a person\'s id and an initiative\'s look different')
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
