// The role matrix: every route of the app's own route table × no key and every role, and the policy behind it.
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify'
import t, { type Test } from 'tap'
import auth, { type RouteAccessEntry } from '../src/plugins/auth.js'
import db from '../src/plugins/db.js'
import type { Role } from '../src/schemas/common.js'
import { BUNDLE_COLLECTIONS, type BundleCollection } from '../src/store/bundle.js'
import { IMPORT_WRITES, OPERATIONS, type Operation } from '../src/services/import-permissions.js'
import { assertProblem, buildTestApp, type TestApp } from './helper.js'

const ROLES = ['reader', 'editor', 'auditor', 'admin'] as const satisfies readonly Role[]

/** The policy the issue states, written out independently of the routes' own config. */
function expectedAllow ({ method, url }: RouteAccessEntry): Role[] {
  if (url.startsWith('/v1/keys')) return ['admin']
  if (url.startsWith('/v1/changes')) return ['auditor', 'admin']
  // Readers may use every GET, and the batch who-decides query, though it is a POST.
  if (method === 'GET' || method === 'HEAD' || url === '/v1/deciders/resolve') return [...ROLES]
  if (['/v1/influences', '/v1/rules', '/v1/audits', '/v1/waivers'].some((prefix) => url.startsWith(prefix))) return ['auditor', 'admin']
  return ['editor', 'admin']
}

const v1Routes = (app: TestApp['app']): RouteAccessEntry[] => app.routeAccess.filter((r) => r.url.startsWith('/v1/'))

/** One request to the route as the caller: path params filled with a dummy id, an empty object for a write. */
async function request (call: TestApp['call'], route: RouteAccessEntry, as: Role | null) {
  const url = route.url.replace(/:[A-Za-z]+/g, 'dummy-id')
  const write = ['POST', 'PUT', 'PATCH'].includes(route.method)
  return await call({ as, method: route.method as 'GET', url, ...(write ? { payload: {} } : {}) })
}

