// The API contracts every effective-dated record kind has: the record, its create and change bodies, its list query.
import Type, { type TObject, type TOptional, type TProperties, type TSchema, type TString } from 'typebox'
import { AtQuery, idOf, type IdKind, idParams, PageQuery, RecordMeta, Timestamp } from './common.js'

export interface KindSchemaSpec<F extends TProperties, C extends TProperties, W extends TProperties, Q extends TProperties> {
  /** The kind's ids (src/schemas/common.ts ID_KINDS). */
  id: IdKind
  /** The record's own fields, between its id and the record's version and times. */
  fields: F
  description: string
  /** A create body; the record's example is it as stored at `storedAt`. */
  example: Record<string, unknown>
  storedAt: string
  /** What a create body names before the writable fields; a change body takes the same fields as the record has them, optional. */
  create: C & { [K in keyof C]: K extends keyof F ? TSchema : never }
  /** The fields both bodies take, optional, after those. */
  writable: W
  patchExamples: unknown[]
  /** The list's filters, before paging and `at`. */
  filters: Q
}

type Optional<P extends TProperties> = { [K in keyof P]: TOptional<P[K]> }

/** ?activeAt= of a kind held over a period. */
export const ActiveAt = (records: string) =>
  Type.Optional({ ...Timestamp, description: `Only ${records} holding at this time: validFrom ≤ activeAt < validTo` })

export function kindSchemas<F extends TProperties, C extends TProperties, W extends TProperties, Q extends TProperties> (spec: KindSchemaSpec<F, C, W, Q>): {
  record: TObject<{ id: TString } & F & typeof RecordMeta>
  create: TObject<{ id: TOptional<TString> } & C & W>
  patch: TObject<Optional<Pick<F, keyof C & keyof F>> & W>
  query: TObject<Q & typeof PageQuery & typeof AtQuery>
  params: ReturnType<typeof idParams>
} {
  const stored = { version: 1, createdAt: spec.storedAt, updatedAt: spec.storedAt }
  const changed = Object.fromEntries(Object.keys(spec.create).map((k) => [k, Type.Optional(spec.fields[k]!)])) as Optional<Pick<F, keyof C & keyof F>>
  return {
    record: Type.Object({ id: idOf(spec.id), ...spec.fields, ...RecordMeta }, { description: spec.description, examples: [{ ...spec.example, ...stored }] }),
    create: Type.Object({ id: Type.Optional(idOf(spec.id)), ...spec.create, ...spec.writable }, { additionalProperties: false, examples: [spec.example] }),
    patch: Type.Object({ ...changed, ...spec.writable }, { additionalProperties: false, minProperties: 1, examples: spec.patchExamples }),
    query: Type.Object({ ...spec.filters, ...PageQuery, ...AtQuery }, { additionalProperties: false }),
    params: idParams(spec.id)
  }
}
