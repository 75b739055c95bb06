// The RACI view of one initiative at a time T: its own role holders and those inherited up its domain tree.
import { now, toInstant } from '../clock.js'
import type { Db } from '../store/connection.js'
import { notFound } from '../errors.js'
import type { DeciderIndex } from '../registry/decider-index.js'
import { domainChain } from '../registry/resolver.js'
import type { Raci } from '../schemas/initiatives.js'
import { holdersAt } from '../store/raci.js'

/** The holders of each role on the initiative at `at` (default now): direct first, then nearest domain outwards. */
export function getInitiativeRaci (db: Db, index: DeciderIndex, initiativeId: string, at?: string): Raci {
  const instant = at === undefined ? now() : toInstant(at)
  const source = index.sourceAt(instant)
  const initiative = source.initiative(initiativeId)
  if (initiative === undefined) throw notFound('initiatives', initiativeId)
  // The domain chain comes from the decider index, as it stood at T (src/store/versions.ts).
  const rows = holdersAt(db, initiativeId, instant, domainChain(source, initiative.domainId))
  const raci: Raci = { initiativeId, at: instant, R: [], A: [], C: [], I: [] }
  for (const { role, ...holder } of rows) {
    const name = source.person(holder.personId)?.name ?? holder.personId
    raci[role].push({ assignmentId: holder.assignmentId, personId: holder.personId, name, domainId: holder.domainId, validFrom: holder.validFrom, validTo: holder.validTo, source: holder.domainId === null ? 'direct' : 'inherited' })
  }
  return raci
}
