// Where a person decides at a time: candidates found by index-backed SQL, each confirmed by the resolver.
import type { Db } from '../store/connection.js'
import { authorityRows } from '../store/registry-rows.js'
import { MAX_DELEGATION_STEPS, resolveDecider, UnknownTargetError } from './resolver.js'
import { SqlSource } from '../store/sql-source.js'
import type { DeciderIndex } from './decider-index.js'
import type { Target, ViaStep } from './types.js'

export type How = 'direct' | 'inherited' | 'delegation'
export interface AuthorityEntry { target: Target, how: How, via: ViaStep[] }

/**
 * The targets where the person may be an effective decider: a superset, since a nearer A, a status or a more
 * specific delegation can still take it away; the resolver decides. The SQL walks the domain tree as it is now; for
 * a past time, the records whose place has changed since, and everything under a domain that has, are added.
 */
function candidates (db: Db, personId: string, at: string, changed: { initiatives: string[], domains: string[] }): Target[] {
  const scopes = decidingScopes(db, personId, at)
  const initiatives = new Set<string>([...changed.initiatives, ...scopes.initiatives])
  const roots = new Set<string>([...changed.domains, ...scopes.domains])
  const domains = new Set<string>()
  if (roots.size > 0) {
    for (const row of authorityRows.under(db, [...roots])) {
      (row.kind === 'domain' ? domains : initiatives).add(row.id)
    }
  }
  const sorted = (ids: Set<string>): string[] => [...ids].sort()
  return [
    ...sorted(initiatives).map((id) => ({ kind: 'initiative' as const, id })),
    ...sorted(domains).map((id) => ({ kind: 'domain' as const, id }))
  ]
}

/**
 * The initiatives and domains the person holds an A on at `at`, or is handed by a delegation (up to 5 steps; a
 * delegation for everything hands over whatever its delegator holds an A on). Domains as named: not what lies under them.
 */
export function decidingScopes (db: Db, personId: string, at: string): { initiatives: Set<string>, domains: Set<string> } {
  const initiatives = new Set<string>()
  const domains = new Set<string>()
  const formal = new Set([personId])
  for (const d of authorityRows.delegationsTowards(db, personId, at, MAX_DELEGATION_STEPS)) {
    if (d.initiativeId !== null) initiatives.add(d.initiativeId)
    else if (d.domainId !== null) domains.add(d.domainId)
    else if (d.allScopes) formal.add(d.fromPersonId)
  }
  for (const a of authorityRows.decidingOn(db, [...formal], at)) {
    if (a.initiativeId !== null) initiatives.add(a.initiativeId)
    if (a.domainId !== null) domains.add(a.domainId)
  }
  return { initiatives, domains }
}

/** How the person came to decide the target, from their path: their own A on it, on an ancestor, or handed over. */
function howOf (target: Target, via: ViaStep[]): How {
  const [first] = via
  if (via.length > 1 || first?.kind !== 'assignment') return 'delegation'
  const own = target.kind === 'initiative' ? first.level === 'initiative' : first.domainId === target.id
  return own ? 'direct' : 'inherited'
}

/** Every initiative and domain where the person is an effective decider at `at`, initiatives then domains, each in id order. */
export function findAuthority (db: Db, deciders: DeciderIndex, personId: string, at: string): AuthorityEntry[] {
  const index = deciders.current()
  const source = index?.asOf(at) ?? new SqlSource(db)
  const entries: AuthorityEntry[] = []
  for (const target of candidates(db, personId, at, index?.changedSince(at) ?? { initiatives: [], domains: [] })) {
    let answer
    try {
      answer = resolveDecider(source, target, at)
    } catch (error) {
      // A record that changed since `at` but did not exist then (deleted, made again later).
      if (error instanceof UnknownTargetError) continue
      throw error
    }
    const mine = answer.deciders.find((d) => d.personId === personId)
    if (mine !== undefined) entries.push({ target, how: howOf(target, mine.via), via: mine.via })
  }
  return entries
}
