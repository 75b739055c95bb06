// API contract of domains: the decision areas, in a tree.
import Type, { type Static } from 'typebox'
import { AtQuery, DomainId, LongText, Nullable, PageQuery, RecordMeta, ShortText } from './common.js'
import { SearchQuery } from './search.js'

const example = {
  id: 'pricing',
  name: 'Pricing',
  description: 'List prices, discounts and the terms of enterprise deals',
  parentId: 'commercial'
}

export const DomainSchema = Type.Object({
  id: DomainId,
  name: Type.String(),
  description: Nullable(Type.String()),
  parentId: Nullable(DomainId),
  ...RecordMeta
}, { examples: [{ ...example, version: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' }] })
export type Domain = Static<typeof DomainSchema>

const writable = {
  description: Type.Optional(Nullable(LongText('What is decided in this area'))),
  parentId: Type.Optional(Nullable(DomainId))
}

export const DomainCreateSchema = Type.Object({
  id: Type.Optional(DomainId),
  name: ShortText('Name of the decision area'),
  ...writable
}, { additionalProperties: false, examples: [example] })
export type DomainCreate = Static<typeof DomainCreateSchema>

export const DomainPatchSchema = Type.Object({
  name: Type.Optional(ShortText('Name of the decision area')),
  ...writable
}, { additionalProperties: false, minProperties: 1, examples: [{ parentId: null }, { name: 'Pricing and packaging' }] })
export type DomainPatch = Static<typeof DomainPatchSchema>

export const DomainsQuery = Type.Object({
  parentId: Type.Optional(DomainId),
  ...SearchQuery('id or name', 'pricing'),
  ...PageQuery,
  ...AtQuery
}, { additionalProperties: false })
export type DomainsQuery = Static<typeof DomainsQuery>
