// reversed-transfer: a leader who transferred a decision to someone, then reversed, vetoed or replaced what they decided.
import { dateWords, DECIDER_READS, NoOptions, people, ref, type Rule } from '../rule.js'

export const reversedTransfer: Rule<NoOptions> = {
  id: 'reversed-transfer',
  defaultSeverity: 'warning',
  description: 'A reversal, a veto or a superseding call was made by a person who, when the call it undoes was made, had transferred ' +
    'the authority over the initiative to the one who made it.',
  rationale: 'A leader who defers to another executive and then undermines what was done leaves nobody sure who decides: ' +
    'the delegate\'s calls stop counting, and the team learns to wait for the leader after all.',
  remediation: 'Ask the leader to confirm or withdraw the reversal; if they mean to decide, end the transfer so the registry says so.',
  options: NoOptions,
  defaults: {},
  reads: [...DECIDER_READS, 'decision'],
  check (model) {
    return model.decisions().flatMap((decision) => {
      const found = model.reversedTransfer(decision)
      if (found === undefined) return []
      const { superseded, transfer } = found
      const leader = model.nameOf(decision.decidedBy)
      const delegate = model.nameOf(superseded.decidedBy)
      const title = model.titleOf(superseded.initiativeId)
      const what = decision.kind === 'veto' ? 'vetoed' : decision.kind === 'reversal' ? 'reversed' : 'replaced'
      return [{
        subject: ref('decision', decision.id),
        related: [
          ref('initiative', decision.initiativeId), ...people([decision.decidedBy, superseded.decidedBy]),
          ref('decision', superseded.id), ref('delegation', transfer.id)
        ],
        message: `${leader} ${what} ${delegate}'s decision on ${title} of ${dateWords(superseded.decidedAt)} on ${dateWords(decision.decidedAt)}, ` +
          `though ${leader} had transferred that decision to ${delegate} (${transfer.id})`,
        remediation: `Ask ${leader} to confirm or withdraw the ${decision.kind} ${decision.id} of ${delegate}'s decision ${superseded.id} on ${title}, ` +
          `or end the transfer ${transfer.id} so that the registry shows ${leader} deciding ${title} again.`,
        data: { supersededId: superseded.id, transferId: transfer.id }
      }]
    })
  }
}
