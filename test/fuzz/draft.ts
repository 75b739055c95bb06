// Valid requests for any operation of the document: a key of some role, path ids of records that exist (mostly),
// query values, the current version for If-Match, and a body from the generator, or from the last export for imports.
import type { Role } from '../../src/schemas/common.js'
import type { ValueGenerator, Scope } from './generate.js'
import type { Rng } from './prng.js'
import type { Draft } from './request.js'
import type { Operation, Schema } from './spec.js'
import { collectionOfParam, type Known, type Registry } from './state.js'

export class Drafter {
  constructor (private readonly rng: Rng, private readonly registry: Registry, private readonly values: ValueGenerator) {}

  /** Admin mostly; now and then another role, no key, a key the fuzzer issued (maybe revoked) or a bogus one. */
  auth (): Draft['auth'] {
    const tokens = this.registry.tokens
    return this.rng.weighted<Draft['auth']>([
      [80, { kind: 'role', role: 'admin' }],
      [5, { kind: 'role', role: 'editor' }],
      [4, { kind: 'role', role: 'auditor' }],
      [4, { kind: 'role', role: 'reader' }],
      [2, { kind: 'none' }],
      [tokens.length > 0 ? 3 : 0, { kind: 'token', token: `Bearer ${tokens.length > 0 ? this.rng.pick(tokens).token : ''}` }],
      [2, { kind: 'token', token: this.rng.pick(['Bearer nope', 'Bearer wd_' + 'x'.repeat(40), 'Basic YWRtaW46YWRtaW4=', 'Bearer', 'bearer  wd_test', 'Bearer ' + 'k'.repeat(600)]) }]
    ])
  }

  /** A valid request for the operation. */
  draft (op: Operation): Draft {
    const draft: Draft = { op, method: op.method, params: {}, rawParams: {}, query: [], rawQuery: '', headers: {}, auth: { kind: 'role', role: 'admin' as Role }, mutations: [] }
    draft.auth = op.authenticated ? this.auth() : { kind: 'none' }
    let target: Known | undefined
    const pathParams = op.parameters.filter((p) => p.in === 'path')
    if (pathParams.some((p) => p.name === 'decisionId')) {
      // A decision lives under its initiative: name both, or a decision under the wrong initiative now and then.
      const decisions = this.registry.pool('decisions')
      if (decisions.size > 0 && this.rng.chance(0.85)) {
        target = decisions.at(this.rng.int(0, decisions.size - 1))
        draft.params.decisionId = target.id
        draft.params.id = target.parent !== undefined && this.rng.chance(0.9) ? target.parent : this.values.refId('initiatives')
      } else {
        draft.params.decisionId = this.values.refId('decisions')
        draft.params.id = this.values.refId('initiatives')
      }
    }
    for (const p of pathParams) {
      if (draft.params[p.name] !== undefined) continue
      const collection = collectionOfParam(op.path, p.name)
      // Keys the test itself holds are never named: revoking them would lock the fuzzer out.
      draft.params[p.name] = collection === undefined ? this.values.string(p.schema, p.name, { op }) : this.values.refId(collection, collection === 'keys' ? 0.7 : 0.85)
      if (collection !== undefined && p.name === 'id') target = this.registry.pool(collection).get(draft.params[p.name]!)
    }
    const scope: Scope = { op, ...(target === undefined ? {} : { target }) }
    for (const p of op.parameters.filter((p) => p.in === 'query')) {
      if (!p.required && !this.rng.chance(0.3)) continue
      draft.query.push([p.name, this.queryValue(p.schema, p.name, scope)])
    }
    for (const p of op.parameters.filter((p) => p.in === 'header')) {
      const value = p.name === 'if-match' ? this.ifMatch(target) : p.required || this.rng.chance(0.3) ? this.values.string(p.schema, p.name, scope) : undefined
      if (value !== undefined) draft.headers[p.name] = value
    }
    if (op.body !== undefined) {
      draft.body = op.id === 'importBundle' && this.registry.bundle !== undefined && this.rng.chance(0.7)
        ? this.bundleBased(op, scope)
        : this.values.value(op.body.schema, '', scope)
      // A full replace with a made-up bundle would empty the registry and starve the rest of the run.
      if (op.id === 'importBundle' && draft.query.some(([k, v]) => k === 'mode' && v === 'replace') && !draft.query.some(([k]) => k === 'dryRun')) {
        draft.query.push(['dryRun', 'true'])
      }
    }
    return draft
  }

  private ifMatch (target: Known | undefined): string | undefined {
    const version = target?.version
    return this.rng.weighted<string | undefined>([
      [40, undefined],
      [version === undefined ? 0 : 35, `"${version}"`],
      [10, '*'],
      [version === undefined ? 0 : 5, `"${(version ?? 0) - 1}"`],
      [version === undefined ? 0 : 5, `W/"${version}"`],
      [version === undefined ? 0 : 5, `"0", "${version}"`]
    ])
  }

  private queryValue (schema: Schema, name: string, scope: Scope): string {
    const value = this.values.value(schema, name, scope)
    return typeof value === 'string' ? value : JSON.stringify(value)
  }

  /** The last export with a few rows changed and a few made up: an import that mostly applies. */
  private bundleBased (op: Operation, scope: Scope): Record<string, unknown[]> {
    const bundle: Record<string, unknown[]> = {}
    const rowSchemas = op.body!.schema.properties as Record<string, Schema>
    for (const [name, rows] of Object.entries(this.registry.bundle!)) {
      if (rowSchemas[name] === undefined || this.rng.chance(0.3)) continue
      const copy = structuredClone(rows.slice(0, 2000)) as unknown[]
      for (let n = this.rng.int(0, 2); n > 0 && copy.length > 0; n--) {
        const row = this.rng.pick(copy) as Record<string, unknown>
        for (const field of ['name', 'title', 'outcome', 'reason', 'note']) if (typeof row[field] === 'string') row[field] = `${row[field] as string} ${this.rng.word(1, 3)}`
      }
      // A made-up row now and then: one that breaks a rule fails the whole bundle, so not too many.
      if (this.rng.chance(0.15)) copy.push(this.values.value(rowSchemas[name]!.items, `${name}[]`, scope))
      bundle[name] = copy
    }
    return bundle
  }
}
