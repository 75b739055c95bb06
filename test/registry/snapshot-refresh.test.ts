// A loaded registry brought up to date from the change log (the audit process's refresh) is the registry read again
// whole: after any edits through the API, records and indexes alike.
import fc from 'fast-check'
import t, { type Test } from 'tap'
import { changedSince, loadRegistry, needsFullRead, refreshRegistry, type LoadedRegistry } from '../../src/audit/job.js'
import { statement } from '../../src/store/connection.js'
import { recordChange, transact } from '../../src/store/change-log.js'
import { SYSTEM_ACTOR } from '../../src/services/keys.js'
import { bundle, importFixture, T0 } from '../audit-fixture.js'
import { buildTestApp, type TestApp } from '../helper.js'

/** The refreshed registry holds what a whole read holds now, its assignments in storage order too. */
function assertSame (t: Test, refreshed: LoadedRegistry | undefined, whole: LoadedRegistry, message: string): void {
  if (refreshed === undefined) throw new Error(`${message}: not refreshed`)
  const { assignments, ...rest } = refreshed.data
  const { assignments: wholeAssignments, ...wholeRest } = whole.data
  t.strictSame(rest, wholeRest, `${message}: the records`)
  t.strictSame(assignments, wholeAssignments, `${message}: the assignments`)
  t.ok(Object.isFrozen(assignments), `${message}: frozen`)
  t.strictSame(refreshed.snapshot.assignmentsByInitiative, whole.snapshot.assignmentsByInitiative, `${message}: by initiative`)
  t.strictSame(refreshed.snapshot.assignmentsByDomain, whole.snapshot.assignmentsByDomain, `${message}: by domain`)
  t.equal(refreshed.revision, whole.revision, `${message}: the revision`)
}

