// delegation-cycle: delegations in force that hand authority round in a loop.
import { NoOptions, people, ref, type Rule } from '../rule.js'

export const delegationCycle: Rule<NoOptions> = {
  id: 'delegation-cycle',
  defaultSeverity: 'error',
  description: 'Delegations valid at the audit\'s time form a loop over a common scope: each delegate hands the authority on, back to the first.',
  rationale: 'A loop of delegations looks like cover but leaves nobody holding the decision: each person believes someone else has it, ' +
    'and a lookup of who decides ends with no one.',
  remediation: 'Break the loop: end the delegation of whoever is available to decide, so that the authority stops with them.',
  options: NoOptions,
  defaults: {},
  check (model) {
    return model.delegationLoops().map((loop) => {
      const ids = loop.map((d) => d.id).sort()
      const round = [...loop.map((d) => model.nameOf(d.fromPersonId)), model.nameOf(loop[0]!.fromPersonId)]
      return {
        subject: ref('delegation', ids[0]!),
        related: [...people(loop.map((d) => d.fromPersonId)), ...ids.map((id) => ref('delegation', id))],
        message: `Delegations go round in a loop: ${round.join(' → ')}`,
        data: { delegationIds: loop.map((d) => d.id) }
      }
    })
  }
}
