// The decider index: built from the tables, kept in step through the change log, and never trusted inside a transaction.
import t, { type Test } from 'tap'
import type { Entity } from '../../db/schema.js'
import { openDatabase, type Db } from '../../src/store/connection.js'
import { DeciderIndex } from '../../src/registry/decider-index.js'
import { deciderIndex, deciderSource } from './decider-index-of.js'
import { resolveDecider } from '../../src/registry/resolver.js'
import { SqlSource } from '../../src/store/sql-source.js'
import { recordAt } from '../../src/store/history.js'
import type { RegistrySource, Target } from '../../src/registry/types.js'
import { recordChange, transact } from '../../src/store/change-log.js'
import { SYSTEM_ACTOR } from '../../src/services/keys.js'
import { AT, EPOCH, RegistryBuilder, writeRegistry } from './registry-data.js'

const FEBRUARY = '2026-02-01T00:00:00.000Z'
/** Lets the clock move on, so that instants taken before and after a write differ. */
const tick = async (): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, 3)) }
const ini = (id: string): Target => ({ kind: 'initiative', id })
const dom = (id: string): Target => ({ kind: 'domain', id })

function database (t: Test): Db {
  const data = new RegistryBuilder().people('ada', 'bob', 'cyd', 'dee')
    .domain('root').domain('leaf', 'root').domain('other')
    .initiative('ini', 'leaf').initiative('far', 'other')
    .assign('a1', 'ada', 'd:root').assign('r1', 'dee', 'ini', 'R')
    .build()
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  writeRegistry(db, data)
  return db
}

/** The record as the change log keeps it (people, domains and initiatives are read back from it for past times). */
function view (db: Db, entity: Entity, id: string): object | null {
  const sql = new SqlSource(db)
  const record = entity === 'people' ? sql.person(id) : entity === 'domains' ? sql.domain(id) : entity === 'initiatives' ? sql.initiative(id) : { id }
  return record ?? null
}

/** A raw write followed by its change-log entry, in one transaction: what every service write amounts to. */
function logged (db: Db, entity: Entity, id: string, sqlText: string, ...params: unknown[]): void {
  transact(db, () => {
    const before = view(db, entity, id)
    db.$client.prepare(sqlText).run(...params)
    recordChange(db, SYSTEM_ACTOR, new Date().toISOString(), { entity, entityId: id, action: 'update', before, after: view(db, entity, id) })
  })
}

const source = (db: Db, at = AT): RegistrySource => deciderSource(db, at)
const who = (db: Db, target: Target, at = AT): string[] => resolveDecider(source(db, at), target, at).deciders.map((d) => d.personId)
const whoByIndex = (index: DeciderIndex, target: Target, at = AT): string[] => {
  index.refresh()
  return resolveDecider(index, target, at).deciders.map((d) => d.personId)
}

t.test('every kind of recorded change is followed, record by record', async (t) => {
  const db = database(t)
  t.strictSame(who(db, ini('ini')), ['ada'], 'built on first use: inherited from root')

  logged(db, 'assignments', 'a2', `INSERT INTO assignments (id, version, created_at, updated_at, person_id, role, domain_id, valid_from)
    VALUES ('a2', 1, ?, ?, 'bob', 'A', 'leaf', ?)`, EPOCH, EPOCH, EPOCH)
  t.strictSame(who(db, ini('ini')), ['bob'], 'a new A on a nearer domain')

  logged(db, 'assignments', 'a2', "UPDATE assignments SET role = 'C' WHERE id = 'a2'")
  t.strictSame(who(db, ini('ini')), ['ada'], 'an A that becomes a C leaves the index')
  logged(db, 'assignments', 'r1', "UPDATE assignments SET role = 'A' WHERE id = 'r1'")
  t.strictSame(who(db, ini('ini')), ['dee'], 'an R that becomes an A enters it')
  logged(db, 'assignments', 'r1', "DELETE FROM assignments WHERE id = 'r1'")
  t.strictSame(who(db, ini('ini')), ['ada'], 'a deleted assignment leaves it')

  logged(db, 'initiatives', 'ini', "UPDATE initiatives SET domain_id = 'other' WHERE id = 'ini'")
  t.equal(resolveDecider(source(db), ini('ini'), AT).resolution, 'none', 'an initiative moved to a domain without an A')
  logged(db, 'domains', 'other', "UPDATE domains SET parent_id = 'root' WHERE id = 'other'")
  t.strictSame(who(db, dom('other')), ['ada'], 'a domain moved under root inherits its A')

  logged(db, 'people', 'ada', "INSERT INTO person_statuses (person_id, status, valid_from) VALUES ('ada', 'active', ?), ('ada', 'on_leave', ?)", EPOCH, '2026-03-01T00:00:00.000Z')
  t.equal(resolveDecider(source(db), ini('ini'), AT).resolution, 'absent', 'a status change on the timeline')
  t.strictSame(who(db, ini('ini'), '2026-02-01T00:00:00.000Z'), ['ada'], 'and the time before it')

  logged(db, 'delegations', 'g1', `INSERT INTO delegations (id, version, created_at, updated_at, from_person_id, to_person_id, all_scopes, valid_from)
    VALUES ('g1', 1, ?, ?, 'ada', 'cyd', 1, ?)`, EPOCH, EPOCH, EPOCH)
  t.strictSame(who(db, ini('ini')), ['cyd'], 'a new delegation')
  logged(db, 'delegations', 'g1', "UPDATE delegations SET to_person_id = 'bob' WHERE id = 'g1'")
  t.strictSame(who(db, ini('ini')), ['bob'], 'a changed delegation')
  logged(db, 'delegations', 'g1', "DELETE FROM delegations WHERE id = 'g1'")
  t.equal(resolveDecider(source(db), ini('ini'), AT).resolution, 'absent', 'a deleted delegation')

  const beforeRename = new Date().toISOString()
  await tick()
  logged(db, 'people', 'ada', "UPDATE people SET name = 'Ada L.' WHERE id = 'ada'")
  const now = new Date().toISOString()
  const nameAt = (at: string): string | undefined => resolveDecider(source(db, at), dom('root'), at).absent[0]?.name
  t.equal(nameAt(now), 'Ada L.', 'a renamed person')
  t.equal(nameAt(beforeRename), 'ADA', 'with her name as recorded before the rename')
  t.equal(resolveDecider(source(db, FEBRUARY), dom('root'), FEBRUARY).deciders[0]?.name, 'Ada L.',
    'and before any record of her, her name as known now')
  logged(db, 'initiatives', 'far', "DELETE FROM initiatives WHERE id = 'far'")
  t.throws(() => resolveDecider(source(db), ini('far'), AT), { name: 'UnknownTargetError' }, 'a deleted initiative is unknown')
  logged(db, 'influences', 'x', 'SELECT 1')
  t.strictSame(who(db, dom('root'), '2026-02-01T00:00:00.000Z'), ['ada'], 'an entity that plays no part is passed over')
})

