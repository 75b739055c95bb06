// decision-overdue: a live initiative whose decision was due before the audit's time.
import { deciderPhrase } from '../advice.js'
import { dateWords, NoOptions, ref, type Rule } from '../rule.js'

export const decisionOverdue: Rule<NoOptions> = {
  id: 'decision-overdue',
  defaultSeverity: 'warning',
  description: 'A live initiative has a decision due date that has passed.',
  rationale: 'A decision that slips past its date is often a sign that the deciders are not aligned on the destination: ' +
    'nobody says no, nobody pulls the trigger, and the team keeps waiting.',
  remediation: 'Ask the final decider to decide, or to set a new date and say what is missing; if the initiative is no longer wanted, abandon it.',
  options: NoOptions,
  defaults: {},
  reads: ['initiative.status', 'initiative.decisionDueAt'],
  check (model) {
    return model.liveInitiatives()
      .filter((initiative) => initiative.decisionDueAt !== null && initiative.decisionDueAt < model.at)
      .map((initiative) => {
        const title = model.titleOf(initiative.id)
        const who = deciderPhrase(model, initiative.id)
        return {
          subject: ref('initiative', initiative.id),
          related: [],
          message: `The decision on ${title} was due ${dateWords(initiative.decisionDueAt!)} and is still open (${initiative.status.replace('_', ' ')})`,
          remediation: `${who === undefined ? `Name a final decider for ${title} and have them decide it` : `Ask ${who}, to decide ${title}`} ` +
            'or set a new due date and say what is missing; if the initiative is no longer wanted, abandon it',
          data: { decisionDueAt: initiative.decisionDueAt }
        }
      })
  }
}
