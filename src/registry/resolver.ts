// Who decides a target at a time: formal deciders up the domain tree, absent ones replaced through delegations, and
// anyone's authority handed over by a transfer followed whatever their status.
import type { DecisionRule, PersonStatus } from '../../db/schema.js'
import type {
  AbsentDecider, AssignmentRecord, DeciderAnswer, DelegationRecord, EffectiveDecider, RegistrySource, Resolution, Target, ViaStep
} from './types.js'

/** At most this many delegations are followed from one formal decider. */
export const MAX_DELEGATION_STEPS = 5
/** A domain tree deeper than this is treated as a loop (the domains service refuses loops; this only bounds a walk). */
export const MAX_DOMAIN_DEPTH = 1000

/** The target does not exist in the source. */
export class UnknownTargetError extends Error {
  override name = 'UnknownTargetError'
  constructor (readonly target: Target) {
    super(`No ${target.kind} with id "${target.id}"`)
  }
}

/** Where a target sits: its own id if an initiative, and its domain chain, nearest first. */
interface Place {
  target: Target
  decisionRule: DecisionRule
  initiativeId: string | null
  /** The domain chain, nearest first, fetched lazily: most lookups stop at the first level with an A. */
  chain: (depth: number) => string | undefined
}

function placeOf (source: RegistrySource, target: Target): Place {
  let first: string | null
  let decisionRule: DecisionRule = 'single'
  if (target.kind === 'initiative') {
    const initiative = source.initiative(target.id)
    if (initiative === undefined) throw new UnknownTargetError(target)
    first = initiative.domainId
    decisionRule = initiative.decisionRule
  } else {
    if (source.domain(target.id) === undefined) throw new UnknownTargetError(target)
    first = target.id
  }
  const known: string[] = first === null ? [] : [first]
  let ended = first === null
  const chain = (depth: number): string | undefined => {
    while (!ended && known.length <= depth) {
      const parentId = source.domain(known[known.length - 1]!)?.parentId ?? null
      // A parent already on the chain, or a chain too deep, is a loop: stop before going round it.
      if (parentId === null || known.length >= MAX_DOMAIN_DEPTH || known.includes(parentId)) ended = true
      else known.push(parentId)
    }
    return known[depth]
  }
  return { target, decisionRule, initiativeId: target.kind === 'initiative' ? target.id : null, chain }
}

/** The domain and its ancestors, nearest first, as the source has them; a loop or a chain too deep is cut. */
export function domainChain (source: RegistrySource, domainId: string | null): string[] {
  const chain: string[] = []
  for (let id = domainId; id !== null && chain.length < MAX_DOMAIN_DEPTH && !chain.includes(id); id = source.domain(id)?.parentId ?? null) {
    chain.push(id)
  }
  return chain
}

interface Formal { assignment: AssignmentRecord, step: ViaStep }

/** The A assignments valid at `at` on the nearest level that has any: the initiative, then its domains outwards. */
function formalDeciders (source: RegistrySource, place: Place, at: string): Formal[] {
  if (place.initiativeId !== null) {
    const own = source.holders({ kind: 'initiative', id: place.initiativeId }, 'A', at)
    if (own.length > 0) return own.map((assignment) => ({ assignment, step: { kind: 'assignment', id: assignment.id, level: 'initiative', domainId: null } }))
  }
  for (let depth = 0; ; depth++) {
    const domainId = place.chain(depth)
    if (domainId === undefined) return []
    const held = source.holders({ kind: 'domain', id: domainId }, 'A', at)
    if (held.length > 0) return held.map((assignment) => ({ assignment, step: { kind: 'assignment', id: assignment.id, level: 'domain', domainId } }))
  }
}

