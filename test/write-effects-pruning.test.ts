// Write effects run only the rules a write can change, and read each slice once: over random writes on a random
// registry, the answer is exactly the one judging every rule over slices read afresh gives (the same database state,
// the full judgement rolled back before the pruned one runs), and slices read with shared rows equal those read alone.
import t from 'tap'
import { loadFocusedData } from '../src/registry/focus.js'
import { createAssignment, endAssignment } from '../src/services/assignments.js'
import { createDelegation, deleteDelegation } from '../src/services/delegations.js'
import { updateDomain } from '../src/services/domains.js'
import { createInfluence, deleteInfluence, updateInfluence } from '../src/services/influences.js'
import { createInitiative, updateInitiative } from '../src/services/initiatives.js'
import { updatePerson } from '../src/services/people.js'
import { rememberingRows } from '../src/services/slice-rows.js'
import { ANY_CHANGE } from '../src/services/write-changes.js'
import { judgeWrite, touchedBy, type Touches } from '../src/services/write-effects.js'
import type { Db } from '../src/store/connection.js'
import { buildTestApp } from './helper.js'

const SEED = Number(process.env.PRUNING_SEED ?? 20261208)
const WRITES = Number(process.env.PRUNING_WRITES ?? 160)
const actor = { keyId: null, label: 'pruning test' }

function randomOf (seed: number): { pick: <T>(items: readonly T[]) => T, chance: (p: number) => boolean } {
  let state = seed
  const next = (): number => (state = (state * 48271) % 2147483647) / 2147483647
  return { pick: (items) => items[Math.floor(next() * items.length)]!, chance: (p) => next() < p }
}

const PEOPLE = Array.from({ length: 8 }, (_, i) => `p${i}`)
const DOMAINS = ['d0', 'd1', 'd2', 'd3']
const INITIATIVES = Array.from({ length: 7 }, (_, i) => `i${i}`)

/** The same write judged with every rule over slices read afresh: what the answer was before rules were pruned. */
const everyRule = <T>(touches: Touches<T>): Touches<T> => Object.assign((db: Db, written?: T) => touches(db, written), { changes: ANY_CHANGE })

const ROLLBACK = new Error('rolled back')
function rolledBack<T> (db: Db, fn: () => T): T {
  let result: T | undefined
  try {
    db.$client.transaction(() => { result = fn(); throw ROLLBACK })()
  } catch (error) {
    if (error !== ROLLBACK) throw error
  }
  return result!
}

