// What counts as a fingerprint: what fingerprintOf makes, and nothing else — a stored one edited by hand matches no finding.
import fc from 'fast-check'
import t from 'tap'
import { fingerprintOf, isFingerprint } from '../../src/audit/fingerprint.js'

t.test('refuses what is not a fingerprint', async (t) => {
  for (const bad of ['', 'f1', 'A'.repeat(32), 'g'.repeat(32), '0'.repeat(31), '0'.repeat(33), 'edited by hand']) {
    t.equal(isFingerprint(bad), false, `"${bad}" is not a fingerprint`)
  }
  t.ok(isFingerprint('0'.repeat(32)))
})

t.test('property: whatever fingerprintOf makes is a fingerprint', async () => {
  const record = fc.record({ kind: fc.string(), id: fc.string() })
  fc.assert(fc.property(fc.string(), record, fc.array(record, { maxLength: 5 }), (ruleId, subject, related) =>
    isFingerprint(fingerprintOf(ruleId, { subject, related }))), { numRuns: 300 })
})
