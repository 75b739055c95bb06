// The decider resolver without HTTP: every branch, on the in-memory snapshot, the SQL source over a real database, and
// the index kept in step with that database.
import t, { type Test } from 'tap'
import { openDatabase, type Db } from '../../src/store/connection.js'
import { DeciderIndex } from '../../src/registry/decider-index.js'
import { MAX_DELEGATION_STEPS, resolveDecider, UnknownTargetError } from '../../src/registry/resolver.js'
import { createSnapshot } from '../../src/registry/snapshot.js'
import { SqlSource } from '../../src/store/sql-source.js'
import type { DeciderAnswer, RegistryData, RegistrySource, Target } from '../../src/registry/types.js'
import { AT, EPOCH, RegistryBuilder, writeRegistry } from './registry-data.js'

const BEFORE = '2026-02-01T00:00:00.000Z'
const AFTER = '2026-04-01T00:00:00.000Z'

/** people ada…hal, domains root ← mid ← leaf and other; initiatives under leaf with each rule, one without a domain. */
const world = (): RegistryBuilder => new RegistryBuilder()
  .people('ada', 'bob', 'cyd', 'dee', 'eve', 'fay', 'gus', 'hal')
  .domain('root').domain('mid', 'root').domain('leaf', 'mid').domain('other')
  .initiative('ini', 'leaf').initiative('pool', 'leaf', 'pool').initiative('una', 'leaf', 'unanimous')
  .initiative('solo', null).initiative('elsewhere', 'other')

/** The three implementations over the same data; SQL and the index over a fresh migrated in-memory database. */
function sources (t: Test, data: RegistryData): [string, () => RegistrySource][] {
  const db: Db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  writeRegistry(db, data)
  const snapshot = createSnapshot(data)
  const index = new DeciderIndex(db)
  index.refresh()
  return [['snapshot', () => snapshot], ['sql', () => new SqlSource(db)], ['index', () => index]]
}

/** The answer reduced to what a case states: each decider as [personId, ...via ids], each absent as [personId, status]. */
const summary = (a: DeciderAnswer) => ({
  resolution: a.resolution,
  deciders: a.deciders.map((d) => [d.personId, ...d.via.map((v) => v.id)]),
  absent: a.absent.map((x) => [x.personId, x.status])
})

interface Case {
  name: string
  build: (b: RegistryBuilder) => RegistryBuilder
  target?: Target | string
  at?: string
  resolution: DeciderAnswer['resolution']
  deciders?: string[][]
  absent?: string[][]
}

const ini = (id: string): Target => ({ kind: 'initiative', id })
const dom = (id: string): Target => ({ kind: 'domain', id })

/** A chain of delegations p0 → p1 → … → pn, each for the initiative, every delegate but the last on leave. */
function chain (b: RegistryBuilder, people: string[]): RegistryBuilder {
  for (const id of people.slice(0, -1)) b.status(id, 'on_leave')
  people.slice(0, -1).forEach((from, i) => b.delegate(`g${i + 1}`, from, people[i + 1]!, 'ini'))
  return b
}

