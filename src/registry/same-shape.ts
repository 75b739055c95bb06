// Whether the records a slice holds stood at a past time exactly as they stand now.
import type { RegistrySource } from './types.js'

/**
 * Whether each person ('p:<id>'), initiative ('i:<id>') and domain ('d:<id>') the slice keys name is, in `then` (the
 * registry as recorded at a past time), the very record `now` holds: the decider index's asOf gives the current
 * object itself when no version of it was recorded after that time, so identity means "unchanged since", and any
 * change — even of a field no rule reads — answers false. A key of another kind answers false.
 */
export function sameShape (now: RegistrySource, then: RegistrySource, keys: readonly string[]): boolean {
  for (const key of keys) {
    const id = key.slice(2)
    switch (key.slice(0, 2)) {
      case 'p:': if (then.person(id) !== now.person(id)) return false; break
      case 'i:': if (then.initiative(id) !== now.initiative(id)) return false; break
      case 'd:': if (then.domain(id) !== now.domain(id)) return false; break
      default: return false
    }
  }
  return true
}
