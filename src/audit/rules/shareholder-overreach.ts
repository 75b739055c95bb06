// shareholder-overreach: a shareholder outside the management line who holds, or steers, the final decision.
import type { PersonRecord, RuleFinding } from '../../registry/types.js'
import { DECIDER_READS, names, NoOptions, ref, type Rule } from '../rule.js'

const outsider = (p: PersonRecord | undefined): boolean =>
  p !== undefined && p.tags.includes('shareholder') && !p.tags.includes('executive') && !p.tags.includes('board')

/** Give the shareholder a formal voice and agree openly who decides. */
function voice (shareholder: string, title: string, deciders: readonly string[]): string {
  const agree = deciders.length === 0 ? `name an executive Accountable for ${title}` : `agree openly that ${names(deciders)} ${deciders.length > 1 ? 'decide' : 'decides'} ${title}`
  return `Give ${shareholder} a formal voice on ${title} (Consulted, or through the board) instead of steering it, and ${agree}`
}

export const shareholderOverreach: Rule<NoOptions> = {
  id: 'shareholder-overreach',
  defaultSeverity: 'warning',
  description: 'A shareholder who is neither an executive nor on the board holds the final decision on a live initiative ' +
    '(directly or through its domains), or strongly influences it or one of its deciders.',
  rationale: 'Shareholders who invested heavily can feel entitled to call the shots; when they do it from outside the management line, ' +
    'the executives who answer for the result are not the ones deciding, and the team gets two bosses.',
  remediation: 'Move the final decision to an executive, and give the shareholder a formal voice instead (Consulted, or through the board); ' +
    'if they must decide, make the role official by adding them to the board or the executive team.',
  options: NoOptions,
  defaults: {},
  reads: [...DECIDER_READS, 'person.tags', 'influence'],
  check (model) {
    const findings: RuleFinding[] = []
    const who = (personId: string): string => `${model.nameOf(personId)} (shareholder, not executive or board)`
    for (const initiative of model.liveInitiatives()) {
      for (const holder of model.formalDeciders(initiative.id)) {
        if (!outsider(model.person(holder.personId))) continue
        const through = holder.domainId === null ? '' : ` through ${model.domainLabel(holder.domainId)}`
        const name = model.nameOf(holder.personId)
        findings.push({
          subject: ref('person', holder.personId),
          related: [ref('initiative', initiative.id), ref('assignment', holder.assignment.id)],
          message: `${who(holder.personId)} holds the final decision on ${model.titleOf(initiative.id)}${through}`,
          remediation: `Make an executive Accountable for ${model.titleOf(initiative.id)} in place of ${name}` +
            `${holder.domainId === null ? '' : ` (who holds it${through})`} and make ${name} Consulted; if ${name} must decide, ` +
            'add them to the board or the executive team'
        })
      }
    }
    for (const influence of model.influences()) {
      if (influence.strength !== 'high' || !outsider(model.person(influence.personId))) continue
      const subject = ref('person', influence.personId)
      if (influence.initiativeId !== null && model.liveInitiative(influence.initiativeId) !== undefined) {
        const deciders = model.decider(influence.initiativeId).deciders.map((d) => d.name)
        findings.push({ subject, related: [ref('initiative', influence.initiativeId), ref('influence', influence.id)],
          message: `${who(influence.personId)} strongly influences ${model.titleOf(influence.initiativeId)}`,
          remediation: voice(model.nameOf(influence.personId), model.titleOf(influence.initiativeId), deciders) })
      }
      const over = influence.overPersonId
      if (over === null) continue
      for (const initiativeId of model.liveInitiativesDecidedBy(over)) {
        findings.push({ subject, related: [ref('initiative', initiativeId), ref('influence', influence.id), ref('person', over)],
          message: `${who(influence.personId)} strongly influences ${model.nameOf(over)}, who decides ${model.titleOf(initiativeId)}`,
          remediation: voice(model.nameOf(influence.personId), model.titleOf(initiativeId), [model.nameOf(over)]) })
      }
    }
    return findings
  }
}