t.test('a write that bypasses the change log is not seen; the next logged change of that record brings it in', async (t) => {
  const db = database(t)
  t.strictSame(who(db, ini('ini')), ['ada'])
  db.$client.prepare("UPDATE assignments SET person_id = 'bob' WHERE id = 'a1'").run()
  t.strictSame(who(db, ini('ini')), ['ada'], 'the change log is the registry\'s account of what changed')
  t.strictSame(resolveDecider(new SqlSource(db), ini('ini'), AT).deciders.map((d) => d.personId), ['bob'], 'while SQL reads the table')
  logged(db, 'assignments', 'a1', 'SELECT 1')
  t.strictSame(who(db, ini('ini')), ['bob'])
})

t.test('inside a transaction the lookup reads SQL, so a change that may yet roll back never enters the index', async (t) => {
  const db = database(t)
  t.strictSame(who(db, ini('ini')), ['ada'])
  try {
    transact(db, () => {
      db.$client.prepare("UPDATE assignments SET person_id = 'cyd' WHERE id = 'a1'").run()
      recordChange(db, SYSTEM_ACTOR, new Date().toISOString(), { entity: 'assignments', entityId: 'a1', action: 'update', before: {}, after: {} })
      t.equal(deciderIndex(db), undefined, 'no index inside the transaction')
      t.type(deciderSource(db, AT), SqlSource, 'but SQL')
      t.strictSame(who(db, ini('ini')), ['cyd'], 'which sees the transaction\'s own write')
      throw new Error('roll back')
    })
  } catch (error) {
    t.equal((error as Error).message, 'roll back')
  }
  t.type(deciderIndex(db), DeciderIndex)
  t.strictSame(who(db, ini('ini')), ['ada'], 'after the rollback, the index never held the change')
  logged(db, 'assignments', 'a1', "UPDATE assignments SET person_id = 'dee' WHERE id = 'a1'")
  t.strictSame(who(db, ini('ini')), ['dee'], 'and the revision the rollback freed is followed when it is used again')
})

t.test('a large change set is read back whole; other roles are read from SQL', async (t) => {
  const db = database(t)
  const index = new DeciderIndex(db)
  t.strictSame(whoByIndex(index, ini('ini')), ['ada'])
  transact(db, () => {
    for (let i = 0; i < 20_001; i++) recordChange(db, SYSTEM_ACTOR, EPOCH, { entity: 'influences', entityId: `x${i}`, action: 'create', before: null, after: {} })
    db.$client.prepare("UPDATE assignments SET person_id = 'cyd' WHERE id = 'a1'").run()
  })
  t.strictSame(whoByIndex(index, ini('ini')), ['cyd'], 'the rebuild read the table, logged or not')
  t.strictSame(index.holders(ini('ini'), 'R', AT).map((a) => a.id), ['r1'], 'R holders from SQL')
  t.strictSame(index.holders(ini('ini'), 'A', AT), [], 'no A on the initiative itself')
  t.strictSame(index.delegationsFrom('ada', AT), [])
})

t.test('recordAt: the version then, the current one before any record, nothing between a deletion and a remaking', async (t) => {
  const v1 = { n: 1 }
  const v2 = { n: 2 }
  const now = { n: 3 }
  const history = { past: [{ record: v1, from: '2026-01-01', to: '2026-02-01' }, { record: v2, from: '2026-02-01', to: '2026-03-01' }], currentFrom: '2026-03-01' }
  t.equal(recordAt(now, undefined, '2020-01-01'), now, 'no past versions: the current one, whenever')
  t.equal(recordAt(now, history, '2025-12-31'), now, 'before the first record: what is known now')
  t.equal(recordAt(now, history, '2026-01-01'), v1, 'from the first version on')
  t.equal(recordAt(now, history, '2026-02-15'), v2)
  t.equal(recordAt(now, history, '2026-03-01'), now, 'the current one from its start')
  t.equal(recordAt(undefined, history, '2026-03-05'), undefined, 'deleted at 2026-03-01: gone after')
  t.equal(recordAt(undefined, history, '2026-02-15'), v2, 'but there before')
  const remade = { past: [{ record: v1, from: '2026-01-01', to: '2026-02-01' }], currentFrom: '2026-04-01' }
  t.equal(recordAt(now, remade, '2026-03-01'), undefined, 'between a deletion and the record\'s remaking')
  t.equal(recordAt(now, remade, '2026-04-01'), now)
})
