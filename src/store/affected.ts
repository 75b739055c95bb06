// What a write may affect (services/write-effects.ts): an influence's target, the live initiatives under some domains.
import { LIVE_INITIATIVE_STATUSES } from '../../db/schema.js'
import { MAX_DOMAIN_DEPTH } from '../registry/resolver.js'
import { statement, type Db } from './connection.js'

const LIVE = [...LIVE_INITIATIVE_STATUSES].map((s) => `'${s}'`).join(', ')

/** Every domain under the listed ones (themselves included), then the live initiatives in them: served by initiatives_domain_idx. */
const LIVE_UNDER = `WITH RECURSIVE under(id, depth) AS (
    SELECT value, 0 FROM json_each(@domains)
    UNION
    SELECT d.id, under.depth + 1 FROM domains d JOIN under ON d.parent_id = under.id WHERE under.depth < ${MAX_DOMAIN_DEPTH}
  )
  SELECT DISTINCT i.id FROM under CROSS JOIN initiatives i ON i.domain_id = under.id WHERE i.status IN (${LIVE})
  ORDER BY i.id LIMIT @limit`

export const affectedRows = {
  /** What an influence is observed on, as stored; undefined: no such influence. */
  influenceTarget: (db: Db, id: string): { initiativeId: string | null, domainId: string | null, overPersonId: string | null } | undefined =>
    statement(db, 'SELECT initiative_id AS initiativeId, domain_id AS domainId, over_person_id AS overPersonId FROM influences WHERE id = ?').get(id) as
      { initiativeId: string | null, domainId: string | null, overPersonId: string | null } | undefined,
  /** The first `limit` live initiatives, in id order, in the domains or under them. */
  liveInitiativesUnder: (db: Db, domainIds: readonly string[], limit: number): string[] =>
    domainIds.length === 0
      ? []
      : (statement(db, LIVE_UNDER).all({ domains: JSON.stringify(domainIds), limit }) as { id: string }[]).map((r) => r.id)
} as const
