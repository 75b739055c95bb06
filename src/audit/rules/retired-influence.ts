// retired-influence: a retired or departed person who still holds a role, or still steers, where decisions are made.
import type { RuleFinding } from '../../registry/types.js'
import { dateWords, DECIDER_READS, names, NoOptions, ref, ROLE_WORDS, targetOf, type Rule } from '../rule.js'

/** Talk it through with the people involved, then delete the influence record. */
const talk = (who: string[], what: string): string =>
  `Talk openly with ${names(who)} about who has the final word on ${what}; once they agree, delete the influence record`

export const retiredInfluence: Rule<NoOptions> = {
  id: 'retired-influence',
  defaultSeverity: 'warning',
  description: 'A retired or departed person holds a Responsible, Accountable or Consulted role on a live initiative or a domain, ' +
    'or is observed steering a live initiative, a domain, or someone who decides a live initiative.',
  rationale: 'The founder who handed the business over but still steers the new CEO: the record says one person decides, ' +
    'the organization follows another, and nobody can hold the real decider accountable.',
  remediation: 'End the role (keep them Informed, or as an advisor, if their experience is wanted) and talk openly with both people ' +
    'about who has the final word; once they agree, record the influence as resolved by deleting it.',
  options: NoOptions,
  defaults: {},
  reads: [...DECIDER_READS, 'influence'],
  check (model) {
    const gone = new Map<string, string>()
    for (const p of model.people()) {
      const status = model.statusOf(p.id)
      if (status === 'retired' || status === 'departed') gone.set(p.id, `${p.name} (${status})`)
    }
    const findings: RuleFinding[] = []
    for (const a of model.assignments()) {
      const who = a.role === 'I' ? undefined : gone.get(a.personId)
      if (who === undefined || (a.initiativeId !== null && model.liveInitiative(a.initiativeId) === undefined)) continue
      const target = targetOf(model, a)
      if (target === undefined) continue
      const name = model.nameOf(a.personId)
      findings.push({
        subject: ref('person', a.personId),
        related: [ref('assignment', a.id), target.ref],
        message: `${who} still holds ${ROLE_WORDS[a.role]} on ${target.label}`,
        remediation: `End the ${ROLE_WORDS[a.role]} role of ${name} on ${target.label} (keep them Informed, or as an advisor, if their experience is wanted)` +
          (a.role === 'C' ? '' : ` and name an active person ${ROLE_WORDS[a.role]} in their place`)
      })
    }
    for (const influence of model.influences()) {
      const who = gone.get(influence.personId)
      if (who === undefined) continue
      const target = targetOf(model, influence)
      const over = influence.overPersonId
      const observed = `(${influence.strength} influence observed ${dateWords(influence.observedAt)})`
      const name = model.nameOf(influence.personId)
      if (target !== undefined && (target.ref.kind === 'domain' || model.liveInitiative(target.ref.id) !== undefined)) {
        const deciders = target.ref.kind === 'initiative' ? model.decider(target.ref.id).deciders.map((d) => d.name) : []
        findings.push({
          subject: ref('person', influence.personId),
          related: [ref('influence', influence.id), target.ref],
          message: `${who} still steers ${target.label} ${observed}`,
          remediation: talk([name, ...deciders], target.label)
        })
      } else if (over !== null && model.liveInitiativesDecidedBy(over).length > 0) {
        const decided = model.liveInitiativesDecidedBy(over)
        const more = decided.length > 1 ? ` and ${decided.length - 1} other live initiative${decided.length > 2 ? 's' : ''}` : ''
        findings.push({
          subject: ref('person', influence.personId),
          related: [ref('influence', influence.id), ref('person', over), ...decided.map((id) => ref('initiative', id))],
          message: `${who} still steers ${model.nameOf(over)}, who decides ${model.titleOf(decided[0]!)}${more} ${observed}`,
          remediation: talk([name, model.nameOf(over)], `${model.titleOf(decided[0]!)}${more}`)
        })
      }
    }
    return findings
  }
}