async function ok (call: TestApp['call'], method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object): Promise<any> {
  const res = await call({ method, url, payload })
  if (res.statusCode >= 300) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`)
  return res.json()
}

t.test('each kind of change, read again as the whole registry reads it', async (t) => {
  const { app, call } = await buildTestApp(t)
  await importFixture(t, call)
  const db = app.runtime.db
  let loaded = loadRegistry(db)

  t.equal(refreshRegistry(db, loaded), loaded, 'nothing changed: the same registry')
  t.strictSame(changedSince(db, loaded.revision), new Map(), 'no changed records')

  await ok(call, 'PATCH', '/v1/people/dee', { status: 'active', statusSince: '2026-02-01T00:00:00.000Z', tags: ['executive'] })
  let refreshed = refreshRegistry(db, loaded)
  assertSame(t, refreshed, loadRegistry(db), 'a person and their status timeline')
  t.equal(refreshed?.data.assignments, loaded.data.assignments, 'the assignments untouched, not read again')
  t.equal(refreshed?.snapshot.statusAt('dee', '2026-03-01T00:00:00.000Z'), 'active')
  loaded = refreshed!

  await ok(call, 'POST', '/v1/assignments', { id: 'as-new', personId: 'eve', role: 'A', initiativeId: 'i-none', validFrom: T0 })
  await ok(call, 'PATCH', '/v1/assignments/as-4-ada-a', { initiativeId: null, domainId: 'hiring' })
  await ok(call, 'DELETE', '/v1/assignments/as-6-dee-a')
  await ok(call, 'PATCH', '/v1/initiatives/i-ok', { domainId: 'hiring', decisionRule: 'pool' })
  await ok(call, 'POST', '/v1/domains', { id: 'legal', name: 'Legal', parentId: 'commercial' })
  await ok(call, 'POST', '/v1/delegations', { id: 'dl-new', fromPersonId: 'ada', toPersonId: 'bob', initiativeId: 'i-two', validFrom: T0, reason: 'Away' })
  await ok(call, 'POST', '/v1/influences', { id: 'inf-new', personId: 'gus', overPersonId: 'ada', strength: 'low', observedAt: T0 })
  await ok(call, 'POST', '/v1/initiatives/i-none/decisions', { decidedBy: 'eve', decidedAt: '2026-02-10T00:00:00.000Z', outcome: 'Hire' })
  t.strictSame([...changedSince(db, loaded.revision)!.keys()].sort(), ['assignments', 'decisions', 'delegations', 'domains', 'influences', 'initiatives'])
  refreshed = refreshRegistry(db, loaded)
  assertSame(t, refreshed, loadRegistry(db), 'one of every other kind')
  t.equal(refreshed?.snapshot.assignmentsByInitiative.get('i-unan'), loaded.snapshot.assignmentsByInitiative.get('i-unan'), 'a target no change touched keeps its lists')
  t.ok(refreshed?.snapshot.assignmentsByDomain.has('hiring'), 'a target that gained its first assignment has lists')
  t.same(loaded.snapshot.initiative('i-ok')?.domainId, 'pricing', 'the loaded registry itself is left as it was')
  loaded = refreshed!

  // No route removes an assignment's row (ending one keeps it); a row gone all the same is gone from the refreshed one.
  transact(db, () => {
    statement(db, "DELETE FROM assignments WHERE id = 'as-4-ada-a'").run()
    recordChange(db, SYSTEM_ACTOR, T0, { entity: 'assignments', entityId: 'as-4-ada-a', action: 'delete', before: {}, after: null })
  })
  refreshed = refreshRegistry(db, loaded)
  assertSame(t, refreshed, loadRegistry(db), 'a removed row')
  t.notOk(refreshed?.snapshot.assignmentsByDomain.has('hiring'), 'a target left with no assignment has no lists')
})

t.test('past the limit, the registry is to be read again whole', async (t) => {
  const { app, call } = await buildTestApp(t)
  await importFixture(t, call)
  const loaded = loadRegistry(app.runtime.db)
  for (const [i, p] of bundle.people.slice(0, 3).entries()) await ok(call, 'PATCH', `/v1/people/${p.id}`, { name: `Renamed ${i}` })
  t.equal(changedSince(app.runtime.db, loaded.revision, 3)?.get('people')?.size, 3, 'three changed records: at the limit')
  t.equal(refreshRegistry(app.runtime.db, loaded, 2), undefined, 'over it: not refreshed')
  t.equal(needsFullRead(app.runtime.db, loaded.revision, 3), false, 'at the limit: refreshed')
  t.equal(needsFullRead(app.runtime.db, loaded.revision, 2), true, 'over it: read again whole')
  t.equal(needsFullRead(app.runtime.db, loaded.revision), false, 'three are far below the default limit')
  t.equal(needsFullRead(app.runtime.db, -1), false, 'nor is the whole fixture')
})

t.test('any sequence of assignment and initiative edits', async (t) => {
  const people = bundle.people.map((p) => p.id)
  const initiatives = bundle.initiatives.map((i) => i.id)
  const domains = bundle.domains.map((d) => d.id)
  const target = fc.oneof(fc.constantFrom(...initiatives).map((id) => ({ initiativeId: id, domainId: null })),
    fc.constantFrom(...domains).map((id) => ({ initiativeId: null, domainId: id })))
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('create' as const), personId: fc.constantFrom(...people), role: fc.constantFrom('R', 'A', 'C', 'I'), target }),
    fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), target }),
    fc.record({ kind: fc.constant('recast' as const), pick: fc.nat(), personId: fc.constantFrom(...people), role: fc.constantFrom('R', 'A', 'C', 'I') }),
    fc.record({ kind: fc.constant('end' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('initiative' as const), id: fc.constantFrom(...initiatives), domainId: fc.constantFrom(null, ...domains) })
  )
  await fc.assert(fc.asyncProperty(fc.array(fc.array(edit, { maxLength: 6 }), { minLength: 1, maxLength: 3 }), async (rounds) => {
    const { app, call } = await buildTestApp(t)
    await importFixture(t, call)
    let loaded = loadRegistry(app.runtime.db)
    for (const edits of rounds) {
      for (const e of edits) {
        const ids = loaded.data.assignments.map((a) => a.id)
        const pick = 'pick' in e ? ids[e.pick % ids.length]! : ''
        // An edit the registry refuses (ending an ended assignment, say) is a client's mistake: never a 500.
        const send = async (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object): Promise<void> => {
          const res = await call({ method, url, payload })
          if (res.statusCode >= 500) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`)
        }
        if (e.kind === 'create') await send('POST', '/v1/assignments', { personId: e.personId, role: e.role, ...e.target, validFrom: T0 })
        if (e.kind === 'move') await send('PATCH', `/v1/assignments/${pick}`, e.target)
        if (e.kind === 'recast') await send('PATCH', `/v1/assignments/${pick}`, { personId: e.personId, role: e.role })
        if (e.kind === 'end') await send('DELETE', `/v1/assignments/${pick}`)
        if (e.kind === 'initiative') await send('PATCH', `/v1/initiatives/${e.id}`, { domainId: e.domainId })
      }
      const refreshed = refreshRegistry(app.runtime.db, loaded)
      const whole = loadRegistry(app.runtime.db)
      t.strictSame(refreshed?.data, whole.data)
      t.strictSame(refreshed?.snapshot.assignmentsByInitiative, whole.snapshot.assignmentsByInitiative)
      t.strictSame(refreshed?.snapshot.assignmentsByDomain, whole.snapshot.assignmentsByDomain)
      loaded = refreshed!
    }
    await app.close()
  }), { numRuns: 25, seed: 20261127 })
})
