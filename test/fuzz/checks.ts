// The checks every answer must pass: no 5xx; every non-2xx is problem details whose status is the HTTP status;
// every 2xx body follows its operation's response schema in the OpenAPI document; refusals and reads write nothing.
import Ajv2020Module, { type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import type { LightMyRequestResponse } from 'fastify'
import { problemCatalogue, type ProblemCode } from '../../src/errors.js'
import type { Draft } from './request.js'
import type { Operation, Schema } from './spec.js'

// ajv and ajv-formats are CommonJS: under NodeNext their classes sit on .default.
const Ajv2020 = Ajv2020Module.default
const addFormats = addFormatsModule.default

export interface Failure {
  check: string
  detail: string
}

export class Checker {
  // The document is OpenAPI 3.1, whose schemas are JSON Schema 2020-12.
  private readonly ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true, allowUnionTypes: true })
  private readonly validators = new WeakMap<Schema, ValidateFunction>()
  /** The document repeats the same schema inline (the problem schema in every operation): compile each once. */
  private readonly bySource = new Map<string, ValidateFunction>()
  private readonly problemSchema: Schema
  /** Statuses answered that the operation does not list, by operation: reported, for the contract's sake. */
  readonly undeclared = new Map<string, Set<number>>()

  constructor (operations: Operation[]) {
    addFormats(this.ajv)
    const problem = operations.flatMap((op) => Object.values(op.responses)).flatMap((r) => r.content ?? []).find((m) => m.type === 'application/problem+json')
    if (problem === undefined) throw new Error('the document describes no problem details answer')
    this.problemSchema = problem.schema
  }

  private validator (schema: Schema): ValidateFunction {
    let validate = this.validators.get(schema)
    if (validate === undefined) {
      const source = JSON.stringify(schema)
      validate = this.bySource.get(source)
      if (validate === undefined) this.bySource.set(source, validate = this.ajv.compile(schema))
      this.validators.set(schema, validate)
    }
    return validate
  }

  private validate (schema: Schema, value: unknown): string | undefined {
    const validate = this.validator(schema)
    return validate(value) ? undefined : this.ajv.errorsText(validate.errors, { dataVar: 'body' })
  }

  /**
   * Every way the answer breaks the contract; empty when it keeps it. route: the operation the request reached
   * (undefined: none of the document's); wrote: the change log moved.
   */
  check (draft: Draft, route: Operation | undefined, res: LightMyRequestResponse, wrote: boolean): Failure[] {
    const failures: Failure[] = []
    const fail = (check: string, detail: string): void => { failures.push({ check, detail }) }
    const status = res.statusCode
    const type = String(res.headers['content-type'] ?? '')
    const onContract = route !== undefined && draft.method === route.method
    const ok = status >= 200 && status < 300
    if (status >= 500) fail('no 5xx', `${status} ${res.body.slice(0, 300)}`)
    if (wrote && (!ok || draft.method === 'GET' || draft.method === 'HEAD')) fail('a refusal or a read writes nothing', `${status} moved the change log`)

    if (!ok) {
      if (onContract && route.responses[String(status)] === undefined) {
        const set = this.undeclared.get(route.id) ?? new Set()
        this.undeclared.set(route.id, set.add(status))
      }
      // An answer to HEAD has no body to look at.
      if (draft.method === 'HEAD') return failures
      if (!type.startsWith('application/problem+json')) fail('errors are problem details', `${status} with content-type "${type}": ${res.body.slice(0, 200)}`)
      const body = parse(res.body)
      if (body === undefined) return [...failures, { check: 'errors are problem details', detail: `${status} body is not JSON: ${res.body.slice(0, 200)}` }]
      const b = body as Record<string, unknown>
      if (b.status !== status) fail('problem status equals HTTP status', `HTTP ${status}, problem status ${String(b.status)}`)
      const declared = onContract ? route.responses[String(status)]?.content?.find((m) => m.type === 'application/problem+json') : undefined
      const invalid = this.validate(declared?.schema ?? this.problemSchema, body)
      if (invalid !== undefined) fail('errors are problem details', `${status}: ${invalid}`)
      if (b.requestId !== undefined && b.requestId !== res.headers['x-request-id']) {
        fail('errors are problem details', `requestId ${String(b.requestId)} but x-request-id ${String(res.headers['x-request-id'])}`)
      }
      const entry = problemCatalogue[b.code as ProblemCode] as { status: number } | undefined
      if (entry === undefined) fail('problem code is in the catalogue', `${status}: code ${String(b.code)}`)
      else if (entry.status !== status) fail('problem code is in the catalogue', `${status}: ${String(b.code)} is a ${entry.status} in the catalogue`)
      return failures
    }

    if (!onContract) {
      // Fastify answers HEAD for every GET route; anything else the document does not list must not succeed.
      if (!(draft.method === 'HEAD' && route !== undefined)) fail('only documented operations succeed', `${draft.method} ${draft.op.path} answered ${status}`)
      return failures
    }
    const declared = route.responses[String(status)]
    if (declared === undefined) return [...failures, { check: '2xx answers are documented', detail: `${status} is not a response of ${route.id}` }]
    if (declared.content === undefined) {
      if (res.rawPayload.length > 0) fail('2xx bodies follow the response schema', `${status} has a body, the document says none: ${res.body.slice(0, 200)}`)
      return failures
    }
    const media = declared.content.find((m) => type.startsWith(m.type))
    if (media === undefined) {
      return [...failures, { check: '2xx bodies follow the response schema', detail: `${status} content-type "${type}", documented ${declared.content.map((m) => m.type).join(', ')}` }]
    }
    // A page, a CSV or a workbook is checked for being there; its form is the format's tests' (test/report, test/spreadsheets).
    if (!/[/+]json$/.test(media.type)) {
      if (res.rawPayload.length === 0) fail('2xx bodies follow the response schema', `${status} ${media.type} with an empty body`)
      return failures
    }
    const body = parse(res.body)
    if (body === undefined) return [...failures, { check: '2xx bodies follow the response schema', detail: `${status} body is not JSON: ${res.body.slice(0, 200)}` }]
    const invalid = this.validate(media.schema, body)
    if (invalid !== undefined) fail('2xx bodies follow the response schema', `${status}: ${invalid.slice(0, 1000)}`)
    // If-Match works only if the ETag a client gets names the version it sees.
    const etag = res.headers.etag
    const version = (body as { version?: unknown } | null)?.version
    if (etag !== undefined && typeof version === 'number' && String(etag).replace(/^W\//, '') !== `"${version}"`) {
      fail('the ETag names the version in the body', `ETag ${String(etag)}, version ${version}`)
    }
    return failures
  }
}

function parse (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
