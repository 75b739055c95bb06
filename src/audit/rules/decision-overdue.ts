// decision-overdue: a live initiative whose decision was due before the audit's time.
import { NoOptions, ref, type Rule } from '../rule.js'

export const decisionOverdue: Rule<NoOptions> = {
  id: 'decision-overdue',
  defaultSeverity: 'warning',
  description: 'A live initiative has a decision due date that has passed.',
  rationale: 'A decision that slips past its date is often a sign that the deciders are not aligned on the destination: ' +
    'nobody says no, nobody pulls the trigger, and the team keeps waiting.',
  remediation: 'Ask the final decider to decide, or to set a new date and say what is missing; if the initiative is no longer wanted, abandon it.',
  options: NoOptions,
  defaults: {},
  check (model) {
    return model.liveInitiatives()
      .filter((initiative) => initiative.decisionDueAt !== null && initiative.decisionDueAt < model.at)
      .map((initiative) => ({
        subject: ref('initiative', initiative.id),
        related: [],
        message: `The decision on ${model.titleOf(initiative.id)} was due ${initiative.decisionDueAt!} and is still open (${initiative.status.replace('_', ' ')})`,
        data: { decisionDueAt: initiative.decisionDueAt }
      }))
  }
}
