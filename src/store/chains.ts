// Walks up a chain of records that point at their parent: a person's line of managers, a domain's parents.
import { statement, type Db } from './connection.js'

const CHAINS = {
  managers: { table: 'people', parent: 'manager_id' },
  parents: { table: 'domains', parent: 'parent_id' }
} as const

/**
 * True when the chain from `from` (itself included), followed up to 10000 steps, reaches `to`. The depth bound only
 * guards against a loop already in the data; the services' checks with this keep new ones out.
 */
export function chainReaches (db: Db, chain: keyof typeof CHAINS, from: string, to: string): boolean {
  const { table, parent } = CHAINS[chain]
  const walk = statement(db, `WITH RECURSIVE up(id, depth) AS (
      SELECT ?, 0 UNION ALL SELECT r.${parent}, up.depth + 1 FROM ${table} r JOIN up ON r.id = up.id
      WHERE r.${parent} IS NOT NULL AND up.depth < 10000)
    SELECT 1 FROM up WHERE id = ? LIMIT 1`)
  return walk.get(from, to) !== undefined
}
