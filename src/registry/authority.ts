// Where a person decides at a time: candidates found by index-backed SQL, each confirmed by the resolver.
import { statement, type Db } from '../store/connection.js'
import { MAX_DELEGATION_STEPS, MAX_DOMAIN_DEPTH, resolveDecider, UnknownTargetError } from './resolver.js'
import { SqlSource } from '../store/sql-source.js'
import type { DeciderIndex } from './decider-index.js'
import type { Target, ViaStep } from './types.js'

export type How = 'direct' | 'inherited' | 'delegation'
export interface AuthorityEntry { target: Target, how: How, via: ViaStep[] }

/*
 * The delegations that may hand authority to the person: those to them valid at @at, and (up to the resolver's
 * five steps) those to each of their delegators in turn. Served by delegations_to_idx.
 */
const DELEGATIONS_TOWARDS = `WITH RECURSIVE chain(id, fromPersonId, depth) AS (
    SELECT id, from_person_id, 1 FROM delegations
    WHERE to_person_id = @personId AND valid_from <= @at AND (valid_to IS NULL OR valid_to > @at)
    UNION
    SELECT g.id, g.from_person_id, chain.depth + 1 FROM chain JOIN delegations g ON g.to_person_id = chain.fromPersonId
    WHERE chain.depth < @steps AND g.valid_from <= @at AND (g.valid_to IS NULL OR g.valid_to > @at)
  )
  SELECT DISTINCT g.from_person_id AS fromPersonId, g.initiative_id AS initiativeId, g.domain_id AS domainId, g.all_scopes AS allScopes
  FROM chain JOIN delegations g ON g.id = chain.id`

/** The A assignments valid at @at of a list of people (a JSON array): served by assignments_person_idx. */
const A_OF = `SELECT initiative_id AS initiativeId, domain_id AS domainId FROM assignments
  WHERE person_id IN (SELECT value FROM json_each(@people)) AND role = 'A' AND valid_from <= @at AND (valid_to IS NULL OR valid_to > @at)`

/** Every domain under a list of domains (themselves included), and every initiative in them. */
const UNDER = `WITH RECURSIVE under(id, depth) AS (
    SELECT value, 0 FROM json_each(@domains)
    UNION
    SELECT d.id, under.depth + 1 FROM domains d JOIN under ON d.parent_id = under.id WHERE under.depth < ${MAX_DOMAIN_DEPTH}
  )
  SELECT DISTINCT 'domain' AS kind, id FROM under
  UNION ALL
  SELECT DISTINCT 'initiative', i.id FROM initiatives i WHERE i.domain_id IN (SELECT id FROM under)`

interface Scope { fromPersonId: string, initiativeId: string | null, domainId: string | null, allScopes: number }

/**
 * The targets where the person may be an effective decider: a superset, since a nearer A, a status or a more
 * specific delegation can still take it away; the resolver decides. The SQL walks the domain tree as it is now; for
 * a past time, the records whose place has changed since, and everything under a domain that has, are added.
 */
function candidates (db: Db, personId: string, at: string, changed: { initiatives: string[], domains: string[] }): Target[] {
  const initiatives = new Set<string>(changed.initiatives)
  const roots = new Set<string>(changed.domains)
  const formal = new Set([personId])
  for (const d of statement(db, DELEGATIONS_TOWARDS).all({ personId, at, steps: MAX_DELEGATION_STEPS }) as Scope[]) {
    if (d.initiativeId !== null) initiatives.add(d.initiativeId)
    else if (d.domainId !== null) roots.add(d.domainId)
    // Delegated for everything: whatever their delegator decides formally.
    else if (d.allScopes === 1) formal.add(d.fromPersonId)
  }
  for (const a of statement(db, A_OF).all({ people: JSON.stringify([...formal]), at }) as { initiativeId: string | null, domainId: string | null }[]) {
    if (a.initiativeId !== null) initiatives.add(a.initiativeId)
    if (a.domainId !== null) roots.add(a.domainId)
  }
  const domains = new Set<string>()
  if (roots.size > 0) {
    for (const row of statement(db, UNDER).all({ domains: JSON.stringify([...roots]) }) as { kind: Target['kind'], id: string }[]) {
      (row.kind === 'domain' ? domains : initiatives).add(row.id)
    }
  }
  const sorted = (ids: Set<string>): string[] => [...ids].sort()
  return [
    ...sorted(initiatives).map((id) => ({ kind: 'initiative' as const, id })),
    ...sorted(domains).map((id) => ({ kind: 'domain' as const, id }))
  ]
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
