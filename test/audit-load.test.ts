// Reading the registry for an audit: assignments read many thousand rows at a time (across gaps in the rowids and
// the reads' boundaries), initiatives as JSON, the assignment index built on the way, a value the reader cannot
// split refused; and the lists of rows that hold at a time.
import t, { type Test } from 'tap'
import { openDatabase, type Db } from '../src/store/connection.js'
import { Interner } from '../src/registry/interner.js'
import { createSnapshot, holdingAt } from '../src/registry/snapshot.js'
import { loadRegistryData } from '../src/store/registry-data.js'
import type { RegistryData } from '../src/registry/types.js'
import { AT, EPOCH, RegistryBuilder, writeRegistry } from './registry/registry-data.js'

const database = (t: Test, data: RegistryData): Db => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  writeRegistry(db, data)
  return db
}

/** The assignments as SQLite has them, in storage order: what the loader must give back. */
const stored = (db: Db): unknown[] => db.$client.prepare(`SELECT id, person_id AS personId, role, initiative_id AS initiativeId,
  domain_id AS domainId, valid_from AS validFrom, valid_to AS validTo FROM assignments ORDER BY rowid`).all()

t.test('every assignment, in storage order, over several reads and gaps in the rowids', async (t) => {
  const builder = new RegistryBuilder().people('ada', 'bob', 'cyd').domain('root').domain('leaf', 'root').initiative('i1', 'leaf').initiative('i2', null)
  const roles = ['R', 'A', 'C', 'I'] as const
  // More rows than one read takes (65,536), on both kinds of target, open-ended and ended, with runs of equal values.
  for (let n = 0; n < 150_000; n++) {
    const where = n % 7 === 0 ? 'd:leaf' : n % 3 === 0 ? 'i2' : 'i1'
    builder.assign(`a${n}`, ['ada', 'bob', 'cyd'][n % 3]!, where, roles[n % 4], n % 5 === 0 ? AT : EPOCH, n % 11 === 0 ? '2027-01-01T00:00:00.000Z' : null)
  }
  const db = database(t, builder.build())
  // Gaps: a stretch longer than a read, and single rows here and there.
  db.$client.prepare('DELETE FROM assignments WHERE rowid BETWEEN 1000 AND 70000 OR rowid % 997 = 0').run()
  const data = loadRegistryData(db)
  t.equal(data.assignments.length, stored(db).length)
  t.strictSame(data.assignments, stored(db), 'the rows as stored, NULLs as null')
  t.ok(Object.isFrozen(data.assignments), 'frozen')

  // The index built while reading is the index built from the rows.
  const loaded = createSnapshot(data)
  const rebuilt = createSnapshot({ ...data, assignments: [...data.assignments] })
  for (const [target, role] of [['i1', 'A'], ['i2', 'R'], ['i2', 'I']] as const) {
    t.strictSame(loaded.assignmentsOn({ kind: 'initiative', id: target }, role), rebuilt.assignmentsOn({ kind: 'initiative', id: target }, role), `${target} ${role}`)
  }
  t.strictSame(loaded.assignmentsOn({ kind: 'domain', id: 'leaf' }, 'C'), rebuilt.assignmentsOn({ kind: 'domain', id: 'leaf' }, 'C'), 'leaf C')
  const list = loaded.assignmentsOn({ kind: 'initiative', id: 'i1' }, 'A')
  t.ok(list.length > 10_000 && list.every((a, i) => i === 0 || list[i - 1]!.id < a.id), 'in id order')
})

t.test('initiatives come through JSON as they are, whatever their titles hold', async (t) => {
  const data = new RegistryBuilder().people('ada').domain('d').initiative('plain', 'd').initiative('odd', null, 'unanimous').build()
  data.initiatives[1] = { ...data.initiatives[1]!, title: 'Quotes " \\ and \u001f\u001e, tab\t, emoji 🚀, accents é', status: 'on_hold', decisionDueAt: AT }
  const loaded = loadRegistryData(database(t, data))
  t.strictSame([...loaded.initiatives].sort((a, b) => a.id < b.id ? -1 : 1), [...data.initiatives].sort((a, b) => a.id < b.id ? -1 : 1))
})

t.test('an assignment the reader cannot split (a separator in a value, written around the API) fails the read loudly', async (t) => {
  const data = new RegistryBuilder().people('ada').initiative('i', null).assign('a1', 'ada', 'i').assign('a2', 'ada', 'i', 'R').build()
  const db = database(t, data)
  db.$client.prepare("UPDATE assignments SET id = 'a' || char(31) || 'x' WHERE id = 'a1'").run()
  t.throws(() => loadRegistryData(db), /could not be read/)
  db.$client.prepare("UPDATE assignments SET id = 'a1', role = 'X' WHERE role = 'A'").run()
  t.throws(() => loadRegistryData(db), /could not be read: a role is not R, A, C or I/)
})

t.test('holdingAt: the list itself when every row holds, else a copy of those that do', async (t) => {
  const rows = Object.freeze([
    { id: 'a', validFrom: EPOCH, validTo: null },
    { id: 'b', validFrom: EPOCH, validTo: '2027-01-01T00:00:00.000Z' }
  ])
  t.equal(holdingAt(rows, AT), rows, 'the same list')
  t.strictSame(holdingAt(rows, '2027-06-01T00:00:00.000Z').map((r) => r.id), ['a'], 'ended rows left out')
  t.strictSame(holdingAt(rows, '1999-01-01T00:00:00.000Z'), [], 'none yet')
  t.strictSame(holdingAt([], AT), [])
})

t.test('Interner: one string per value, found from a stretch of a text', async (t) => {
  const strings = new Interner(['ada'])
  const text = 'xx-ada-bob-ada-' + 'p'.repeat(5000)
  t.equal(strings.get(text, 3, 6), 'ada')
  t.equal(strings.get(text, 7, 10), 'bob')
  t.equal(strings.get(text, 11, 14), 'ada')
  t.equal(strings.get(text, 0, 0), '', 'the empty value')
  // Thousands of values: the table grows, and each is still found as it was first given.
  const values = Array.from({ length: 5000 }, (_, i) => `v${i}`)
  const joined = values.join(',')
  let at = 0
  const found = values.map((v) => { const got = strings.get(joined, at, at + v.length); at += v.length + 1; return got })
  t.strictSame(found, values)
  t.equal(strings.get('--v4999', 2, 7), 'v4999')
  t.equal(strings.get('--bob', 2, 5), 'bob')
})
