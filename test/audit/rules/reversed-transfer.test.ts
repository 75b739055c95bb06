// reversed-transfer: a leader who transferred a decision reverses, vetoes or replaces what the delegate decided with it.
import t from 'tap'
import { reversedTransfer } from '../../../src/audit/rules/reversed-transfer.js'
import { decidedByNonDecider } from '../../../src/audit/rules/decided-by-non-decider.js'
import { registry, ruleTable } from '../model-builder.js'

const DONE = '2025-03-03T00:00:00.000Z'
const UNDONE = '2025-03-10T00:00:00.000Z'
const ENDED = '2025-03-05T00:00:00.000Z'
/** Mark is Accountable for CRM and transferred it to Nina, who decided it. */
const org = (transferTo = ENDED as string | null) => registry().people('mark', 'nina', 'owen').initiative('crm', { status: 'decided' })
  .assign('mark', 'A', { initiative: 'crm' }).delegate('mark', 'nina', { id: 'd1', initiative: 'crm', kind: 'transfer', validTo: transferTo })
  .decision('crm', 'nina', { id: 'r1', decidedAt: DONE })

const finding = (id: string, what: string) => ({
  subject: `decision:${id}`,
  related: ['initiative:crm', 'person:mark', 'person:nina', 'decision:r1', 'delegation:d1'],
  message: `Mark ${what} Nina's decision on "Crm" of 3 March 2025 on 10 March 2025, though Mark had transferred that decision to Nina (d1)`
})

ruleTable(t, reversedTransfer, {
  valid: [
    { name: 'a reversal by someone who never transferred', registry: org().decision('crm', 'owen', { id: 'r2', decidedAt: UNDONE, kind: 'reversal', supersedes: 'r1' }) },
    {
      name: 'a reversal of a deputy\'s decision (a deputy stands in, nothing was handed over)',
      registry: registry().people('mark', 'nina').initiative('crm').assign('mark', 'A', { initiative: 'crm' }).status('mark', 'on_leave', DONE)
        .status('mark', 'active', ENDED).delegate('mark', 'nina', { id: 'd1' }).decision('crm', 'nina', { id: 'r1', decidedAt: DONE })
        .decision('crm', 'mark', { id: 'r2', decidedAt: UNDONE, kind: 'reversal', supersedes: 'r1' })
    },
    { name: 'a plain later call that supersedes nothing', registry: org().decision('crm', 'mark', { id: 'r2', decidedAt: UNDONE }) },
    { name: 'a deferral by the leader', registry: org().decision('crm', 'mark', { id: 'r2', decidedAt: UNDONE, kind: 'deferral' }) },
    { name: 'the delegate reverses her own call', registry: org().decision('crm', 'nina', { id: 'r2', decidedAt: UNDONE, kind: 'reversal', supersedes: 'r1' }) },
    { name: 'made after the audit\'s time', registry: org().decision('crm', 'mark', { id: 'r2', decidedAt: '2026-02-01T00:00:00.000Z', kind: 'reversal', supersedes: 'r1' }) }
  ],
  invalid: [
    {
      name: 'a reversal naming the call, after the transfer ended',
      registry: org().decision('crm', 'mark', { id: 'r2', decidedAt: UNDONE, kind: 'reversal', supersedes: 'r1' }),
      findings: [{ ...finding('r2', 'reversed'), data: { supersededId: 'r1', transferId: 'd1' } }]
    },
    {
      name: 'a veto naming no call: the latest earlier one, while the transfer still holds',
      registry: org(null).decision('crm', 'mark', { id: 'r2', decidedAt: UNDONE, kind: 'veto' }),
      findings: [finding('r2', 'vetoed')]
    },
    {
      name: 'a plain call that supersedes the delegate\'s',
      registry: org().decision('crm', 'mark', { id: 'r2', decidedAt: UNDONE, supersedes: 'r1' }),
      findings: [finding('r2', 'replaced')]
    }
  ]
})

t.test('the finding says what to do, naming both people, the records and the transfer', async (t) => {
  const model = org().decision('crm', 'mark', { id: 'r2', decidedAt: UNDONE, kind: 'reversal', supersedes: 'r1' }).model()
  const [found] = reversedTransfer.check(model, {})
  t.equal(found?.remediation, 'Ask Mark to confirm or withdraw the reversal r2 of Nina\'s decision r1 on "Crm", or end the transfer d1 so that the registry shows Mark deciding "Crm" again.')
})

t.test('a reversal by the delegator while the transfer holds is this rule\'s finding, not decided-by-non-decider\'s', async (t) => {
  const reversal = org(null).decision('crm', 'mark', { id: 'r2', decidedAt: UNDONE, kind: 'reversal', supersedes: 'r1' }).model()
  t.equal(reversedTransfer.check(reversal, {}).length, 1)
  t.strictSame(decidedByNonDecider.check(reversal, {}), [])
  // The same call as a plain decision that supersedes nothing is the delegator deciding in the delegate's place.
  const plain = org(null).decision('crm', 'mark', { id: 'r2', decidedAt: UNDONE }).model()
  t.strictSame(reversedTransfer.check(plain, {}), [])
  t.strictSame(decidedByNonDecider.check(plain, {}).map((f) => [f.subject.id, f.message, f.remediation]), [[
    'r2', 'Mark decided "Crm" on 10 March 2025, but Mark had transferred that decision to Nina',
    'Ask Nina, to whom Mark transferred "Crm", to confirm or redo Mark\'s decision r2 of 10 March 2025, or end the transfer if Mark is to decide again.'
  ]])
})
