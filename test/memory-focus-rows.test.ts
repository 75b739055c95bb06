// A slice's people side read from the decider index's memory (registry/memory-focus-rows.ts) is what the store's SQL
// reads: each of the four lookups, and whole slices of initiatives and of domains, on random registries and after random
// writes — past-ended delegations, status timelines, whole reporting lines and loops in them included.
import { deepStrictEqual } from 'node:assert'
import fc from 'fast-check'
import t from 'tap'
import { loadDomainFocus } from '../src/registry/domain-focus.js'
import { loadFocusedData } from '../src/registry/focus.js'
import { memoryFocusRows } from '../src/registry/memory-focus-rows.js'
import { SYSTEM_ACTOR } from '../src/services/keys.js'
import { recordChange, transact } from '../src/store/change-log.js'
import { statement, type Db } from '../src/store/connection.js'
import { focusRows } from '../src/store/registry-rows.js'
import { buildTestApp, type TestApp } from './helper.js'

const SEED = Number(process.env.MEMORY_ROWS_SEED ?? 20261208)
const RUNS = Number(process.env.MEMORY_ROWS_RUNS ?? 12)
const PAST = '2020-01-01T00:00:00.000Z'
const ENDED = '2021-01-01T00:00:00.000Z'
const FUTURE = '2099-01-01T00:00:00.000Z'

/** Sends a request; a refusal (a cycle, a conflict) is the registry's answer to a random edit, never a 500. */
async function send (call: TestApp['call'], method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object): Promise<boolean> {
  const res = await call({ method, url, payload })
  if (res.statusCode >= 500) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`)
  return res.statusCode < 300
}

/** Sends a request that must succeed (the registry's seed). */
async function ok (call: TestApp['call'], method: 'POST' | 'PATCH', url: string, payload: object): Promise<void> {
  const res = await call({ method, url, payload })
  if (res.statusCode >= 300) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`)
}

/** Sets a manager by hand, as a loop already in the data would be (the services refuse new loops), with its change-log entry. */
function setManager (db: Db, personId: string, managerId: string | null): void {
  transact(db, () => {
    statement(db, 'UPDATE people SET manager_id = ? WHERE id = ?').run(managerId, personId)
    recordChange(db, SYSTEM_ACTOR, new Date().toISOString(), { entity: 'people', entityId: personId, action: 'update', before: {}, after: { managerId } })
  })
}

const PEOPLE = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7']
const DOMAINS = ['d0', 'd1', 'd2', 'd3']
const INITIATIVES = ['i0', 'i1', 'i2', 'i3']
const STATUSES = ['active', 'on_leave', 'retired', 'departed'] as const
const person = fc.constantFrom(...PEOPLE)
const period = fc.constantFrom({ validFrom: PAST, validTo: ENDED }, { validFrom: PAST, validTo: null }, { validFrom: PAST, validTo: FUTURE }, { validFrom: FUTURE, validTo: null })
const scope = fc.oneof(fc.constant({ allScopes: true }), fc.constantFrom(...INITIATIVES).map((initiativeId) => ({ initiativeId })),
  fc.constantFrom(...DOMAINS).map((domainId) => ({ domainId })))
