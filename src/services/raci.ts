// The RACI view of one initiative at a time T: its own role holders and those inherited up its domain tree.
import { now, toInstant } from '../clock.js'
import { statement, type Db } from '../database.js'
import type { Raci, RaciHolder, RaciRole } from '../schemas/initiatives.js'
import { findInitiative } from './initiatives.js'

interface HolderRow {
  assignmentId: string
  personId: string
  name: string
  role: RaciRole
  domainId: string | null
  validFrom: string
  validTo: string | null
  depth: number
}

/*
 * One query: the domain chain (depth 1 = the initiative's own domain) walked by a recursive CTE, then the
 * assignments valid at T on the initiative (depth 0) and on every domain of the chain. Times are stored in one
 * canonical ISO form (toInstant), so comparing them as text compares them as instants. The depth bound only
 * stops a walk round a loop that the domains service already refuses to create.
 */
const HOLDERS_AT = `WITH RECURSIVE chain(id, depth) AS (
    SELECT domain_id, 1 FROM initiatives WHERE id = @initiativeId AND domain_id IS NOT NULL
    UNION ALL
    SELECT d.parent_id, chain.depth + 1 FROM domains d JOIN chain ON d.id = chain.id
    WHERE d.parent_id IS NOT NULL AND chain.depth < 10000
  )
  SELECT a.id AS assignmentId, a.person_id AS personId, p.name AS name, a.role AS role, NULL AS domainId,
    a.valid_from AS validFrom, a.valid_to AS validTo, 0 AS depth
  FROM assignments a JOIN people p ON p.id = a.person_id
  WHERE a.initiative_id = @initiativeId AND a.valid_from <= @at AND (a.valid_to IS NULL OR a.valid_to > @at)
  UNION ALL
  SELECT a.id, a.person_id, p.name, a.role, a.domain_id, a.valid_from, a.valid_to, chain.depth
  FROM chain JOIN assignments a ON a.domain_id = chain.id JOIN people p ON p.id = a.person_id
  WHERE a.valid_from <= @at AND (a.valid_to IS NULL OR a.valid_to > @at)
  ORDER BY depth, validFrom, assignmentId`

/** The holders of each role on the initiative at `at` (default now): direct first, then nearest domain outwards. */
export function getInitiativeRaci (db: Db, initiativeId: string, at?: string): Raci {
  findInitiative(db, initiativeId)
  const instant = at === undefined ? now() : toInstant(at)
  const rows = statement(db, HOLDERS_AT).all({ initiativeId, at: instant }) as HolderRow[]
  const raci: Raci = { initiativeId, at: instant, R: [], A: [], C: [], I: [] }
  for (const { role, depth: _depth, ...holder } of rows) {
    const entry: RaciHolder = { ...holder, source: holder.domainId === null ? 'direct' : 'inherited' }
    raci[role].push(entry)
  }
  return raci
}
