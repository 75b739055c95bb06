// decider-overload: one person is the effective decider of more live initiatives than they can decide well.
import Type, { type Static } from 'typebox'
import type { ReadModel } from '../../registry/read-model.js'
import { DECIDER_READS, defaultsOf, names, ref, type Rule } from '../rule.js'

/** What to hand over: the domain holding most of the person's initiatives, or else a few of the initiatives by name. */
function handOver (model: ReadModel, personId: string, initiativeIds: readonly string[], max: number): string {
  const byDomain = new Map<string, number>()
  for (const id of initiativeIds) {
    const domainId = model.initiative(id)?.domainId
    if (domainId != null) byDomain.set(domainId, (byDomain.get(domainId) ?? 0) + 1)
  }
  const [top] = [...byDomain].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  const who = model.nameOf(personId)
  const limit = `, so that they decide at most ${max}`
  if (top === undefined) {
    return `Have ${who} delegate the decision on some of their ${initiativeIds.length} initiatives (such as ` +
      `${names(initiativeIds.slice(0, 2).map((id) => model.titleOf(id)))}) to the people closest to them${limit}`
  }
  return `Have ${who} delegate ${model.domainLabel(top[0])} (${top[1]} of their ${initiativeIds.length} initiatives) to the person closest to it, ` +
    `or split it so that each part has its own Accountable person${limit}`
}

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
  reads: DECIDER_READS,
  check (model, { maxInitiatives }) {
    return [...model.deciderLoads()]
      .filter(([, initiativeIds]) => initiativeIds.length > maxInitiatives)
      .map(([personId, initiativeIds]) => ({
        subject: ref('person', personId),
        related: initiativeIds.map((id) => ref('initiative', id)),
        message: `${model.nameOf(personId)} is the final decider of ${initiativeIds.length} live initiatives (more than ${maxInitiatives})`,
        remediation: handOver(model, personId, initiativeIds, maxInitiatives),
        data: { initiatives: initiativeIds.length, maxInitiatives }
      }))
  }
}
