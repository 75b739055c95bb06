// The role holders of one initiative at an instant, on the initiative itself and on each domain of its chain.
import type { RaciRole } from '../schemas/initiatives.js'
import { statement, type Db } from './connection.js'

/** An assignment valid at the instant: domainId null when it is on the initiative itself. */
export interface Holder {
  assignmentId: string
  personId: string
  role: RaciRole
  domainId: string | null
  validFrom: string
  validTo: string | null
  /** 0 on the initiative itself, 1 on its own domain, 2 on that domain's parent, and so on. */
  depth: number
}

/*
 * One query reads the assignments valid at T on the initiative (depth 0) and on each domain of the chain (depth 1 =
 * its own domain), served by assignments_initiative_idx and assignments_domain_idx. Times are stored in one
 * canonical ISO form (toInstant), so comparing them as text compares them as instants.
 */
const HOLDERS_AT = `SELECT a.id AS assignmentId, a.person_id AS personId, a.role AS role, NULL AS domainId,
    a.valid_from AS validFrom, a.valid_to AS validTo, 0 AS depth
  FROM assignments a
  WHERE a.initiative_id = @initiativeId AND a.valid_from <= @at AND (a.valid_to IS NULL OR a.valid_to > @at)
  UNION ALL
  SELECT a.id, a.person_id, a.role, a.domain_id, a.valid_from, a.valid_to, chain.key + 1
  FROM json_each(@chain) chain JOIN assignments a ON a.domain_id = chain.value
  WHERE a.valid_from <= @at AND (a.valid_to IS NULL OR a.valid_to > @at)
  ORDER BY depth, validFrom, assignmentId`

/** The holders at `at` (canonical), direct first, then by the domain chain (nearest first) it is given. */
export const holdersAt = (db: Db, initiativeId: string, at: string, chain: readonly string[]): Holder[] =>
  statement(db, HOLDERS_AT).all({ initiativeId, at, chain: JSON.stringify(chain) }) as Holder[]
