// delegation-to-inactive: a delegation in force, deputy or transfer, that hands authority to someone who is not active.
import { NoOptions, ref, statusWord, targetOf, type Rule } from '../rule.js'

export const delegationToInactive: Rule<NoOptions> = {
  id: 'delegation-to-inactive',
  defaultSeverity: 'error',
  description: 'A delegation valid at the audit\'s time — a deputy or a transfer — names a delegate who is on leave, departed or retired.',
  rationale: 'A delegation is the plan for when the decider is away; if the deputy is away too, the plan fails exactly when it is needed ' +
    'and the decision falls to whoever happens to be around. A transfer to someone away leaves no one deciding at all, the delegator included.',
  remediation: 'End the delegation and record one to an active deputy, or have the delegator take the authority back.',
  options: NoOptions,
  defaults: {},
  reads: ['delegation', 'person.status'],
  check (model) {
    return model.delegations()
      .filter((d) => model.statusOf(d.toPersonId) !== 'active')
      .map((d) => {
        const target = targetOf(model, d)
        const from = model.nameOf(d.fromPersonId)
        const to = model.nameOf(d.toPersonId)
        const what = target === undefined ? 'all their authority' : `the decision on ${target.label}`
        const transfer = d.kind === 'transfer'
        return {
          subject: ref('delegation', d.id),
          related: [ref('person', d.fromPersonId), ref('person', d.toPersonId), ...target === undefined ? [] : [target.ref]],
          message: `${from} ${transfer ? 'transfers' : 'delegates'} ${what} to ${to}${transfer ? '' : ' (deputy)'}, ` +
            `who is ${statusWord(model.statusOf(d.toPersonId))}${transfer ? `: while the transfer holds, ${from} cannot decide either` : ''}`,
          remediation: transfer
            ? `End the transfer ${d.id} so that ${from} decides again, or transfer ${what} to an active person instead of ${to}.`
            : `End the delegation ${d.id} and name an active deputy for ${from} instead of ${to}, or have ${from} take the authority back.`,
          data: { kind: d.kind }
        }
      })
  }
}
