// The path to a decider with names beside the ids: a domain's name on an assignment step, both people's on a delegation.
import type { RegistrySource, ViaStep } from './types.js'

/** A step of the path with its names, every field of the step kept. */
export type NamedViaStep =
  | (Extract<ViaStep, { kind: 'assignment' }> & { domainName: string | null })
  | (Extract<ViaStep, { kind: 'delegation' }> & { fromName: string, toName: string })

/** The names as the source has them at the time it answers for; an id stands for a record it does not know. */
export function namedVia (source: RegistrySource, via: readonly ViaStep[]): NamedViaStep[] {
  return via.map((step) => step.kind === 'assignment'
    ? { ...step, domainName: step.domainId === null ? null : source.domain(step.domainId)?.name ?? step.domainId }
    : { ...step, fromName: source.person(step.from)?.name ?? step.from, toName: source.person(step.to)?.name ?? step.to })
}
