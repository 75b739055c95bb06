// absent-decider: a live initiative whose formal deciders are all away, with no delegation that reaches an active deputy.
import { eitherOf } from '../advice.js'
import { DECIDER_READS, names, NoOptions, people, ref, statusWord, type Rule } from '../rule.js'

export const absentDecider: Rule<NoOptions> = {
  id: 'absent-decider',
  defaultSeverity: 'error',
  description: 'A live initiative has final deciders on record, but none of them is active and none has delegated to an active deputy.',
  rationale: 'A decider on leave, departed or retired cannot make the call, yet still blocks anyone else from making it: ' +
    'the change waits for someone who is not coming back, or is decided informally by whoever is around.',
  remediation: 'Record a delegation from the absent decider to an active deputy for the time they are away, ' +
    'or end their Accountable assignment and name a successor.',
  options: NoOptions,
  defaults: {},
  reads: DECIDER_READS,
  check (model) {
    return model.liveInitiatives()
      .map((initiative) => ({ initiative, answer: model.decider(initiative.id) }))
      .filter(({ answer }) => answer.resolution === 'absent')
      .map(({ initiative, answer }) => ({
        subject: ref('initiative', initiative.id),
        related: people(answer.absent.map((a) => a.personId)),
        message: `No one can decide ${model.titleOf(initiative.id)}: ` +
          `${names(answer.absent.map((a) => `${a.name} is ${statusWord(a.status)}`))}, with no delegation to an active deputy`,
        remediation: `Record a delegation from ${eitherOf(answer.absent.map((a) => a.name))} to an active deputy for ${model.titleOf(initiative.id)} ` +
          `while they are away, or end ${answer.absent.length > 1 ? 'their Accountable roles' : `the Accountable role of ${answer.absent[0]!.name}`} ` +
          'and name an active successor'
      }))
  }
}
