// consult-overload: a live initiative that consults more people than a decision can listen to.
import Type, { type Static } from 'typebox'
import { deciderPhrase } from '../advice.js'
import { defaultsOf, HOLDER_READS, names, people, ref, type Rule } from '../rule.js'

const Options = Type.Object({
  maxConsulted: Type.Integer({ minimum: 0, default: 8, description: 'The most Consulted people on one initiative, direct and inherited.' })
}, { additionalProperties: false })

export const consultOverload: Rule<Static<typeof Options>> = {
  id: 'consult-overload',
  defaultSeverity: 'info',
  description: 'A live initiative has more than maxConsulted Consulted people, on itself and inherited from its domains.',
  rationale: 'Consulting everyone feels inclusive, but each person consulted expects to be heard before the call is made: ' +
    'past a handful, consultation turns into an informal veto round and the decision waits.',
  remediation: 'Keep as Consulted the people whose input changes the decision, and move the others to Informed; ' +
    'prune domain-level Consulted roles that every initiative there inherits.',
  options: Options,
  defaults: defaultsOf(Options),
  reads: HOLDER_READS,
  check (model, { maxConsulted }) {
    return model.liveInitiatives().flatMap((initiative) => {
      const consulted = model.holderIds(initiative.id, 'C')
      if (consulted.size <= maxConsulted) return []
      const title = model.titleOf(initiative.id)
      const who = deciderPhrase(model, initiative.id)
      const domains = [...new Set(model.holders(initiative.id, 'C').flatMap((h) => h.domainId === null ? [] : [h.domainId]))]
      return [{
        subject: ref('initiative', initiative.id),
        related: people(consulted),
        message: `${model.titleOf(initiative.id)} consults ${consulted.size} people (more than ${maxConsulted})`,
        remediation: `${who === undefined ? 'Keep' : `Ask ${who}, to keep`} as Consulted on ${title} at most ${maxConsulted} of its ` +
          `${consulted.size} Consulted people, those whose input changes the decision, and make the others Informed` +
          (domains.length === 0 ? '' : `; prune the Consulted roles on ${names(domains.map((d) => model.domainLabel(d)))}, which every initiative there inherits`),
        data: { consulted: consulted.size, maxConsulted }
      }]
    })
  }
}
