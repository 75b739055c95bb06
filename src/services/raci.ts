// The RACI view of one initiative at a time T: its own role holders and those inherited up its domain tree.
import { now, toInstant } from '../clock.js'
import { statement, type Db } from '../store/connection.js'
import { notFound } from '../errors.js'
import type { DeciderIndex } from '../registry/decider-index.js'
import { domainChain } from '../registry/resolver.js'
import type { Raci, RaciRole } from '../schemas/initiatives.js'

interface HolderRow {
  assignmentId: string
  personId: string
  role: RaciRole
  domainId: string | null
  validFrom: string
  validTo: string | null
}

/*
 * The domain chain comes from the decider index, as it stood at T (src/store/versions.ts); then one query reads
 * the assignments valid at T on the initiative (depth 0) and on each domain of the chain (depth 1 = its own domain),
 * served by assignments_initiative_idx and assignments_domain_idx. Times are stored in one canonical ISO form
 * (toInstant), so comparing them as text compares them as instants.
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

/** The holders of each role on the initiative at `at` (default now): direct first, then nearest domain outwards. */
export function getInitiativeRaci (db: Db, index: DeciderIndex, initiativeId: string, at?: string): Raci {
  const instant = at === undefined ? now() : toInstant(at)
  const source = index.sourceAt(instant)
  const initiative = source.initiative(initiativeId)
  if (initiative === undefined) throw notFound('initiatives', initiativeId)
  const chain = JSON.stringify(domainChain(source, initiative.domainId))
  const rows = statement(db, HOLDERS_AT).all({ initiativeId, at: instant, chain }) as HolderRow[]
  const raci: Raci = { initiativeId, at: instant, R: [], A: [], C: [], I: [] }
  for (const { role, ...holder } of rows) {
    const name = source.person(holder.personId)?.name ?? holder.personId
    raci[role].push({ assignmentId: holder.assignmentId, personId: holder.personId, name, domainId: holder.domainId, validFrom: holder.validFrom, validTo: holder.validTo, source: holder.domainId === null ? 'direct' : 'inherited' })
  }
  return raci
}
