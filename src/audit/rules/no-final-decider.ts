// no-final-decider: a live initiative with no Accountable anywhere, on itself or up its domains.
import { holderNames } from '../advice.js'
import type { ReadModel } from '../../registry/read-model.js'
import type { InitiativeRecord } from '../../registry/types.js'
import { DECIDER_READS, names, NoOptions, ref, type Rule } from '../rule.js'

/** Name an Accountable on the initiative or its domain; who is Responsible for it, when someone is, as a likely candidate. */
function nameOne (model: ReadModel, initiative: InitiativeRecord): string {
  const domain = initiative.domainId === null ? '' : `, or on ${model.domainLabel(initiative.domainId)} if one person should decide every initiative there`
  const responsible = holderNames(model, initiative.id, 'R')
  const who = responsible.length === 0 ? '' : ` (${names(responsible)} ${responsible.length > 1 ? 'are' : 'is'} Responsible for it)`
  return `Name one Accountable person on ${model.titleOf(initiative.id)}${who}${domain}`
}

export const noFinalDecider: Rule<NoOptions> = {
  id: 'no-final-decider',
  defaultSeverity: 'error',
  description: 'A live initiative has no final decider: no Accountable on the initiative or on any of its domains.',
  rationale: 'Where nobody knows who has the final word, the change stalls or the loudest voice decides by default, ' +
    'and those overruled feel the decision was never legitimate.',
  remediation: 'Name one Accountable person on the initiative, or on its domain if that person should decide every initiative there.',
  options: NoOptions,
  defaults: {},
  reads: DECIDER_READS,
  check (model) {
    return model.liveInitiatives()
      .filter((initiative) => model.decider(initiative.id).resolution === 'none')
      .map((initiative) => ({
        subject: ref('initiative', initiative.id),
        related: [],
        message: `No one holds the final decision on ${model.titleOf(initiative.id)}: no Accountable on it or on its domains`,
        remediation: nameOne(model, initiative)
      }))
  }
}
