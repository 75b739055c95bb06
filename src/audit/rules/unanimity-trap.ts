// unanimity-trap: a unanimous initiative with too many approvers, or approvers who report to one another.
import Type, { type Static } from 'typebox'
import { defaultsOf, HOLDER_READS, names, people, ref, type Rule } from '../rule.js'

const Options = Type.Object({
  maxApprovers: Type.Integer({ minimum: 1, default: 3, description: 'The most Accountable people a unanimous initiative may need.' })
}, { additionalProperties: false })

export const unanimityTrap: Rule<Static<typeof Options>> = {
  id: 'unanimity-trap',
  defaultSeverity: 'warning',
  description: 'A live unanimous initiative needs more than maxApprovers people to agree, or some of its Accountable people ' +
    'report (directly or further down the line) to another of them.',
  rationale: 'A leader who shares power is good; a leader who will not pull the trigger until every subordinate approves is not. ' +
    'Each extra approver is a veto, and a subordinate with a veto over their own manager blurs who keeps the team on the objective.',
  remediation: 'Name one final decider and make the others Consulted; if a group must decide, keep it small, drop the members ' +
    'who report to another member, or use the pool rule so that any one of them may decide.',
  options: Options,
  defaults: defaultsOf(Options),
  reads: [...HOLDER_READS, 'initiative.decisionRule', 'person.managerId'],
  check (model, { maxApprovers }) {
    return model.liveInitiatives().filter((i) => i.decisionRule === 'unanimous').flatMap((initiative) => {
      const approvers = [...new Set(model.formalDeciders(initiative.id).map((h) => h.personId))].sort()
      const pairs = approvers.flatMap((personId) => approvers
        .filter((managerId) => managerId !== personId && model.reportsTo(personId, managerId))
        .map((managerId) => ({ personId, managerId })))
      const reporting = pairs.map(({ personId, managerId }) => `${model.nameOf(personId)} reports to ${model.nameOf(managerId)}`)
      const reports = [...new Set(pairs.map((p) => p.personId))].map((id) => model.nameOf(id))
      const tooMany = approvers.length > maxApprovers
      if (!tooMany && reporting.length === 0) return []
      const reasons = [
        ...tooMany ? [`all ${approvers.length} of its Accountable people must agree (more than ${maxApprovers})`] : [],
        ...reporting.length > 0 ? [names(reporting)] : []
      ]
      return [{
        subject: ref('initiative', initiative.id),
        related: people(approvers),
        message: `${model.titleOf(initiative.id)} is decided unanimously: ${reasons.join('; ')}`,
        remediation: `Make one of ${names(approvers.map((id) => model.nameOf(id)))} the final decider of ${model.titleOf(initiative.id)} and the other${approvers.length > 2 ? 's' : ''} Consulted` +
          (reports.length === 0 ? '' : `, or drop ${names(reports)} from its Accountable people`) +
          (tooMany ? `, or keep at most ${maxApprovers} approvers` : '') + ', or use the pool rule so that any one of them may decide',
        data: { approvers: approvers.length, maxApprovers }
      }]
    })
  }
}
