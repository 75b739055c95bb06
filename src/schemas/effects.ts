// API contract of a write's effects: the boundary problems it raised or cleared on the initiatives it touches.
import Type, { type Static, type TObject, type TProperties } from 'typebox'
import { InitiativeId, Nullable } from './common.js'
import { SeveritySchema } from './rules.js'

export const EffectSchema = Type.Object({
  change: Type.Enum(['raised', 'cleared'], { description: 'raised: holds since this write; cleared: held until it' }),
  ruleId: Type.String(),
  severity: SeveritySchema,
  subject: Type.Object({ kind: Type.String(), id: Type.String() }),
  message: Type.String(),
  remediation: Nullable(Type.String({ description: 'The next step, where the rule says one' })),
  fingerprint: Type.String({ description: 'The finding\'s fingerprint, as the audit and waivers name it' }),
  initiativeId: { ...InitiativeId, description: 'The initiative whose live findings hold it: GET /v1/initiatives/{initiativeId}/findings' }
})
export type Effect = Static<typeof EffectSchema>

const effectsExample = {
  items: [{
    change: 'raised',
    ruleId: 'multiple-final-deciders',
    severity: 'error',
    subject: { kind: 'initiative', id: 'roll-out-a-crm' },
    message: '2 people hold the final decision on "Roll out a CRM"',
    remediation: null,
    fingerprint: '6f1c2a9e0b7d4c3a8e5f1b2d9c0a7e4f6b3d8c1a5e9f2b7d4c0a6e3f8b1d5c9a',
    initiativeId: 'roll-out-a-crm'
  }],
  more: 0,
  initiatives: ['roll-out-a-crm'],
  truncated: false
}

export const WriteEffectsSchema = Type.Object({
  items: Type.Array(EffectSchema, { maxItems: 20, description: 'Raised first, then cleared; each by severity, rule and subject' }),
  more: Type.Integer({ minimum: 0, description: 'Changes not listed (past the first 20)' }),
  initiatives: Type.Array(InitiativeId, { maxItems: 50, description: 'The initiatives judged before and after the write, in id order; each has a Link rel="findings"' }),
  truncated: Type.Boolean({ description: 'The write reaches more than 50 initiatives: only the first 50 in id order were judged' })
}, {
  description: 'The boundary problems this write raised or cleared: the live findings of the initiatives it touches (an initiative; the initiatives inheriting from a domain; where a person or a delegator decides), before and after it. null when they could not be computed (the write stands); absent when the service runs with WHODECIDES_WRITE_EFFECTS=false.',
  examples: [effectsExample]
})
export type WriteEffects = Static<typeof WriteEffectsSchema>

/** A record's answer to a write that may change a boundary: the record's fields, and `effects`. */
export function withEffects<P extends TProperties> (record: TObject<P>) {
  const examples = (record as { examples?: unknown[] }).examples ?? []
  const description = (record as { description?: string }).description
  return Type.Object({ ...record.properties, effects: Type.Optional(Nullable(WriteEffectsSchema)) }, {
    ...(description === undefined ? {} : { description }),
    examples: examples.map((e) => ({ ...(e as object), effects: effectsExample }))
  })
}