/** How specific a delegation's scope is for the place: 0 the initiative, 1 + depth a domain of its chain, or undefined. */
function specificity (place: Place, d: DelegationRecord): number | undefined {
  if (d.initiativeId !== null) return d.initiativeId === place.initiativeId ? 0 : undefined
  if (d.domainId !== null) {
    for (let depth = 0; ; depth++) {
      const domainId = place.chain(depth)
      if (domainId === undefined) return undefined
      if (domainId === d.domainId) return 1 + depth
    }
  }
  return d.allScopes ? Number.MAX_SAFE_INTEGER : undefined
}

/**
 * The person's delegation valid at `at` that covers the place most specifically (ties go to the lowest id), among
 * those that apply: every kind while the person is not active, only transfers while they are.
 */
function coveringDelegation (source: RegistrySource, place: Place, personId: string, at: string, active: boolean): DelegationRecord | undefined {
  let best: DelegationRecord | undefined
  let bestRank = Infinity
  for (const d of source.delegationsFrom(personId, at)) {
    if (active && d.kind !== 'transfer') continue
    const rank = specificity(place, d)
    if (rank !== undefined && (rank < bestRank || (rank === bestRank && best !== undefined && d.id < best.id))) {
      best = d
      bestRank = rank
    }
  }
  return best
}

/**
 * Follows delegations from a formal decider to the person who decides: an active person with no transfer covering
 * the place decides; an inactive one hands on through any covering delegation, an active one only through a
 * transfer. Undefined when the chain ends first (no delegation from an inactive person, a loop, too many steps).
 */
function delegatePath (source: RegistrySource, place: Place, personId: string, at: string): { personId: string, steps: ViaStep[] } | undefined {
  const seen = new Set([personId])
  const steps: ViaStep[] = []
  let current = personId
  for (;;) {
    const active = source.statusAt(current, at) === 'active'
    const d = coveringDelegation(source, place, current, at, active)
    if (d === undefined) return active ? { personId: current, steps } : undefined
    if (seen.has(d.toPersonId) || steps.length === MAX_DELEGATION_STEPS) return undefined
    steps.push({ kind: 'delegation', id: d.id, from: d.fromPersonId, to: d.toPersonId, validTo: d.validTo, delegationKind: d.kind })
    current = d.toPersonId
    seen.add(current)
  }
}

const nameOf = (source: RegistrySource, personId: string): string => source.person(personId)?.name ?? personId

/** Who decides the target at `at`, and why. Pure over the source: no clock, no I/O of its own. */
export function resolveDecider (source: RegistrySource, target: Target, at: string): DeciderAnswer {
  const place = placeOf(source, target)
  const formal = formalDeciders(source, place, at)
  const deciders: EffectiveDecider[] = []
  const absent: AbsentDecider[] = []
  const decided = new Set<string>()
  const missing = new Set<string>()
  for (const { assignment, step } of formal) {
    const personId = assignment.personId
    const status: PersonStatus = source.statusAt(personId, at)
    const effective = delegatePath(source, place, personId, at)
    if (effective === undefined) {
      if (!missing.has(personId)) absent.push({ personId, name: nameOf(source, personId), status })
      missing.add(personId)
    } else if (!decided.has(effective.personId)) {
      decided.add(effective.personId)
      deciders.push({ personId: effective.personId, name: nameOf(source, effective.personId), via: [step, ...effective.steps] })
    }
  }
  const resolution: Resolution = formal.length === 0
    ? 'none'
    : deciders.length === 0
      ? 'absent'
      : deciders.length > 1 && place.decisionRule === 'single' ? 'ambiguous' : 'clear'
  return { target, at, decisionRule: place.decisionRule, resolution, deciders, absent }
}

/**
 * The formal deciders' A assignments at `at`: those of the nearest level that has any (the initiative, then its
 * domains outwards), exactly the ones resolveDecider starts from. Every other A valid then is overridden by them.
 */
export function formalAssignments (source: RegistrySource, target: Target, at: string): AssignmentRecord[] {
  return formalDeciders(source, placeOf(source, target), at).map(({ assignment }) => assignment)
}
