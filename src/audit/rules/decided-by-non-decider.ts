// decided-by-non-decider: a decision record (a call, a deferral, a reversal or a veto) made by someone who was not an
// effective decider of its initiative at the time; a transfer's delegator is not one while the transfer holds.
import type { DecisionKind } from '../../registry/types.js'
import { dateWords, DECIDER_READS, names, NoOptions, ref, type Rule } from '../rule.js'

/** What the maker did, as a message says it: "decided", "deferred", "reversed a call on", "vetoed". */
export const DID: Record<DecisionKind, string> = { decision: 'decided', deferral: 'deferred', reversal: 'reversed a call on', veto: 'vetoed' }

export const decidedByNonDecider: Rule<NoOptions> = {
  id: 'decided-by-non-decider',
  defaultSeverity: 'error',
  description: 'A decision record (a call, a deferral, a reversal or a veto) was made by a person who was not an effective decider of the initiative ' +
    'when it was made — a delegator whose transfer held then included.',
  rationale: 'A call made by someone without the authority is the boundary problem made visible: an executive who decided ' +
    'in another\'s place, or a decider who deferred informally; the people with the authority may not stand behind it.',
  remediation: 'Ask the effective decider at that time to confirm or redo the decision; if the record is what the organization wants, ' +
    'fix the registry so that it names the person who really decides (an Accountable role or a delegation).',
  options: NoOptions,
  defaults: {},
  reads: [...DECIDER_READS, 'decision'],
  check (model) {
    return model.decisions().flatMap((decision) => {
      const answer = model.decider(decision.initiativeId, decision.decidedAt)
      // Undoing what a transfer's delegate did is reversed-transfer's finding, not this one's.
      if (answer.deciders.some((d) => d.personId === decision.decidedBy) || model.reversedTransfer(decision) !== undefined) return []
      const maker = model.nameOf(decision.decidedBy)
      const title = model.titleOf(decision.initiativeId)
      const deciders = names(answer.deciders.map((d) => d.name))
      const transferred = answer.deciders.some((d) => d.via.some((s) => s.kind === 'delegation' && s.delegationKind === 'transfer' && s.from === decision.decidedBy))
      const then = answer.deciders.length === 0
        ? 'no one could decide it then'
        : transferred
          ? `${maker} had transferred that decision to ${deciders}`
          : `the effective decider then was ${deciders}`
      const when = dateWords(decision.decidedAt)
      return [{
        subject: ref('decision', decision.id),
        related: [ref('initiative', decision.initiativeId), ref('person', decision.decidedBy)],
        message: `${maker} ${DID[decision.kind]} ${title} on ${when}, but ${then}`,
        remediation: answer.deciders.length === 0
          ? `Name an Accountable person for ${title} and ask them to confirm or redo ${maker}'s ${decision.kind} ${decision.id} of ${when}.`
          : transferred
            ? `Ask ${deciders}, to whom ${maker} transferred ${title}, to confirm or redo ${maker}'s ${decision.kind} ${decision.id} of ${when}, ` +
              `or end the transfer if ${maker} is to decide again.`
            : `Ask ${deciders} to confirm or redo ${maker}'s ${decision.kind} ${decision.id} on ${title} of ${when}, or record the Accountable role ` +
              `or delegation that lets ${maker} decide it.`
      }]
    })
  }
}
