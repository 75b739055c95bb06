// decided-by-non-decider: a decision recorded by someone who was not an effective decider of its initiative at the time.
import { names, NoOptions, ref, type Rule } from '../rule.js'

export const decidedByNonDecider: Rule<NoOptions> = {
  id: 'decided-by-non-decider',
  defaultSeverity: 'error',
  description: 'A decision record was made by a person who was not an effective decider of the initiative when it was decided.',
  rationale: 'A call made by someone without the authority is the boundary problem made visible: an executive who decided ' +
    'in another\'s place, or a decider who deferred informally; the people with the authority may not stand behind it.',
  remediation: 'Ask the effective decider at that time to confirm or redo the decision; if the record is what the organization wants, ' +
    'fix the registry so that it names the person who really decides (an Accountable role or a delegation).',
  options: NoOptions,
  defaults: {},
  check (model) {
    return model.decisions().flatMap((decision) => {
      const answer = model.decider(decision.initiativeId, decision.decidedAt)
      if (answer.deciders.some((d) => d.personId === decision.decidedBy)) return []
      const then = answer.deciders.length === 0
        ? 'no one could decide it then'
        : `the effective decider then was ${names(answer.deciders.map((d) => d.name))}`
      return [{
        subject: ref('decision', decision.id),
        related: [ref('initiative', decision.initiativeId), ref('person', decision.decidedBy)],
        message: `${model.nameOf(decision.decidedBy)} decided ${model.titleOf(decision.initiativeId)} at ${decision.decidedAt}, but ${then}`
      }]
    })
  }
}
