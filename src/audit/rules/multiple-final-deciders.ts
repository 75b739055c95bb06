// multiple-final-deciders: a live single-decider initiative with more than one effective final decider.
import { DECIDER_READS, names, NoOptions, people, ref, type Rule } from '../rule.js'

export const multipleFinalDeciders: Rule<NoOptions> = {
  id: 'multiple-final-deciders',
  defaultSeverity: 'error',
  description: 'A live initiative under the single-decider rule has more than one final decider.',
  rationale: 'Two final deciders is the road trip where half the car wants Los Angeles and half Seattle: ' +
    'each can overrule the other, so the team waits, splits, or follows whoever spoke last.',
  remediation: 'Keep one Accountable person and make the others Consulted, or declare the initiative a pool ' +
    'if any one of them may decide alone, or unanimous if they must all agree.',
  options: NoOptions,
  defaults: {},
  reads: DECIDER_READS,
  check (model) {
    return model.liveInitiatives()
      .map((initiative) => ({ initiative, answer: model.decider(initiative.id) }))
      .filter(({ answer }) => answer.resolution === 'ambiguous')
      .map(({ initiative, answer }) => ({
        subject: ref('initiative', initiative.id),
        related: people(answer.deciders.map((d) => d.personId)),
        message: `${answer.deciders.length} people hold the final decision on ${model.titleOf(initiative.id)}: ` +
          names(answer.deciders.map((d) => d.name)),
        remediation: `Make one of ${names(answer.deciders.map((d) => d.name))} Accountable for ${model.titleOf(initiative.id)} and ` +
          `the other${answer.deciders.length > 2 ? 's' : ''} Consulted or Responsible, or split the initiative; ` +
          'if any one of them may decide alone, declare it a pool'
      }))
  }
}
