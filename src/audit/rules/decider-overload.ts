// decider-overload: one person is the effective decider of more live initiatives than they can decide well.
import Type, { type Static } from 'typebox'
import { defaultsOf, ref, type Rule } from '../rule.js'

const Options = Type.Object({
  maxInitiatives: Type.Integer({ minimum: 1, default: 15, description: 'The most live initiatives one person may be the effective decider of.' })
}, { additionalProperties: false })

export const deciderOverload: Rule<Static<typeof Options>> = {
  id: 'decider-overload',
  defaultSeverity: 'info',
  description: 'A person is the effective decider (directly, through domains or by delegation) of more than maxInitiatives live initiatives.',
  rationale: 'A decider with too many open decisions becomes the bottleneck: initiatives wait in their queue, ' +
    'and others start deciding informally around them.',
  remediation: 'Delegate whole domains to the people closest to them, or split the domain so that each part has its own Accountable person.',
  options: Options,
  defaults: defaultsOf(Options),
  check (model, { maxInitiatives }) {
    return [...model.deciderLoads()]
      .filter(([, initiativeIds]) => initiativeIds.length > maxInitiatives)
      .map(([personId, initiativeIds]) => ({
        subject: ref('person', personId),
        related: initiativeIds.map((id) => ref('initiative', id)),
        message: `${model.nameOf(personId)} is the final decider of ${initiativeIds.length} live initiatives (more than ${maxInitiatives})`,
        data: { initiatives: initiativeIds.length, maxInitiatives }
      }))
  }
}
