// delegation-to-inactive: a delegation in force that hands authority to someone who is not active.
import { NoOptions, ref, statusWord, targetOf, type Rule } from '../rule.js'

export const delegationToInactive: Rule<NoOptions> = {
  id: 'delegation-to-inactive',
  defaultSeverity: 'error',
  description: 'A delegation valid at the audit\'s time names a delegate who is on leave, departed or retired.',
  rationale: 'A delegation is the plan for when the decider is away; if the deputy is away too, the plan fails exactly when it is needed ' +
    'and the decision falls to whoever happens to be around.',
  remediation: 'End the delegation and record one to an active deputy, or have the delegator take the authority back.',
  options: NoOptions,
  defaults: {},
  check (model) {
    return model.delegations()
      .filter((d) => model.statusOf(d.toPersonId) !== 'active')
      .map((d) => {
        const target = targetOf(model, d)
        return {
          subject: ref('delegation', d.id),
          related: [ref('person', d.fromPersonId), ref('person', d.toPersonId), ...target === undefined ? [] : [target.ref]],
          message: `${model.nameOf(d.fromPersonId)} delegates ${target === undefined ? 'all their authority' : `the decision on ${target.label}`} ` +
            `to ${model.nameOf(d.toPersonId)}, who is ${statusWord(model.statusOf(d.toPersonId))}`
        }
      })
  }
}