const cases: Case[] = [
  // Formal deciders, level by level.
  { name: 'an A on the initiative itself', build: (b) => b.assign('a1', 'ada', 'ini'), resolution: 'clear', deciders: [['ada', 'a1']] },
  { name: 'the initiative\'s own A wins over its domain\'s', build: (b) => b.assign('a1', 'ada', 'd:leaf').assign('a2', 'bob', 'ini'), resolution: 'clear', deciders: [['bob', 'a2']] },
  { name: 'an A on its domain', build: (b) => b.assign('a1', 'ada', 'd:leaf'), resolution: 'clear', deciders: [['ada', 'a1']] },
  { name: 'an A two levels up', build: (b) => b.assign('a1', 'ada', 'd:root'), resolution: 'clear', deciders: [['ada', 'a1']] },
  { name: 'the nearest ancestor with an A wins', build: (b) => b.assign('a1', 'ada', 'd:root').assign('a2', 'bob', 'd:mid'), resolution: 'clear', deciders: [['bob', 'a2']] },
  { name: 'no A anywhere up the chain: none', build: (b) => b.assign('r1', 'ada', 'ini', 'R').assign('c1', 'bob', 'd:root', 'C'), resolution: 'none' },
  { name: 'an A on another domain does not count', build: (b) => b.assign('a1', 'ada', 'd:other'), resolution: 'none' },
  { name: 'an initiative without a domain has only its own', build: (b) => b.assign('a1', 'ada', 'd:root').assign('a2', 'bob', 'solo'), target: 'solo', resolution: 'clear', deciders: [['bob', 'a2']] },
  { name: 'an initiative without a domain and without an A: none', build: (b) => b.assign('a1', 'ada', 'd:root'), target: 'solo', resolution: 'none' },
  { name: 'an A not yet valid does not count', build: (b) => b.assign('a1', 'ada', 'ini', 'A', AFTER).assign('a2', 'bob', 'd:leaf'), resolution: 'clear', deciders: [['bob', 'a2']] },
  { name: 'an A that ended does not count', build: (b) => b.assign('a1', 'ada', 'ini', 'A', EPOCH, BEFORE), resolution: 'none' },
  { name: 'an A ending exactly at `at` no longer holds', build: (b) => b.assign('a1', 'ada', 'ini', 'A', EPOCH, AT).assign('a2', 'bob', 'd:root'), resolution: 'clear', deciders: [['bob', 'a2']] },
  { name: 'an A starting exactly at `at` holds', build: (b) => b.assign('a1', 'ada', 'ini', 'A', AT), resolution: 'clear', deciders: [['ada', 'a1']] },
  { name: 'at a past time, the A of that time', build: (b) => b.assign('a1', 'ada', 'ini', 'A', EPOCH, BEFORE).assign('a2', 'bob', 'ini', 'A', BEFORE), at: '2025-06-01T00:00:00.000Z', resolution: 'clear', deciders: [['ada', 'a1']] },

  // Decision rules.
  { name: 'two active A\'s under single: ambiguous', build: (b) => b.assign('a2', 'bob', 'ini').assign('a1', 'ada', 'ini'), resolution: 'ambiguous', deciders: [['ada', 'a1'], ['bob', 'a2']] },
  { name: 'two inherited A\'s under single: ambiguous', build: (b) => b.assign('a1', 'ada', 'd:mid').assign('a2', 'bob', 'd:mid'), resolution: 'ambiguous', deciders: [['ada', 'a1'], ['bob', 'a2']] },
  { name: 'two A\'s of a pool: clear', build: (b) => b.assign('a1', 'ada', 'd:leaf').assign('a2', 'bob', 'd:leaf'), target: 'pool', resolution: 'clear', deciders: [['ada', 'a1'], ['bob', 'a2']] },
  { name: 'two A\'s of a unanimous group: clear', build: (b) => b.assign('a1', 'ada', 'una').assign('a2', 'bob', 'una'), target: 'una', resolution: 'clear', deciders: [['ada', 'a1'], ['bob', 'a2']] },
  { name: 'a pool with one absent member is still clear, and names the absent one', build: (b) => b.status('bob', 'retired').assign('a1', 'ada', 'pool').assign('a2', 'bob', 'pool'), target: 'pool', resolution: 'clear', deciders: [['ada', 'a1']], absent: [['bob', 'retired']] },
  { name: 'a pool with everyone absent: absent', build: (b) => b.status('ada', 'departed').status('bob', 'retired').assign('a1', 'ada', 'pool').assign('a2', 'bob', 'pool'), target: 'pool', resolution: 'absent', absent: [['ada', 'departed'], ['bob', 'retired']] },
  { name: 'single with one active and one absent A: clear', build: (b) => b.status('bob', 'on_leave').assign('a1', 'ada', 'ini').assign('a2', 'bob', 'ini'), resolution: 'clear', deciders: [['ada', 'a1']], absent: [['bob', 'on_leave']] },

  // Absence.
  { name: 'the only A on leave, nobody to stand in: absent', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'ini'), resolution: 'absent', absent: [['ada', 'on_leave']] },
  { name: 'the only A departed: absent with that status', build: (b) => b.status('ada', 'departed').assign('a1', 'ada', 'd:root'), resolution: 'absent', absent: [['ada', 'departed']] },
  { name: 'status is taken at `at` from the timeline: active before leave', build: (b) => b.status('ada', 'active').status('ada', 'on_leave', BEFORE).assign('a1', 'ada', 'ini'), at: '2026-01-15T00:00:00.000Z', resolution: 'clear', deciders: [['ada', 'a1']] },
  { name: 'status is taken at `at` from the timeline: on leave after', build: (b) => b.status('ada', 'active').status('ada', 'on_leave', BEFORE).assign('a1', 'ada', 'ini'), resolution: 'absent', absent: [['ada', 'on_leave']] },
  { name: 'status is taken at `at` from the timeline: back from leave', build: (b) => b.status('ada', 'active').status('ada', 'on_leave', BEFORE).status('ada', 'active', AT).assign('a1', 'ada', 'ini'), resolution: 'clear', deciders: [['ada', 'a1']] },
  { name: 'before the first status entry, the earliest known status holds', build: (b) => b.status('ada', 'retired', BEFORE).assign('a1', 'ada', 'ini'), at: '2025-01-01T00:00:00.000Z', resolution: 'absent', absent: [['ada', 'retired']] },
  { name: 'the same absent person under two A\'s is named once', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'd:leaf').assign('a2', 'ada', 'd:leaf'), resolution: 'absent', absent: [['ada', 'on_leave']] },

  // Delegation scopes.
  { name: 'a delegation for the initiative', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'd:leaf').delegate('g1', 'ada', 'bob', 'ini'), resolution: 'clear', deciders: [['bob', 'a1', 'g1']] },
  { name: 'a delegation for its domain', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'd:leaf'), resolution: 'clear', deciders: [['bob', 'a1', 'g1']] },
  { name: 'a delegation for an ancestor domain', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'd:root'), resolution: 'clear', deciders: [['bob', 'a1', 'g1']] },
  { name: 'a delegation for everything', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', '*'), resolution: 'clear', deciders: [['bob', 'a1', 'g1']] },
  { name: 'a delegation for another initiative does not cover', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'd:leaf').delegate('g1', 'ada', 'bob', 'elsewhere'), resolution: 'absent', absent: [['ada', 'on_leave']] },
  { name: 'a delegation for another domain does not cover', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'd:other'), resolution: 'absent', absent: [['ada', 'on_leave']] },
  { name: 'a domain delegation does not cover an initiative without a domain', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'solo').delegate('g1', 'ada', 'bob', 'd:root'), target: 'solo', resolution: 'absent', absent: [['ada', 'on_leave']] },
  { name: 'a delegation not yet valid does not cover', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini', AFTER), resolution: 'absent', absent: [['ada', 'on_leave']] },
  { name: 'an expired delegation does not cover', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini', EPOCH, BEFORE), resolution: 'absent', absent: [['ada', 'on_leave']] },
  { name: 'a delegation ending exactly at `at` no longer covers', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini', EPOCH, AT), resolution: 'absent', absent: [['ada', 'on_leave']] },
  { name: 'a past delegation covers at its own time', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini', EPOCH, BEFORE), at: '2026-01-15T00:00:00.000Z', resolution: 'clear', deciders: [['bob', 'a1', 'g1']] },
  { name: 'an active decider\'s delegation is not used', build: (b) => b.assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini'), resolution: 'clear', deciders: [['ada', 'a1']] },

  // The most specific delegation wins.
  { name: 'initiative over domain over everything', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', '*').delegate('g2', 'ada', 'cyd', 'd:root').delegate('g3', 'ada', 'dee', 'd:leaf').delegate('g4', 'ada', 'eve', 'ini'), resolution: 'clear', deciders: [['eve', 'a1', 'g4']] },
  { name: 'the nearest domain over an ancestor', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', '*').delegate('g2', 'ada', 'cyd', 'd:root').delegate('g3', 'ada', 'dee', 'd:mid'), resolution: 'clear', deciders: [['dee', 'a1', 'g3']] },
  { name: 'an ancestor domain over everything', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', '*').delegate('g2', 'ada', 'cyd', 'd:root'), resolution: 'clear', deciders: [['cyd', 'a1', 'g2']] },
  { name: 'two equally specific delegations: the lower id', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'ini').delegate('g2', 'ada', 'bob', 'ini').delegate('g1', 'ada', 'cyd', 'ini'), resolution: 'clear', deciders: [['cyd', 'a1', 'g1']] },
  { name: 'the most specific delegation is taken even when it leads nowhere', build: (b) => b.status('ada', 'on_leave').status('bob', 'retired').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini').delegate('g2', 'ada', 'cyd', '*'), resolution: 'absent', absent: [['ada', 'on_leave']] },

  // Chains.
  { name: 'a chain of 2', build: (b) => chain(b.assign('a1', 'ada', 'ini'), ['ada', 'bob', 'cyd']), resolution: 'clear', deciders: [['cyd', 'a1', 'g1', 'g2']] },
  { name: 'a chain of 5, the longest followed', build: (b) => chain(b.assign('a1', 'ada', 'ini'), ['ada', 'bob', 'cyd', 'dee', 'eve', 'fay']), resolution: 'clear', deciders: [['fay', 'a1', 'g1', 'g2', 'g3', 'g4', 'g5']] },
  { name: 'a chain of 6 is too long: absent', build: (b) => chain(b.assign('a1', 'ada', 'ini'), ['ada', 'bob', 'cyd', 'dee', 'eve', 'fay', 'gus']), resolution: 'absent', absent: [['ada', 'on_leave']] },
  { name: 'a chain mixing scopes', build: (b) => b.status('ada', 'on_leave').status('bob', 'on_leave').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'd:root').delegate('g2', 'bob', 'cyd', '*'), resolution: 'clear', deciders: [['cyd', 'a1', 'g1', 'g2']] },
  { name: 'a cycle back to the decider: absent', build: (b) => b.status('ada', 'on_leave').status('bob', 'on_leave').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini').delegate('g2', 'bob', 'ada', 'ini'), resolution: 'absent', absent: [['ada', 'on_leave']] },
  { name: 'a cycle further down: absent', build: (b) => b.status('ada', 'on_leave').status('bob', 'on_leave').status('cyd', 'on_leave').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini').delegate('g2', 'bob', 'cyd', 'ini').delegate('g3', 'cyd', 'bob', 'ini'), resolution: 'absent', absent: [['ada', 'on_leave']] },
  { name: 'an inactive final delegate: absent', build: (b) => b.status('ada', 'on_leave').status('bob', 'departed').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini'), resolution: 'absent', absent: [['ada', 'on_leave']] },
  { name: 'a delegate whose own delegation covers something else: absent', build: (b) => b.status('ada', 'on_leave').status('bob', 'on_leave').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini').delegate('g2', 'bob', 'cyd', 'elsewhere'), resolution: 'absent', absent: [['ada', 'on_leave']] },
  { name: 'a delegate\'s status is taken at `at` too', build: (b) => b.status('ada', 'on_leave').status('bob', 'active').status('bob', 'retired', AFTER).assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini'), resolution: 'clear', deciders: [['bob', 'a1', 'g1']] },

  // Transfers: followed whatever the delegator's status; deputies only from someone not active.
  { name: 'a transfer while the delegator is active: the delegate decides', build: (b) => b.assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'd:root', EPOCH, null, 'transfer'), resolution: 'clear', deciders: [['bob', 'a1', 'g1']] },
  { name: 'a transfer that ended: the delegator again', build: (b) => b.assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini', EPOCH, BEFORE, 'transfer'), resolution: 'clear', deciders: [['ada', 'a1']] },
  { name: 'a transfer at its own time in the past', build: (b) => b.assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini', EPOCH, BEFORE, 'transfer'), at: '2026-01-15T00:00:00.000Z', resolution: 'clear', deciders: [['bob', 'a1', 'g1']] },
  { name: 'a transfer not yet begun: the delegator', build: (b) => b.assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini', AFTER, null, 'transfer'), resolution: 'clear', deciders: [['ada', 'a1']] },
  { name: 'an active delegator: a less specific transfer over a more specific deputy', build: (b) => b.assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini').delegate('g2', 'ada', 'cyd', '*', EPOCH, null, 'transfer'), resolution: 'clear', deciders: [['cyd', 'a1', 'g2']] },
  { name: 'an absent delegator: the most specific of either kind', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini').delegate('g2', 'ada', 'cyd', '*', EPOCH, null, 'transfer'), resolution: 'clear', deciders: [['bob', 'a1', 'g1']] },
  { name: 'an active delegate hands a transfer on', build: (b) => b.assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini', EPOCH, null, 'transfer').delegate('g2', 'bob', 'cyd', 'ini', EPOCH, null, 'transfer').delegate('g3', 'cyd', 'dee', 'ini'), resolution: 'clear', deciders: [['cyd', 'a1', 'g1', 'g2']] },
  { name: 'a transfer to someone on leave, then on through their deputy', build: (b) => b.status('bob', 'on_leave').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini', EPOCH, null, 'transfer').delegate('g2', 'bob', 'cyd', '*'), resolution: 'clear', deciders: [['cyd', 'a1', 'g1', 'g2']] },
  { name: 'a transfer to someone retired: no one, though the delegator is active', build: (b) => b.status('bob', 'retired').assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', 'ini', EPOCH, null, 'transfer'), resolution: 'absent', absent: [['ada', 'active']] },
  { name: 'a loop of transfers: absent', build: (b) => b.assign('a1', 'ada', 'ini').delegate('g1', 'ada', 'bob', '*', EPOCH, null, 'transfer').delegate('g2', 'bob', 'ada', '*', EPOCH, null, 'transfer'), resolution: 'absent', absent: [['ada', 'active']] },

  // Several formal deciders and delegates.
  { name: 'a delegate who is also a formal decider is listed once, by the first path', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'ini').assign('a2', 'bob', 'ini').delegate('g1', 'ada', 'bob', 'ini'), resolution: 'clear', deciders: [['bob', 'a1', 'g1']] },
  { name: 'two absent deciders delegating to one person: clear under single', build: (b) => b.status('ada', 'on_leave').status('bob', 'on_leave').assign('a1', 'ada', 'ini').assign('a2', 'bob', 'ini').delegate('g1', 'ada', 'cyd', '*').delegate('g2', 'bob', 'cyd', 'ini'), resolution: 'clear', deciders: [['cyd', 'a1', 'g1']] },
  { name: 'deciders in assignment id order', build: (b) => b.status('ada', 'on_leave').assign('a3', 'eve', 'pool').assign('a1', 'ada', 'pool').assign('a2', 'cyd', 'pool').delegate('g1', 'ada', 'hal', 'pool'), target: 'pool', resolution: 'clear', deciders: [['hal', 'a1', 'g1'], ['cyd', 'a2'], ['eve', 'a3']] },

  // Domains asked about directly.
  { name: 'a domain\'s own A', build: (b) => b.assign('a1', 'ada', 'd:leaf').assign('a2', 'bob', 'd:root'), target: dom('leaf'), resolution: 'clear', deciders: [['ada', 'a1']] },
  { name: 'a domain without an A: its nearest ancestor\'s', build: (b) => b.assign('a1', 'ada', 'd:mid').assign('a2', 'bob', 'd:root'), target: dom('leaf'), resolution: 'clear', deciders: [['ada', 'a1']] },
  { name: 'an initiative\'s A does not decide its domain', build: (b) => b.assign('a1', 'ada', 'ini'), target: dom('leaf'), resolution: 'none' },
  { name: 'a domain counts as single: two A\'s are ambiguous', build: (b) => b.assign('a1', 'ada', 'd:root').assign('a2', 'bob', 'd:root'), target: dom('root'), resolution: 'ambiguous', deciders: [['ada', 'a1'], ['bob', 'a2']] },
  { name: 'a domain\'s decider delegating for an ancestor domain', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'd:leaf').delegate('g1', 'ada', 'bob', 'd:mid'), target: dom('leaf'), resolution: 'clear', deciders: [['bob', 'a1', 'g1']] },
  { name: 'a delegation for a sub-domain does not cover its parent', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'd:mid').delegate('g1', 'ada', 'bob', 'd:leaf'), target: dom('mid'), resolution: 'absent', absent: [['ada', 'on_leave']] },
  { name: 'an initiative delegation does not cover its domain', build: (b) => b.status('ada', 'on_leave').assign('a1', 'ada', 'd:leaf').delegate('g1', 'ada', 'bob', 'ini').delegate('g2', 'ada', 'cyd', '*'), target: dom('leaf'), resolution: 'clear', deciders: [['cyd', 'a1', 'g2']] },

  // A loop in the domain tree (refused by the services, but possible in raw data) ends the walk.
  { name: 'a domain loop ends the walk', build: (b) => b.domain('x', 'y').domain('y', 'x').initiative('looped', 'x').status('ada', 'on_leave').assign('a1', 'ada', 'd:y').delegate('g1', 'ada', 'bob', 'd:x'), target: 'looped', resolution: 'clear', deciders: [['bob', 'a1', 'g1']] },
  { name: 'a domain loop without an A: none', build: (b) => b.domain('x', 'y').domain('y', 'x').initiative('looped', 'x'), target: 'looped', resolution: 'none' },
  { name: 'a domain loop seen from a domain', build: (b) => b.domain('x', 'y').domain('y', 'x').assign('a1', 'ada', 'd:x'), target: dom('y'), resolution: 'clear', deciders: [['ada', 'a1']] }
]

t.test('resolution cases, on both sources', async (t) => {
  t.equal(MAX_DELEGATION_STEPS, 5)
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const data = c.build(world()).build()
      const target = typeof c.target === 'string' ? ini(c.target) : c.target ?? ini('ini')
      for (const [name, source] of sources(t, data)) {
        const answer = resolveDecider(source(), target, c.at ?? AT)
        t.strictSame(summary(answer), { resolution: c.resolution, deciders: c.deciders ?? [], absent: c.absent ?? [] }, name)
      }
    })
  }
})

t.test('the full answer: rule, target, time, names and every step of the path', async (t) => {
  const data = world().status('ada', 'on_leave').status('bob', 'on_leave')
    .assign('a1', 'ada', 'd:mid').assign('a2', 'cyd', 'd:mid')
    .delegate('g1', 'ada', 'bob', 'd:root', EPOCH, AFTER).delegate('g2', 'bob', 'dee', 'pool').build()
  for (const [name, source] of sources(t, data)) {
    t.strictSame(resolveDecider(source(), ini('pool'), AT), {
      target: ini('pool'),
      at: AT,
      decisionRule: 'pool',
      resolution: 'clear',
      deciders: [
        {
          personId: 'dee',
          name: 'DEE',
          via: [
            { kind: 'assignment', id: 'a1', level: 'domain', domainId: 'mid' },
            { kind: 'delegation', id: 'g1', from: 'ada', to: 'bob', validTo: AFTER, delegationKind: 'deputy' },
            { kind: 'delegation', id: 'g2', from: 'bob', to: 'dee', validTo: null, delegationKind: 'deputy' }
          ]
        },
        { personId: 'cyd', name: 'CYD', via: [{ kind: 'assignment', id: 'a2', level: 'domain', domainId: 'mid' }] }
      ],
      absent: []
    }, name)
    t.strictSame(resolveDecider(source(), ini('una'), AT).deciders.map((d) => d.personId), ['cyd'], `${name}: g2 covers only the pool`)
    t.strictSame(resolveDecider(source(), dom('leaf'), AT), {
      target: dom('leaf'),
      at: AT,
      decisionRule: 'single',
      resolution: 'clear',
      deciders: [{ personId: 'cyd', name: 'CYD', via: [{ kind: 'assignment', id: 'a2', level: 'domain', domainId: 'mid' }] }],
      absent: [{ personId: 'ada', name: 'ADA', status: 'on_leave' }]
    }, `${name}: a domain, where g2 (for the pool) does not reach`)
  }
})

t.test('an initiative-level step has no domain', async (t) => {
  const data = world().assign('a1', 'ada', 'ini').build()
  for (const [name, source] of sources(t, data)) {
    t.strictSame(resolveDecider(source(), ini('ini'), AT).deciders, [{ personId: 'ada', name: 'ADA', via: [{ kind: 'assignment', id: 'a1', level: 'initiative', domainId: null }] }], name)
  }
})

t.test('an unknown target is refused', async (t) => {
  for (const [name, source] of sources(t, world().build())) {
    t.throws(() => resolveDecider(source(), ini('nothing'), AT), UnknownTargetError, `${name}: initiative`)
    t.throws(() => resolveDecider(source(), dom('nothing'), AT), { name: 'UnknownTargetError', message: 'No domain with id "nothing"' }, `${name}: domain`)
  }
})

