// Words the rules' remediations share: who decides an initiative now, and who holds a role on it, named.
import type { ReadModel } from '../registry/read-model.js'
import type { RaciRoleName } from '../registry/types.js'
import { names } from './rule.js'

/** "Ada, its final decider" / "Ada and Bob, its final deciders"; undefined when nobody decides it now. */
export function deciderPhrase (model: ReadModel, initiativeId: string): string | undefined {
  const deciders = model.decider(initiativeId).deciders.map((d) => d.name)
  if (deciders.length === 0) return undefined
  return `${names(deciders)}, its final decider${deciders.length > 1 ? 's' : ''}`
}

/** The names of the people holding the role on the initiative (direct and inherited), in id order. */
export const holderNames = (model: ReadModel, initiativeId: string, role: RaciRoleName): string[] =>
  [...model.holderIds(initiativeId, role)].sort().map((id) => model.nameOf(id))

/** "Ada and Bob" joined with "or": "Ada or Bob", "Ada, Bob or Cyd". */
export function eitherOf (words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]!}`
}
