// The rule registry: every audit rule, sorted by id.
import type { Rule } from '../rule.js'
import { absentDecider } from './absent-decider.js'
import { consultOverload } from './consult-overload.js'
import { decidedByNonDecider } from './decided-by-non-decider.js'
import { deciderOverload } from './decider-overload.js'
import { decisionOverdue } from './decision-overdue.js'
import { delegationCycle } from './delegation-cycle.js'
import { delegationToInactive } from './delegation-to-inactive.js'
import { multipleFinalDeciders } from './multiple-final-deciders.js'
import { noFinalDecider } from './no-final-decider.js'
import { noResponsible } from './no-responsible.js'
import { retiredInfluence } from './retired-influence.js'
import { reversedTransfer } from './reversed-transfer.js'
import { shareholderOverreach } from './shareholder-overreach.js'
import { unanimityTrap } from './unanimity-trap.js'

export type { Rule }

/** Every rule, in id order (the order of the catalogue and of a run). */
export const rules: readonly Rule[] = Object.freeze<Rule[]>([
  absentDecider,
  consultOverload,
  decidedByNonDecider,
  deciderOverload,
  decisionOverdue,
  delegationCycle,
  delegationToInactive,
  multipleFinalDeciders,
  noFinalDecider,
  noResponsible,
  retiredInfluence,
  reversedTransfer,
  shareholderOverreach,
  unanimityTrap
])

const byId = new Map(rules.map((rule) => [rule.id, rule]))

/** The rule with this id, or undefined. */
export const ruleById = (id: string): Rule | undefined => byId.get(id)
