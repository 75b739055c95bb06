// delegation-cycle: delegations in force, deputies or transfers, that hand authority round in a loop.
import type { DelegationRecord } from '../../registry/types.js'
import { NoOptions, people, ref, type Rule } from '../rule.js'

/** How the message names the delegations of a loop, by their kinds. */
function kindsOf (loop: readonly DelegationRecord[]): string {
  if (loop.every((d) => d.kind === 'deputy')) return 'Deputy delegations'
  if (loop.every((d) => d.kind === 'transfer')) return 'Transfers of authority'
  return 'Delegations (deputies and transfers)'
}

export const delegationCycle: Rule<NoOptions> = {
  id: 'delegation-cycle',
  defaultSeverity: 'error',
  description: 'Delegations valid at the audit\'s time — deputies or transfers — form a loop over a common scope: each delegate hands the authority on, back to the first.',
  rationale: 'A loop of delegations looks like cover but leaves nobody holding the decision: each person believes someone else has it, ' +
    'and a lookup of who decides ends with no one.',
  remediation: 'Break the loop: end the delegation of whoever is available to decide, so that the authority stops with them.',
  options: NoOptions,
  defaults: {},
  reads: ['delegation'],
  check (model) {
    return model.delegationLoops().map((loop) => {
      const ids = loop.map((d) => d.id).sort()
      const round = [...loop.map((d) => model.nameOf(d.fromPersonId)), model.nameOf(loop[0]!.fromPersonId)]
      // The loop's last step hands the authority back to its first person: ending it leaves the authority with the last delegate.
      const last = loop[loop.length - 1]!
      return {
        subject: ref('delegation', ids[0]!),
        related: [...people(loop.map((d) => d.fromPersonId)), ...ids.map((id) => ref('delegation', id))],
        message: `${kindsOf(loop)} go round in a loop: ${round.join(' → ')}`,
        remediation: `End ${model.nameOf(last.fromPersonId)}'s ${last.kind === 'transfer' ? 'transfer' : 'deputy delegation'} to ` +
          `${model.nameOf(last.toPersonId)} (${last.id}) so that the authority stops with ${model.nameOf(last.fromPersonId)}, ` +
          `or end another delegation of the loop (${ids.join(', ')}) at whoever is available to decide.`,
        data: { delegationIds: loop.map((d) => d.id), kinds: loop.map((d) => d.kind) }
      }
    })
  }
}