const delegation = fc.record({ from: person, to: person, kind: fc.constantFrom('deputy', 'transfer'), scope, period })
const edit = fc.oneof(
  fc.record({ kind: fc.constant('delegate' as const), delegation }),
  fc.record({ kind: fc.constant('undelegate' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('redirect' as const), pick: fc.nat(), to: person }),
  fc.record({ kind: fc.constant('end' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('status' as const), person, status: fc.constantFrom(...STATUSES), since: fc.constantFrom(PAST, ENDED, null) }),
  fc.record({ kind: fc.constant('manager' as const), person, manager: fc.option(person, { nil: null }) }),
  fc.record({ kind: fc.constant('loop' as const), person, manager: person }),
  fc.record({ kind: fc.constant('assign' as const), person, role: fc.constantFrom('A', 'R', 'C'), scope: scope.filter((s) => !('allScopes' in s)) }),
  fc.record({ kind: fc.constant('influence' as const), person, over: fc.option(person, { nil: undefined }), scope: scope.filter((s) => !('allScopes' in s)) })
)
type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never
const registry = fc.record({
  managers: fc.array(fc.option(fc.nat(), { nil: null }), { minLength: PEOPLE.length, maxLength: PEOPLE.length }),
  statuses: fc.array(fc.constantFrom(...STATUSES), { minLength: PEOPLE.length, maxLength: PEOPLE.length }),
  domainParents: fc.array(fc.option(fc.nat(), { nil: null }), { minLength: DOMAINS.length, maxLength: DOMAINS.length }),
  initiativeDomains: fc.array(fc.option(fc.constantFrom(...DOMAINS), { nil: null }), { minLength: INITIATIVES.length, maxLength: INITIATIVES.length }),
  edits: fc.array(edit, { minLength: 4, maxLength: 24 }),
  later: fc.array(fc.array(edit, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 3 })
})
/** The arguments of one round of lookups: who is asked about, and which initiative and domains a delegation must cover. */
const question = fc.record({
  people: fc.array(fc.constantFrom(...PEOPLE, 'nobody'), { maxLength: 6 }),
  initiativeId: fc.constantFrom(...INITIATIVES, '', 'no-such-initiative'),
  domainIds: fc.subarray([...DOMAINS, 'no-such-domain'])
})

/** What the runs exercised, so that a run of empty lists cannot pass for agreement. */
const seen = { comparisons: 0, endedDelegations: 0, delegatesFound: 0, lines: 0, loops: 0, statusRows: 0, slicesWithPeople: 0 }

t.test('memory lookups and slices equal SQL on random registries, after random writes too', async (t) => {
  await fc.assert(fc.asyncProperty(registry, fc.array(question, { minLength: 6, maxLength: 6 }), async (r, questions) => {
    const { app, call } = await buildTestApp(t)
    const db = app.runtime.db
    try {
      for (const [i, id] of PEOPLE.entries()) {
        const manager = r.managers[i]
        await ok(call, 'POST', '/v1/people', {
          id, name: `Person ${id}`, email: `${id}@example.com`, managerId: manager === null || i === 0 ? null : PEOPLE[manager! % i], tags: i % 3 === 0 ? ['founder', 'board'] : [],
          stakePercent: i % 4 === 1 ? 12.5 : null, status: r.statuses[i], statusSince: i % 2 === 0 ? PAST : null
        })
      }
      for (const [i, id] of DOMAINS.entries()) {
        const parent = r.domainParents[i]
        await ok(call, 'POST', '/v1/domains', { id, name: `Domain ${id}`, parentId: parent === null || i === 0 ? null : DOMAINS[parent! % i] })
      }
      for (const [i, id] of INITIATIVES.entries()) await ok(call, 'POST', '/v1/initiatives', { id, title: `Initiative ${id}`, domainId: r.initiativeDomains[i] })

      const delegations: string[] = []
      const assignments: string[] = []
      let seq = 0
      const apply = async (e: Edit): Promise<void> => {
        const id = `x${++seq}`
        switch (e.kind) {
          case 'delegate': {
            const { from, to, kind, scope, period } = e.delegation
            if (await send(call, 'POST', '/v1/delegations', { id, fromPersonId: from, toPersonId: to, kind, ...scope, ...period })) delegations.push(id)
            return
          }
          case 'undelegate': {
            if (delegations.length === 0) return
            await send(call, 'DELETE', `/v1/delegations/${delegations.splice(e.pick % delegations.length, 1)[0]!}`)
            return
          }
          case 'redirect':
            if (delegations.length > 0) await send(call, 'PATCH', `/v1/delegations/${delegations[e.pick % delegations.length]!}`, { toPersonId: e.to })
            return
          case 'end':
            if (assignments.length > 0) await send(call, 'DELETE', `/v1/assignments/${assignments[e.pick % assignments.length]!}`)
            return
          case 'status':
            await send(call, 'PATCH', `/v1/people/${e.person}`, { status: e.status, ...e.since === null ? {} : { statusSince: e.since } })
            return
          case 'manager':
            await send(call, 'PATCH', `/v1/people/${e.person}`, { managerId: e.manager })
            return
          case 'loop':
            setManager(db, e.person, e.manager)
            return
          case 'assign':
            if (await send(call, 'POST', '/v1/assignments', { id, personId: e.person, role: e.role, ...e.scope, validFrom: PAST })) assignments.push(id)
            return
          case 'influence':
            await send(call, 'POST', '/v1/influences', { id, personId: e.person, strength: 'high', ...e.over !== undefined && e.over !== e.person ? { overPersonId: e.over } : e.scope })
        }
      }

      const compare = (round: string): void => {
        const index = app.runtime.deciders.current()
        if (index === undefined) throw new Error('the decider index is not current outside a transaction')
        const memory = memoryFocusRows(index)
        if (PEOPLE.some((start) => {
          const line = new Set<string>()
          for (let p = index.person(start); p !== undefined; p = p.managerId === null ? undefined : index.person(p.managerId)) {
            if (line.has(p.id)) return true
            line.add(p.id)
          }
          return false
        })) seen.loops++
        for (const q of questions) {
          const same = <T>(what: string, fromMemory: T, fromSql: T): T => {
            deepStrictEqual(fromMemory, fromSql, `${round}: ${what} of ${JSON.stringify(q)}`)
            seen.comparisons++
            return fromSql
          }
          const delegates = same('delegatesOf', memory.delegatesOf(db, q.people), focusRows.delegatesOf(db, q.people))
          seen.delegatesFound += delegates.length
          const covering = same('delegationsCovering', memory.delegationsCovering(db, q.people, q.initiativeId, q.domainIds),
            focusRows.delegationsCovering(db, q.people, q.initiativeId, q.domainIds))
          seen.endedDelegations += covering.filter((d) => d.validTo !== null && d.validTo <= ENDED).length
          const people = same('peopleWithLines', memory.peopleWithLines(db, q.people), focusRows.peopleWithLines(db, q.people))
          seen.lines += people.length > new Set(q.people).size ? 1 : 0
          seen.statusRows += same('statusesOf', memory.statusesOf(db, q.people), focusRows.statusesOf(db, q.people)).length
        }
        const at = new Date().toISOString()
        for (const shape of [undefined, index.asOf(at), index.asOf(PAST)]) {
          for (const id of [...INITIATIVES, 'no-such-initiative']) {
            const slice = loadFocusedData(db, id, shape)
            deepStrictEqual(loadFocusedData(db, id, shape, memory), slice, `${round}: the slice of ${id}`)
            seen.comparisons++
            if ((slice?.people.length ?? 0) > 0) seen.slicesWithPeople++
          }
          for (const id of [...DOMAINS, 'no-such-domain']) {
            deepStrictEqual(loadDomainFocus(db, id, shape, memory), loadDomainFocus(db, id, shape), `${round}: the slice of domain ${id}`)
            seen.comparisons++
          }
        }
      }

      for (const e of r.edits) await apply(e)
      compare('as built')
      for (const [n, edits] of r.later.entries()) {
        for (const e of edits) await apply(e)
        compare(`after writes ${n + 1}`)
      }
    } finally {
      await app.close()
    }
    // Each run builds a registry through the API: shrinking a failure would take minutes, the first one found is shown as it is.
  }), { numRuns: RUNS, seed: SEED, endOnFailure: true })

  t.ok(seen.comparisons > RUNS * 100, `${seen.comparisons} comparisons made`)
  t.ok(seen.delegatesFound > 0, `delegates found (${seen.delegatesFound})`)
  t.ok(seen.endedDelegations > 0, `past-ended delegations compared (${seen.endedDelegations})`)
  t.ok(seen.lines > 0, `reporting lines above the people asked about (${seen.lines})`)
  t.ok(seen.loops > 0, `rounds with a loop in a reporting line (${seen.loops})`)
  t.ok(seen.statusRows > 0, `status rows compared (${seen.statusRows})`)
  t.ok(seen.slicesWithPeople > 0, `slices with people compared (${seen.slicesWithPeople})`)
})

t.test('each lookup, by example: ended delegations, both ends, whole lines, loops, timelines', async (t) => {
  const { app, call } = await buildTestApp(t)
  const db = app.runtime.db
  for (const [id, managerId] of [['ceo', null], ['vp', 'ceo'], ['lead', 'vp'], ['dev', 'lead'], ['ext', null]] as const) {
    await ok(call, 'POST', '/v1/people', { id, name: `Person ${id}`, email: `${id}@example.com`, managerId, status: 'active', statusSince: PAST, tags: id === 'ext' ? ['external'] : [] })
  }
  await ok(call, 'PATCH', '/v1/people/vp', { status: 'on_leave', statusSince: ENDED })
  await ok(call, 'POST', '/v1/domains', { id: 'sales', name: 'Sales' })
  await ok(call, 'POST', '/v1/initiatives', { id: 'crm', title: 'Roll out a CRM', domainId: 'sales' })
  t.ok(await send(call, 'POST', '/v1/delegations', { id: 'old', fromPersonId: 'lead', toPersonId: 'ext', initiativeId: 'crm', validFrom: PAST, validTo: ENDED }))
  t.ok(await send(call, 'POST', '/v1/delegations', { id: 'all', fromPersonId: 'dev', toPersonId: 'lead', allScopes: true, kind: 'transfer', validFrom: PAST }))
  t.ok(await send(call, 'POST', '/v1/delegations', { id: 'other', fromPersonId: 'ceo', toPersonId: 'dev', domainId: 'sales', validFrom: FUTURE }))
  const memory = (): ReturnType<typeof memoryFocusRows> => memoryFocusRows(app.runtime.deciders.current()!)

  t.strictSame(memory().delegatesOf(db, ['lead', 'dev', 'lead']), ['ext', 'lead'], 'delegates of any period, each once, in id order')
  t.strictSame(memory().delegationsCovering(db, ['ext'], 'crm', []).map((d) => d.id), ['old'], 'a past-ended delegation, found from its delegate')
  t.strictSame(memory().delegationsCovering(db, ['lead'], '', ['sales']).map((d) => d.id), ['all'], 'to the person, on everything; not one on another initiative')
  t.strictSame(memory().delegationsCovering(db, ['lead', 'ceo'], 'crm', ['sales']).map((d) => d.id), ['all', 'old', 'other'], 'from and to, in id order')
  const all = memory().delegationsCovering(db, ['dev'], '', [])[0]
  t.strictSame(all, { id: 'all', fromPersonId: 'dev', toPersonId: 'lead', initiativeId: null, domainId: null, allScopes: true, kind: 'transfer', validFrom: PAST, validTo: null },
    'a delegation as the store decodes it: allScopes a boolean, nulls kept')
  t.strictSame(memory().peopleWithLines(db, ['dev', 'nobody']).map((p) => p.id), ['ceo', 'dev', 'lead', 'vp'], 'the whole line up, unknown ids left out')
  t.strictSame(memory().peopleWithLines(db, ['ext'])[0], { id: 'ext', name: 'Person ext', status: 'active', tags: ['external'], stakePercent: null, managerId: null },
    'a person as the store decodes it: tags a list')
  t.strictSame(memory().statusesOf(db, ['vp', 'ceo', 'vp']), [
    { personId: 'ceo', status: 'active', validFrom: PAST },
    { personId: 'vp', status: 'active', validFrom: PAST },
    { personId: 'vp', status: 'on_leave', validFrom: ENDED }
  ], 'timelines by person, oldest first, each person once')

  setManager(db, 'ceo', 'lead')
  t.strictSame(memory().peopleWithLines(db, ['dev']).map((p) => p.id), ['ceo', 'dev', 'lead', 'vp'], 'a loop in the line: each person once, the walk ends')
  t.strictSame(memory().peopleWithLines(db, ['dev']), focusRows.peopleWithLines(db, ['dev']), 'as SQL reads the loop')
  await send(call, 'DELETE', '/v1/delegations/old')
  await send(call, 'PATCH', '/v1/delegations/all', { toPersonId: 'ext' })
  t.strictSame(memory().delegationsCovering(db, ['ext', 'lead'], 'crm', []).map((d) => `${d.id}>${d.toPersonId}`), ['all>ext'], 'after writes: the index refreshed at both ends')
  t.strictSame(memory().delegationsCovering(db, ['ext', 'lead'], 'crm', []), focusRows.delegationsCovering(db, ['ext', 'lead'], 'crm', []), 'as SQL reads it')
})
