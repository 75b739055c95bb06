// Routes of /v1/delegations: the effective-dated routes over the delegations service.
import { access } from '../schemas/common.js'
import { DelegationCreateSchema, DelegationParams, DelegationPatchSchema, DelegationSchema, DelegationsQuery } from '../schemas/delegations.js'
import { createDelegation, deleteDelegation, getDelegation, listDelegations, updateDelegation } from '../services/delegations.js'
import { touchedBy } from '../services/write-effects.js'
import { kindRoutes } from './effective-dated.js'

export default kindRoutes({
  collection: 'delegations',
  singular: 'Delegation',
  plural: 'Delegations',
  write: access.edit,
  schemas: { record: DelegationSchema, create: DelegationCreateSchema, patch: DelegationPatchSchema, query: DelegationsQuery, params: DelegationParams },
  summaries: {
    list: 'List delegations, filtered by delegator, deputy, scope and the time they hold',
    get: 'Get a delegation',
    create: 'Hand a person\'s authority to a deputy for a period',
    update: 'Change a delegation (every rule is checked again on the changed record)',
    remove: 'Delete a delegation'
  },
  touches: touchedBy.delegation,
  service: { list: listDelegations, get: getDelegation, create: createDelegation, update: updateDelegation, delete: deleteDelegation }
})