t.test('every /v1 route declares exactly the roles the policy gives it', async (t) => {
  const { app } = await buildTestApp(t)
  await app.ready()
  const routes = v1Routes(app)
  const seen = new Set(routes.map((r) => `${r.method} ${r.url}`))
  for (const known of ['GET /v1/people', 'POST /v1/people', 'GET /v1/people/:id', 'PATCH /v1/people/:id', 'DELETE /v1/people/:id',
    'GET /v1/keys', 'POST /v1/keys', 'DELETE /v1/keys/:id', 'GET /v1/changes']) {
    t.ok(seen.has(known), `the route table holds ${known}`)
  }
  // The OpenAPI document is built from the same routes by another path: every operation in it must be in the table.
  const paths = (app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths
  for (const [path, operations] of Object.entries(paths).filter(([p]) => p.startsWith('/v1/'))) {
    for (const method of Object.keys(operations)) {
      t.ok(seen.has(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`), `${method} ${path} is in the route table`)
    }
  }
  for (const route of routes) {
    t.same([...route.allow ?? []].sort(), expectedAllow(route).sort(), `${route.method} ${route.url}`)
  }
})

t.test('role matrix: no key → 401, a role not allowed → 403, an allowed role gets past the door', async (t) => {
  const { app, call } = await buildTestApp(t)
  const routes = v1Routes(app)
  t.ok(routes.length >= 10, `${routes.length} routes under /v1`)
  for (const route of routes) {
    const name = `${route.method} ${route.url}`
    const head = route.method === 'HEAD'
    const anonymous = await request(call, route, null)
    t.match({ status: anonymous.statusCode, challenge: anonymous.headers['www-authenticate'], type: anonymous.headers['content-type'], body: head ? {} : anonymous.json() },
      { status: 401, challenge: /^Bearer realm="whodecides"/, type: /^application\/problem\+json/, body: head ? {} : { status: 401, code: 'WHODECIDES_ERR_UNAUTHENTICATED' } },
      `${name} without a key`)
    for (const role of ROLES) {
      const res = await request(call, route, role)
      if (route.allow?.includes(role) === true) {
        t.ok(![401, 403].includes(res.statusCode) && res.statusCode < 500, `${name} as ${role}: ${res.statusCode}`)
      } else {
        t.match({ status: res.statusCode, type: res.headers['content-type'], body: head ? {} : res.json() },
          { status: 403, type: /^application\/problem\+json/, body: head ? {} : { status: 403, code: 'WHODECIDES_ERR_FORBIDDEN', detail: new RegExp(`allowed: ${route.allow?.join(', ') ?? ''}$`) } },
          `${name} as ${role}`)
      }
    }
  }
})

t.test('only a live bearer key authenticates', async (t) => {
  const { call, tokens } = await buildTestApp(t)
  const issued = (await call({ method: 'POST', url: '/v1/keys', payload: { label: 'soon revoked', role: 'admin' } })).json()
  t.equal((await call({ method: 'DELETE', url: `/v1/keys/${issued.id as string}` })).statusCode, 204)
  const refused: [string, string | undefined, RegExp][] = [
    ['no header', undefined, /^Bearer realm="whodecides"$/],
    ['unknown token', 'Bearer wd_not-a-key-we-issued-0000000000', /error="invalid_token"/],
    ['revoked key', `Bearer ${issued.token as string}`, /error="invalid_token"/],
    ['Basic scheme', `Basic ${Buffer.from('admin:admin').toString('base64')}`, /^Bearer realm="whodecides"$/],
    ['Basic with a valid token', `Basic ${tokens.admin}`, /^Bearer realm="whodecides"$/],
    ['Bearer alone', 'Bearer', /^Bearer realm="whodecides"$/],
    ['Bearer and a space', 'Bearer ', /^Bearer realm="whodecides"$/],
    ['the token without a scheme', tokens.admin, /^Bearer realm="whodecides"$/],
    ['two tokens', `Bearer ${tokens.admin} ${tokens.admin}`, /^Bearer realm="whodecides"$/],
    ['a token with extra characters', `Bearer ${tokens.admin}x`, /error="invalid_token"/],
    ['an over-long token', `Bearer wd_${'a'.repeat(600)}`, /^Bearer realm="whodecides"$/],
    ['empty header', '', /^Bearer realm="whodecides"$/]
  ]
  for (const [what, authorization, challenge] of refused) {
    const res = await call({ as: null, url: '/v1/people', headers: authorization === undefined ? {} : { authorization } })
    t.match({ status: res.statusCode, challenge: res.headers['www-authenticate'], type: res.headers['content-type'], body: res.json() },
      { status: 401, challenge, type: /^application\/problem\+json/, body: { status: 401, code: 'WHODECIDES_ERR_UNAUTHENTICATED', type: 'urn:whodecides:problem:unauthenticated' } }, what)
  }
  t.equal((await call({ as: null, url: '/v1/people', headers: { authorization: `bearer ${tokens.reader}` } })).statusCode, 200, 'the scheme is case-insensitive')
  const forbidden = await call({ as: 'reader', method: 'DELETE', url: '/v1/people/x' })
  t.equal(forbidden.statusCode, 403)
  t.notOk('www-authenticate' in forbidden.headers, 'a 403 does not ask for another key')
})

t.test('routes outside /v1 are public', async (t) => {
  const { app, call } = await buildTestApp(t)
  const outside = app.routeAccess.filter((r) => !r.url.startsWith('/v1/'))
  t.ok(outside.some((r) => r.url === '/health'))
  for (const route of outside) t.equal(route.allow, null, `${route.method} ${route.url} is public`)
  t.equal((await call({ as: null, url: '/health' })).statusCode, 200)
  t.equal((await call({ as: null, url: '/openapi.json' })).statusCode, 200)
  t.ok([200, 302].includes((await call({ as: null, url: '/docs' })).statusCode), '/docs')
  t.equal((await call({ as: null, url: '/health', headers: { authorization: 'Bearer wd_nonsense' } })).statusCode, 200, 'a bad key does not matter there')
})

/** A bare app with the auth plugin and the given routes, started as the service starts. */
async function start (t: Test, routes: FastifyPluginAsync, prefix?: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false })
  t.teardown(async () => { await app.close().catch(() => undefined) })
  await app.register(db, { dbPath: ':memory:' })
  await app.register(auth)
  await app.register(routes, prefix === undefined ? {} : { prefix })
  await app.ready()
  return app
}

t.test('the service refuses to start with a /v1 route that declares no roles', async (t) => {
  await t.rejects(start(t, async (app) => { app.get('/v1/forgotten', async () => ({ secret: true })) }),
    { name: 'RouteWithoutAccessError', message: /^GET \/v1\/forgotten declares no config.allow/ })
  await t.rejects(start(t, async (app) => { app.post('/forgotten', { config: {} }, async () => ({})) }, '/v1'),
    { name: 'RouteWithoutAccessError', message: /^POST \/v1\/forgotten declares no config.allow/ }, 'also under a prefix, and with an empty config')
  const app = await start(t, async (app) => {
    app.get('/health', async () => 'ok')
    app.get('/v1/fine', { config: { allow: ['admin'] } }, async () => 'ok')
  })
  t.same(app.routeAccess.map((r) => `${r.method} ${r.url} ${String(r.allow)}`),
    ['GET /health null', 'HEAD /health null', 'GET /v1/fine admin', 'HEAD /v1/fine admin'], 'a route outside /v1 may be public')
})

/** The import's policy as the issue states it, written out independently of the permission table. */
function expectedImport (role: Role, collection: BundleCollection, operation: Operation): 'door' | 'forbidden' | 'append-only' | 'allowed' {
  if (role === 'reader' || role === 'auditor') return 'door' // POST /v1/import itself is for editors and admins
  if (collection === 'decisions' && operation !== 'create') return 'append-only'
  if (collection === 'influences' && role !== 'admin') return 'forbidden'
  return 'allowed'
}

t.test('the import\'s permission table is the single-record write routes\' own', async (t) => {
  const { app } = await buildTestApp(t)
  await app.ready()
  const routes = v1Routes(app)
  const byName = new Map(routes.map((r) => [`${r.method} ${r.url}`, r]))
  const listed = new Set<string>()
  for (const collection of BUNDLE_COLLECTIONS) {
    for (const operation of OPERATIONS) {
      const write = IMPORT_WRITES[collection][operation]
      if (write === null) continue
      const route = byName.get(`${write.method} ${write.url}`)
      t.ok(route, `${collection} ${operation}: ${write.method} ${write.url} is a route`)
      t.same([...write.allow].sort(), [...route?.allow ?? []].sort(), `${collection} ${operation}: the same roles as ${write.method} ${write.url}`)
      listed.add(`${write.method} ${write.url}`)
    }
  }
  // Every write route on a record of a bundle collection is in the table: a new one cannot be left out of the import's checks.
  const writes = routes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) &&
    BUNDLE_COLLECTIONS.some((c) => new RegExp(`^/v1/(${c}|[a-z]+/:id/${c})(/:[A-Za-z]+)?$`).test(r.url)))
  t.ok(writes.length >= 19, `${writes.length} single-record write routes`)
  for (const route of writes) t.ok(listed.has(`${route.method} ${route.url}`), `${route.method} ${route.url} is in the import's table`)
  // Where the table says no route changes or deletes a collection, there is none.
  for (const collection of BUNDLE_COLLECTIONS) {
    for (const operation of ['change', 'delete'] as const) {
      if (IMPORT_WRITES[collection][operation] !== null) continue
      const method = operation === 'change' ? /^(PUT|PATCH)$/ : /^DELETE$/
      t.same(routes.filter((r) => method.test(r.method) && r.url.includes(`/${collection}`)).map((r) => r.url), [], `no route to ${operation} ${collection}`)
    }
  }
})

/** One record of each collection that nothing refers to, so a replace may leave it out, and one new row to create. */
const SEED = {
  people: [{ id: 'p1', name: 'P1', email: 'p1@example.com' }, { id: 'p2', name: 'P2', email: 'p2@example.com' }, { id: 'leaf', name: 'Leaf', email: 'leaf@example.com' }],
  domains: [{ id: 'd1', name: 'D1' }, { id: 'leaf', name: 'Leaf' }],
  initiatives: [{ id: 'i1', title: 'I1', domainId: 'd1' }, { id: 'leaf', title: 'Leaf' }],
  assignments: [{ id: 'leaf', personId: 'p1', role: 'A', domainId: 'd1', validFrom: '2026-01-01T00:00:00Z' }],
  delegations: [{ id: 'leaf', fromPersonId: 'p1', toPersonId: 'p2', allScopes: true, validFrom: '2026-01-01T00:00:00Z' }],
  influences: [{ id: 'leaf', personId: 'p2', initiativeId: 'i1', strength: 'high', observedAt: '2026-01-01T00:00:00Z' }],
  decisions: [{ id: 'leaf', initiativeId: 'i1', decidedBy: 'p1', decidedAt: '2026-02-01T00:00:00Z', outcome: 'Go' }]
}
const NEW_ROW: Record<BundleCollection, Record<string, unknown>> = {
  people: { id: 'new', name: 'New', email: 'new@example.com' },
  domains: { id: 'new', name: 'New' },
  initiatives: { id: 'new', title: 'New' },
  assignments: { id: 'new', personId: 'p2', role: 'C', initiativeId: 'i1', validFrom: '2026-01-01T00:00:00Z' },
  delegations: { id: 'new', fromPersonId: 'p2', toPersonId: 'p1', domainId: 'd1', validFrom: '2026-01-01T00:00:00Z' },
  influences: { id: 'new', personId: 'p1', overPersonId: 'p2', strength: 'low', observedAt: '2026-01-01T00:00:00Z' },
  decisions: { id: 'new', initiativeId: 'i1', decidedBy: 'p2', decidedAt: '2026-03-01T00:00:00Z', outcome: 'Stop' }
}
const CHANGE: Record<BundleCollection, Record<string, unknown>> = {
  people: { title: 'Changed' },
  domains: { description: 'Changed' },
  initiatives: { destination: 'Changed' },
  assignments: { validTo: '2026-06-01T00:00:00.000Z' },
  delegations: { reason: 'Changed' },
  influences: { note: 'Changed' },
  decisions: { outcome: 'Changed' }
}

t.test('import matrix: each role × collection × operation gets exactly what the single-record routes give it', async (t) => {
  const { call } = await buildTestApp(t)
  t.equal((await call({ method: 'POST', url: '/v1/import', payload: SEED })).statusCode, 200)
  const exported = async (): Promise<Record<BundleCollection, { id: string }[]>> => (await call({ method: 'GET', url: '/v1/export' })).json()
  const baseline = await exported()

  /** The import that does one operation on one record of the collection, and nothing else. */
  const importOf = (collection: BundleCollection, operation: Operation): { mode: string, payload: Record<string, unknown> } => {
    const leaf = baseline[collection].find((r) => r.id === 'leaf')!
    if (operation === 'create') return { mode: 'upsert', payload: { [collection]: [NEW_ROW[collection]] } }
    if (operation === 'change') return { mode: 'upsert', payload: { [collection]: [{ ...leaf, ...CHANGE[collection] }] } }
    return { mode: 'replace', payload: { ...baseline, [collection]: baseline[collection].filter((r) => r !== leaf) } }
  }
  const counted: Record<Operation, string> = { create: 'created', change: 'updated', delete: 'removed' }

  for (const role of ROLES) {
    for (const collection of BUNDLE_COLLECTIONS) {
      for (const operation of OPERATIONS) {
        const name = `${role} ${operation} ${collection}`
        const expected = expectedImport(role, collection, operation)
        const { mode, payload } = importOf(collection, operation)
        // A refusal is checked written for real and as a dry run; an allowed import as a dry run, so the registry stays the baseline.
        for (const dryRun of expected === 'allowed' ? [true] : [false, true]) {
          const res = await call({ as: role, method: 'POST', url: `/v1/import?mode=${mode}&dryRun=${String(dryRun)}`, payload })
          const what = `${name}${dryRun ? ' (dry run)' : ''}`
          if (expected === 'door') {
            t.match(assertProblem(t, res, 403, 'WHODECIDES_ERR_FORBIDDEN').detail, /allowed: editor, admin$/, what)
          } else if (expected === 'forbidden') {
            const problem = assertProblem(t, res, 403, 'WHODECIDES_ERR_FORBIDDEN')
            t.match(problem.errors, [{ in: 'body', path: `/${collection}`, message: new RegExp(`^may not ${operation} 1 `) }], what)
            t.equal(problem.errors.length, 1, `${what}: only that collection is named`)
          } else if (expected === 'append-only' && operation === 'change') {
            const problem = assertProblem(t, res, 422, 'WHODECIDES_ERR_INVALID_BUNDLE')
            t.match(problem.report.invalid, [{ collection, index: 0, field: '/outcome', reason: /"leaf" is already on record, and decisions are never changed/ }], what)
          } else if (expected === 'append-only') {
            const problem = assertProblem(t, res, 409, 'WHODECIDES_ERR_CONFLICT')
            t.same(problem.blockedBy, [{ entity: collection, id: 'leaf' }], what)
          } else {
            t.equal(res.statusCode, 200, `${what}: ${res.body.slice(0, 300)}`)
            // A change that gives a record its end (an assignment's validTo) is reported as ending it.
            const key = operation === 'change' && 'validTo' in CHANGE[collection] ? 'ended' : counted[operation]
            t.match(res.json().collections[collection], { [key]: 1 }, what)
          }
          t.equal(res.headers['x-revision'], undefined, `${what}: nothing written`)
        }
      }
    }
  }
  t.same(await exported(), baseline, 'no refused import wrote anything')

  // And an allowed import really writes: an admin's influence, an editor's everything else.
  const influence = await call({ as: 'admin', method: 'POST', url: '/v1/import', payload: importOf('influences', 'create').payload })
  t.equal(influence.statusCode, 200, influence.body)
  for (const collection of BUNDLE_COLLECTIONS.filter((c) => c !== 'influences')) {
    const res = await call({ as: 'editor', method: 'POST', url: '/v1/import', payload: importOf(collection, 'change').payload })
    t.equal(res.statusCode, collection === 'decisions' ? 422 : 200, `editor changes ${collection}`)
  }
  t.match(await exported(), { influences: [{ id: 'leaf' }, { id: 'new' }], people: [{ id: 'leaf', title: 'Changed' }, { id: 'p1' }, { id: 'p2' }] })
})
