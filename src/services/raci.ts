// The RACI view of one initiative at a time T: its own role holders and those inherited up its domain tree, each A
// marked effective or overridden exactly as the decider resolver decides it.
import { now, toInstant } from '../clock.js'
import type { Db } from '../store/connection.js'
import { notFound } from '../errors.js'
import type { DeciderIndex } from '../registry/decider-index.js'
import { domainChain, formalAssignments } from '../registry/resolver.js'
import type { AssignmentRecord, RegistrySource } from '../registry/types.js'
import type { Raci, RaciHolder } from '../schemas/initiatives.js'
import { holdersAt } from '../store/raci.js'

/** One role holder as the API shows it; `formal` (A holders only) the ids of the A's the resolver starts from. */
export function raciHolder (
  source: RegistrySource,
  initiativeId: string,
  holder: { assignmentId: string, personId: string, domainId: string | null, validFrom: string, validTo: string | null, depth: number },
  formal?: ReadonlySet<string>
): RaciHolder {
  const { assignmentId, personId, domainId, validFrom, validTo, depth } = holder
  const origin = domainId === null
    ? { level: 'initiative' as const, id: initiativeId, name: source.initiative(initiativeId)?.title ?? initiativeId, distance: 0 }
    : { level: 'domain' as const, id: domainId, name: source.domain(domainId)?.name ?? domainId, distance: depth }
  return {
    assignmentId, personId, name: source.person(personId)?.name ?? personId, domainId, validFrom, validTo,
    source: domainId === null ? 'direct' : 'inherited',
    origin,
    ...(formal === undefined ? {} : { authority: formal.has(assignmentId) ? 'effective' as const : 'overridden' as const })
  }
}

/**
 * Every A valid at `at` on the initiative and up its domain chain, nearest first, each marked effective or
 * overridden: the organization-wide matrix's view of who holds final authority on a row.
 */
export function accountableAt (source: RegistrySource, initiativeId: string, at: string): RaciHolder[] {
  const initiative = source.initiative(initiativeId)
  if (initiative === undefined) return []
  const formal = new Set(formalAssignments(source, { kind: 'initiative', id: initiativeId }, at).map((a) => a.id))
  const levels: Array<{ assignments: readonly AssignmentRecord[], depth: number }> = [
    { assignments: source.holders({ kind: 'initiative', id: initiativeId }, 'A', at), depth: 0 },
    ...domainChain(source, initiative.domainId).map((id, i) => ({ assignments: source.holders({ kind: 'domain', id }, 'A', at), depth: i + 1 }))
  ]
  return levels.flatMap(({ assignments, depth }) => [...assignments]
    .sort((a, b) => a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : a.id < b.id ? -1 : Number(a.id > b.id))
    .map((a) => raciHolder(source, initiativeId, { assignmentId: a.id, personId: a.personId, domainId: depth === 0 ? null : a.domainId, validFrom: a.validFrom, validTo: a.validTo, depth }, formal)))
}

/** Where the decider answer for the same initiative and time is read. */
export const deciderLink = (initiativeId: string, at: string): string =>
  `/v1/initiatives/${encodeURIComponent(initiativeId)}/decider?at=${encodeURIComponent(at)}`

/** The holders of each role on the initiative at `at` (default now): direct first, then nearest domain outwards. */
export function getInitiativeRaci (db: Db, index: DeciderIndex, initiativeId: string, at?: string): Raci {
  const instant = at === undefined ? now() : toInstant(at)
  const source = index.sourceAt(instant)
  const initiative = source.initiative(initiativeId)
  if (initiative === undefined) throw notFound('initiatives', initiativeId)
  // The domain chain comes from the decider index, as it stood at T (src/store/versions.ts).
  const rows = holdersAt(db, initiativeId, instant, domainChain(source, initiative.domainId))
  const formal = new Set(formalAssignments(source, { kind: 'initiative', id: initiativeId }, instant).map((a) => a.id))
  const raci: Raci = { initiativeId, at: instant, decider: deciderLink(initiativeId, instant), R: [], A: [], C: [], I: [] }
  for (const { role, ...holder } of rows) raci[role].push(raciHolder(source, initiativeId, holder, role === 'A' ? formal : undefined))
  return raci
}
