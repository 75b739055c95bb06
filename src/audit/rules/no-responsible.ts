// no-responsible: a live initiative that nobody is Responsible for carrying out.
import { deciderPhrase } from '../advice.js'
import { HOLDER_READS, NoOptions, ref, type Rule } from '../rule.js'

const askOrName = (decider: string | undefined): string => decider === undefined ? 'Name' : `Ask ${decider}, to name`

export const noResponsible: Rule<NoOptions> = {
  id: 'no-responsible',
  defaultSeverity: 'warning',
  description: 'A live initiative has no Responsible person, on the initiative itself or inherited from its domains.',
  rationale: 'A decision with nobody Responsible for the work is agreed in the meeting and done by no one; ' +
    'later, the executives point fingers at each other instead of at the gap.',
  remediation: 'Name who does the work as Responsible on the initiative (or on its domain, if the same team carries every initiative there).',
  options: NoOptions,
  defaults: {},
  reads: HOLDER_READS,
  check (model) {
    return model.liveInitiatives()
      .filter((initiative) => !model.hasHolder(initiative.id, 'R'))
      .map((initiative) => ({
        subject: ref('initiative', initiative.id),
        related: [],
        message: `No one is Responsible for ${model.titleOf(initiative.id)}, on it or on its domains`,
        remediation: `${askOrName(deciderPhrase(model, initiative.id))} who does the work as Responsible on ${model.titleOf(initiative.id)}` +
          (initiative.domainId === null ? '' : `, or on ${model.domainLabel(initiative.domainId)} if the same team carries every initiative there`)
      }))
  }
}
