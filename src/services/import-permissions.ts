// Who may create, change and delete each collection through POST /v1/import: exactly the roles of the single-record
// write route that does the same to one record, and no role where no route does it (append-only records).
import { ProblemError } from '../errors.js'
import { access, type Role } from '../schemas/common.js'
import { BUNDLE_COLLECTIONS, type BundleCollection } from '../store/bundle.js'

export const OPERATIONS = ['create', 'change', 'delete'] as const
export type Operation = typeof OPERATIONS[number]

/** A single-record write route and the roles it allows; the role-matrix test holds each against the app's route table. */
export interface WriteRoute { method: 'POST' | 'PATCH' | 'DELETE', url: string, allow: readonly Role[] }

const recordRoutes = (path: string, allow: readonly Role[]): Record<Operation, WriteRoute> => ({
  create: { method: 'POST', url: `/v1/${path}`, allow },
  change: { method: 'PATCH', url: `/v1/${path}/:id`, allow },
  delete: { method: 'DELETE', url: `/v1/${path}/:id`, allow }
})

/** The route each operation of the import stands for; null where the API has none: nobody may do it, by any road. */
export const IMPORT_WRITES: Record<BundleCollection, Record<Operation, WriteRoute | null>> = {
  people: recordRoutes('people', access.edit),
  domains: recordRoutes('domains', access.edit),
  initiatives: recordRoutes('initiatives', access.edit),
  assignments: recordRoutes('assignments', access.edit),
  delegations: recordRoutes('delegations', access.edit),
  influences: recordRoutes('influences', access.audit),
  // Decision records are history: recorded once, never changed or deleted.
  decisions: { create: { method: 'POST', url: '/v1/initiatives/:id/decisions', allow: access.edit }, change: null, delete: null }
}

/** How many records of each collection an import would create, change and delete. */
export type OperationCounts = Record<BundleCollection, Record<Operation, number>>

const WHAT: Record<Operation, (n: number) => string> = {
  create: (n) => `create ${n} row(s)`,
  change: (n) => `change ${n} record(s)`,
  delete: (n) => `delete ${n} record(s) the bundle leaves out`
}

/**
 * Throws a 403 naming every collection and operation of the import the role may not do through its single-record
 * route. Operations no route does (append-only records) are not this check's: the import refuses them for every role.
 */
export function assertMayImport (role: Role, counts: OperationCounts): void {
  const errors = []
  for (const collection of BUNDLE_COLLECTIONS) {
    const refused = OPERATIONS.flatMap((op) => {
      const route = IMPORT_WRITES[collection][op]
      return counts[collection][op] > 0 && route !== null && !route.allow.includes(role)
        ? [`${WHAT[op](counts[collection][op])} (allowed: ${route.allow.join(', ')})`]
        : []
    })
    if (refused.length > 0) errors.push({ in: 'body' as const, path: `/${collection}`, message: `may not ${refused.join(', ')}` })
  }
  if (errors.length === 0) return
  throw new ProblemError('WHODECIDES_ERR_FORBIDDEN',
    `${/^[aeiou]/.test(role) ? 'An' : 'A'} ${role} key may not make these changes, through the import as through the single-record routes; nothing was imported. ` +
      errors.map((e) => `${e.path.slice(1)}: ${e.message}`).join('; '),
    { errors })
}
