// Routes of /v1/influences: the change agent's observations; everyone reads them, only auditors and admins write.
import { access } from '../schemas/common.js'
import { InfluenceCreateSchema, InfluenceParams, InfluencePatchSchema, InfluenceSchema, InfluencesQuery } from '../schemas/influences.js'
import { createInfluence, deleteInfluence, getInfluence, listInfluences, updateInfluence } from '../services/influences.js'
import { touchedBy } from '../services/write-effects.js'
import { kindRoutes } from './effective-dated.js'

export default kindRoutes({
  collection: 'influences',
  singular: 'Influence',
  plural: 'Influences',
  write: access.audit,
  schemas: { record: InfluenceSchema, create: InfluenceCreateSchema, patch: InfluencePatchSchema, query: InfluencesQuery, params: InfluenceParams },
  summaries: {
    list: 'List observed influences, filtered by person, target and strength',
    get: 'Get an observed influence',
    create: 'Record informal authority observed over an initiative, a domain or a person',
    update: 'Change an observed influence (every rule is checked again on the changed record)',
    remove: 'Delete an observed influence'
  },
  touches: touchedBy.influence,
  service: { list: listInfluences, get: getInfluence, create: createInfluence, update: updateInfluence, delete: deleteInfluence }
})