t.test('pruned effects equal the effects of every rule, over random writes', async (t) => {
  const { app, call } = await buildTestApp(t)
  const db = app.runtime.db
  const { pick, chance } = randomOf(SEED)
  const post = async (collection: string, payload: object): Promise<void> => {
    const res = await call({ method: 'POST', url: `/v1/${collection}`, payload })
    if (res.statusCode !== 201) throw new Error(`seed ${collection}: ${res.body}`)
  }
  for (const [i, id] of PEOPLE.entries()) {
    await post('people', {
      id, name: `Person ${id}`, email: `${id}@example.com`, managerId: i === 0 ? null : `p${Math.floor((i - 1) / 2)}`,
      tags: i % 3 === 1 ? ['shareholder'] : i === 0 ? ['executive'] : [], status: i === 6 ? 'retired' : 'active'
    })
  }
  for (const [i, id] of DOMAINS.entries()) await post('domains', { id, name: `Domain ${id}`, parentId: i === 0 ? null : `d${Math.floor((i - 1) / 2)}` })
  for (const id of INITIATIVES) {
    await post('initiatives', { id, title: `Initiative ${id}`, domainId: pick(DOMAINS), status: pick(['active', 'proposed', 'on_hold', 'done']), decisionRule: pick(['single', 'single', 'pool', 'unanimous']) })
  }

  let seq = 0
  const made = { assignments: [] as string[], delegations: [] as string[], influences: [] as string[] }
  const target = (): { initiativeId: string } | { domainId: string } => chance(0.7) ? { initiativeId: pick(INITIATIVES) } : { domainId: pick(DOMAINS) }
  /** One random write: what it touches (as its route says) and the write itself. */
  const randomWrite = (): { name: string, touches: Touches<any>, write: () => unknown, after?: () => void } => {
    const kind = pick(['assignment', 'assignment', 'end', 'person', 'person', 'initiative', 'initiative', 'domain', 'delegation', 'undelegate', 'influence', 'influence-change', 'uninfluence', 'create'])
    const id = `w${++seq}`
    switch (kind) {
      case 'assignment': {
        const body = { id, personId: pick(PEOPLE), role: pick(['A', 'A', 'R', 'C'] as const), ...target() }
        return { name: `assign ${JSON.stringify(body)}`, touches: touchedBy.assignment(undefined, body), write: () => createAssignment(db, actor, body), after: () => made.assignments.push(id) }
      }
      case 'end': {
        const ended = made.assignments.shift()
        if (ended === undefined) return randomWrite()
        return { name: `end ${ended}`, touches: touchedBy.assignment(ended, undefined), write: () => endAssignment(db, actor, ended) }
      }
      case 'person': {
        const person = pick(PEOPLE)
        const patch = pick<object>([{ status: pick(['active', 'on_leave', 'retired', 'departed']) }, { status: 'on_leave' }, { status: 'active' }, { name: `Renamed ${id}` }, { title: 'CFO' }, { tags: pick([['shareholder'], [], ['board']]) }])
        return { name: `person ${person} ${JSON.stringify(patch)}`, touches: touchedBy.person(person, patch), write: () => updatePerson(db, actor, person, patch) }
      }
      case 'initiative': {
        const initiative = pick(INITIATIVES)
        const patch = pick<object>([{ title: `Title ${id}` }, { status: pick(['active', 'on_hold', 'done', 'proposed']) }, { domainId: pick(DOMAINS) },
          { decisionDueAt: pick(['2020-06-01T00:00:00.000Z', '2099-06-01T00:00:00.000Z']) }, { decisionRule: pick(['single', 'pool', 'unanimous']) }, { description: 'Why' }])
        return { name: `initiative ${initiative} ${JSON.stringify(patch)}`, touches: touchedBy.initiative(initiative, patch), write: () => updateInitiative(db, actor, initiative, patch) }
      }
      case 'create': {
        const body = { id, title: `New ${id}`, domainId: pick(DOMAINS), status: 'active' as const }
        return { name: `create initiative ${id}`, touches: touchedBy.initiative(id), write: () => createInitiative(db, actor, body) }
      }
      case 'domain': {
        const domain = pick(['d1', 'd2', 'd3'])
        const patch = pick<object>([{ parentId: pick([null, 'd0']) }, { name: `Renamed ${id}` }])
        return { name: `domain ${domain} ${JSON.stringify(patch)}`, touches: touchedBy.domain(domain, patch), write: () => updateDomain(db, actor, domain, patch) }
      }
      case 'delegation': {
        const [from, to] = [pick(PEOPLE), pick(PEOPLE)]
        const body = { id, fromPersonId: from, toPersonId: to, kind: pick(['deputy', 'transfer'] as const), ...chance(0.2) ? { allScopes: true } : target() }
        return { name: `delegate ${JSON.stringify(body)}`, touches: touchedBy.delegation(undefined, body), write: () => createDelegation(db, actor, body), after: () => made.delegations.push(id) }
      }
      case 'undelegate': {
        const gone = made.delegations.shift()
        if (gone === undefined) return randomWrite()
        return { name: `undelegate ${gone}`, touches: touchedBy.delegation(gone, undefined), write: () => deleteDelegation(db, actor, gone) }
      }
      case 'influence': {
        const body = { id, personId: pick(PEOPLE), strength: pick(['low', 'high', 'high'] as const), ...chance(0.4) ? { overPersonId: pick(PEOPLE) } : target() }
        return { name: `influence ${JSON.stringify(body)}`, touches: touchedBy.influence(undefined, body), write: () => createInfluence(db, actor, body), after: () => made.influences.push(id) }
      }
      case 'influence-change': {
        const changed = made.influences[0]
        if (changed === undefined) return randomWrite()
        const patch = pick<object>([{ strength: pick(['low', 'high']) }, { personId: pick(PEOPLE) }])
        return { name: `influence ${changed} ${JSON.stringify(patch)}`, touches: touchedBy.influence(changed, patch), write: () => updateInfluence(db, actor, changed, patch) }
      }
      default: {
        const gone = made.influences.shift()
        if (gone === undefined) return randomWrite()
        return { name: `uninfluence ${gone}`, touches: touchedBy.influence(gone, undefined), write: () => deleteInfluence(db, actor, gone) }
      }
    }
  }

  let compared = 0
  let changing = 0
  let refused = 0
  for (let n = 0; n < WRITES; n++) {
    const { name, touches, write, after } = randomWrite()
    let full
    try {
      full = rolledBack(db, () => judgeWrite(db, everyRule(touches), write))
    } catch {
      refused++ // a write the service refuses (a conflict, a cycle): nothing to judge
      continue
    }
    const pruned = judgeWrite(db, touches, write)
    after?.()
    t.equal(pruned.failure, undefined, `${name}: judged`)
    if (JSON.stringify(pruned.effects) !== JSON.stringify(full.effects)) {
      t.strictSame(pruned.effects, full.effects, `write ${n} (${name}): pruned effects differ from every rule's (seed ${SEED})`)
      return
    }
    compared++
    if ((full.effects?.items.length ?? 0) > 0) changing++
  }
  t.ok(compared >= WRITES / 2, `${compared} writes compared (${refused} refused by the services)`)
  t.ok(changing >= compared / 10, `${changing} of them raised or cleared something: the comparison is not of empty lists only`)

  const shared = rememberingRows()
  const sorted = (data: ReturnType<typeof loadFocusedData>) => data === undefined
    ? undefined
    : { ...data, people: [...data.people].sort((a, b) => a.id < b.id ? -1 : 1), statuses: [...data.statuses].sort((a, b) => a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : a.validFrom < b.validFrom ? -1 : 1) }
  for (const id of [...INITIATIVES, 'no-such-initiative']) {
    t.strictSame(sorted(loadFocusedData(db, id, undefined, shared)), sorted(loadFocusedData(db, id)), `${id}: a slice read with shared rows is the slice read alone`)
  }
})
