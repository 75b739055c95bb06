// The decider index's past versions against the change log's: the same record at every instant, whichever edits the
// index keeps (name, tags, status, place) and whichever it folds away (title, email, description).
import t, { type Test } from 'tap'
import { openDatabase, type Db } from '../../src/store/connection.js'
import { DeciderIndex } from '../../src/registry/decider-index.js'
import { deciderIndex } from './decider-index-of.js'
import { createDomain } from '../../src/services/domains.js'
import { versionAt } from '../../src/store/history.js'
import { createInitiative, updateInitiative } from '../../src/services/initiatives.js'
import { createPerson, deletePerson, updatePerson } from '../../src/services/people.js'

const actor = { keyId: null, label: 'test' }
/** Lets the clock move on, so that instants taken before and after a write differ. */
const tick = async (): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, 3)) }

const PERSON_FIELDS = ['id', 'name', 'status', 'tags', 'stakePercent', 'managerId'] as const
const INITIATIVE_FIELDS = ['id', 'title', 'domainId', 'status', 'decisionRule', 'decisionDueAt'] as const

const pick = (record: Record<string, unknown> | undefined, fields: readonly string[]): Record<string, unknown> | undefined =>
  record === undefined ? undefined : Object.fromEntries(fields.map((f) => [f, record[f]]))

/** Runs the edits with the clock moving between them; returns an instant inside each period they leave. */
async function timeline (edits: Array<() => unknown>): Promise<string[]> {
  const instants: string[] = []
  for (const edit of edits) {
    edit()
    await tick()
    instants.push(new Date(Date.now() - 1).toISOString())
    await tick()
  }
  return instants
}

function registry (t: Test): Db {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  return db
}

t.test('a person at every instant: the index agrees with the change log across kept and folded edits', async (t) => {
  const db = registry(t)
  deciderIndex(db)
  const instants = await timeline([
    () => createPerson(db, actor, { id: 'ada', name: 'Ada', email: 'ada@example.com', tags: ['a'] }),
    () => updatePerson(db, actor, 'ada', { title: 'one' }),
    () => updatePerson(db, actor, 'ada', { title: 'two', email: 'countess@example.com' }),
    () => updatePerson(db, actor, 'ada', { name: 'Ada King' }),
    () => updatePerson(db, actor, 'ada', { title: 'three' }),
    () => updatePerson(db, actor, 'ada', { tags: ['a', 'b'], title: 'four' }),
    () => updatePerson(db, actor, 'ada', { title: 'five' }),
    () => deletePerson(db, actor, 'ada'),
    () => createPerson(db, actor, { id: 'ada', name: 'Ada Again', email: 'ada@example.com' }),
    () => updatePerson(db, actor, 'ada', { title: 'six' })
  ])
  // The index that caught up with the writes record by record, and one built afresh from the tables.
  const rebuilt = new DeciderIndex(db)
  rebuilt.refresh()
  for (const [source, index] of [['caught up', deciderIndex(db)!], ['rebuilt', rebuilt]] as const) {
    for (const at of instants) {
      const logged = versionAt<Record<string, unknown>>(db, 'people', 'ada', at)
      t.same(pick(index.asOf(at).person('ada') as Record<string, unknown> | undefined, PERSON_FIELDS), pick(logged, PERSON_FIELDS), `${source}: at ${at}`)
    }
  }
  t.equal(deciderIndex(db)!.asOf(instants[7]!).person('ada'), undefined, 'gone between its deletion and its new making')
})

t.test('an initiative\'s place: changedSince names it only for the edits the index reads', async (t) => {
  const db = registry(t)
  for (const id of ['north', 'south']) createDomain(db, actor, { id, name: id })
  createInitiative(db, actor, { id: 'ini', title: 'Ini', domainId: 'north' })
  deciderIndex(db)
  const instants = await timeline([
    () => updateInitiative(db, actor, 'ini', { description: 'first words' }),
    () => updateInitiative(db, actor, 'ini', { domainId: 'south' }),
    () => updateInitiative(db, actor, 'ini', { description: 'second words', destination: 'there' })
  ])
  const index = deciderIndex(db)!
  t.same(index.changedSince(instants[0]!).initiatives, ['ini'], 'before the move: its place then differs from now')
  t.same(index.changedSince(instants[1]!).initiatives, [], 'after it: only the description changed since')
  t.same(index.changedSince(instants[2]!).initiatives, [])
  for (const at of instants) {
    t.same(pick(index.asOf(at).initiative('ini') as Record<string, unknown> | undefined, INITIATIVE_FIELDS),
      pick(versionAt<Record<string, unknown>>(db, 'initiatives', 'ini', at), INITIATIVE_FIELDS), `at ${at}`)
  }
  t.equal(index.asOf(instants[0]!).initiative('ini')?.domainId, 'north')
})
