// The fingerprint table an audit run compares with the run before: the same answers as a Map, however it grows.
import fc from 'fast-check'
import t from 'tap'
import { FingerprintTable, isFingerprint } from '../../src/audit/fingerprint-table.js'
import { fingerprintOf } from '../../src/audit/fingerprint.js'

const hex = (n: number, width = 8): string => n.toString(16).padStart(width, '0')
/** Every id the table holds, ascending: what it answers against a run with no fingerprint. */
const allIds = (table: FingerprintTable): number[] => table.idsMissingFrom(new FingerprintTable())

t.test('keeps the first id of each fingerprint, and tells which are missing from another run, in id order', async (t) => {
  const a = fingerprintOf('no-final-decider', { subject: { kind: 'initiative', id: 'i1' }, related: [] })
  const b = fingerprintOf('no-final-decider', { subject: { kind: 'initiative', id: 'i2' }, related: [] })
  const c = fingerprintOf('absent-decider', { subject: { kind: 'initiative', id: 'i1' }, related: [] })
  const before = new FingerprintTable()
  before.addIfAbsent(b, 7)
  before.addIfAbsent(a, 3)
  before.addIfAbsent(a, 9)
  before.addIfAbsent(c, 5)
  t.strictSame(allIds(before), [3, 5, 7], 'three fingerprints, each with the first id given')
  t.ok(before.has(c))
  const now = new FingerprintTable()
  now.addIfAbsent(c, 12)
  t.strictSame(before.idsMissingFrom(now), [3, 7], 'resolved: ascending, as the run stored them')
  t.strictSame(now.idsMissingFrom(before), [])
  t.notOk(now.has(a))
})

t.test('refuses what is not a fingerprint, and ids that are not row ids', async (t) => {
  const table = new FingerprintTable()
  for (const bad of ['', 'f1', 'A'.repeat(32), 'g'.repeat(32), '0'.repeat(31), '0'.repeat(33)]) {
    t.equal(isFingerprint(bad), false, `"${bad}" is not a fingerprint`)
    t.throws(() => table.has(bad), TypeError)
  }
  t.throws(() => { table.addIfAbsent('0'.repeat(32), 0) }, RangeError, 'row ids start at 1')
  t.throws(() => { table.addIfAbsent('0'.repeat(32), 1.5) }, RangeError)
  t.strictSame(allIds(table), [], 'nothing added by a refusal')
  t.ok(isFingerprint(fingerprintOf('r', { subject: { kind: 'person', id: 'p' }, related: [] })))
})

t.test('property: the same as a Map of the first ids, through growth and colliding first words', async () => {
  // Each word one of four values (high bits among them): fingerprints share home slots and differ in any one word.
  const word = fc.constantFrom(0, 1, 0x80000000, 0xffffffff).map((n) => hex(n))
  const fingerprint = fc.tuple(word, word, word, word).map((words) => words.join(''))
  fc.assert(fc.property(
    fc.array(fc.tuple(fingerprint, fc.integer({ min: 1, max: 1_000_000 })), { maxLength: 300 }),
    fc.array(fc.boolean(), { maxLength: 300 }),
    fc.array(fingerprint, { maxLength: 50 }),
    fc.integer({ min: 0, max: 64 }),
    (entries, picks, strangers, capacity) => {
      const table = new FingerprintTable(capacity)
      const map = new Map<string, number>()
      for (const [key, id] of entries) {
        table.addIfAbsent(key, id)
        if (!map.has(key)) map.set(key, id)
      }
      const ascending = (ids: number[]): string => JSON.stringify([...ids].sort((x, y) => x - y))
      if (JSON.stringify(allIds(table)) !== ascending([...map.values()])) return false
      // Another run holding some of the same fingerprints and some others: which ids are missing ties each id to its key.
      const others = [...entries.filter((_, i) => picks[i] === true).map(([key]) => key), ...strangers]
      for (const key of others) if (table.has(key) !== map.has(key)) return false
      const other = new FingerprintTable()
      for (const key of others) other.addIfAbsent(key, 1)
      return JSON.stringify(table.idsMissingFrom(other)) === ascending([...map].filter(([key]) => !others.includes(key)).map(([, id]) => id))
    }), { numRuns: 300 })
})
