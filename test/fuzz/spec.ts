// The operations of openapi/openapi.json as the fuzzer sees them: parameters, body and response schemas.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../../src/config.js'

export type Schema = Record<string, any>

export interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required: boolean
  schema: Schema
}

export interface ResponseSpec {
  /** The media types and schemas the body may have, as documented; undefined when the answer has none (204). */
  content?: Array<{ type: string, schema: Schema }>
}

export interface Operation {
  /** operationId, also the name the fuzzer reports on. */
  id: string
  method: string
  /** The path template, e.g. /v1/people/{id}. */
  path: string
  parameters: Parameter[]
  body?: { required: boolean, type: string, schema: Schema }
  responses: Record<string, ResponseSpec>
  /** False for a public operation (security: []). */
  authenticated: boolean
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']

export function loadDocument (): Schema {
  return JSON.parse(readFileSync(join(packageRoot(), 'openapi', 'openapi.json'), 'utf8')) as Schema
}

/** Every path + method of the document, in document order. */
export function operationsOf (document: Schema): Operation[] {
  const operations: Operation[] = []
  for (const [path, item] of Object.entries(document.paths as Record<string, Schema>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Schema) => ({
        name: p.name, in: p.in, required: p.required === true, schema: p.schema ?? {}
      }))
      const bodyContent = Object.entries((op.requestBody?.content ?? {}) as Record<string, Schema>)[0]
      const responses: Record<string, ResponseSpec> = {}
      for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, Schema>)) {
        const content = Object.entries((response.content ?? {}) as Record<string, Schema>).map(([type, media]) => ({ type, schema: media.schema ?? {} }))
        responses[status] = content.length === 0 ? {} : { content }
      }
      operations.push({
        id: op.operationId ?? `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters,
        ...(bodyContent === undefined ? {} : { body: { required: op.requestBody.required === true, type: bodyContent[0], schema: bodyContent[1].schema ?? {} } }),
        responses,
        authenticated: !(Array.isArray(op.security) && op.security.length === 0) && (op.security ?? document.security ?? []).length > 0
      })
    }
  }
  return operations
}

/** A regular expression matching the raw URL paths of a path template; a parameter is one non-empty segment. */
function templateRegExp (path: string): RegExp {
  let re = templates.get(path)
  if (re === undefined) {
    re = new RegExp('^' + path.split('/').map((s) => s.startsWith('{') ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('/') + '$')
    templates.set(path, re)
  }
  return re
}

const templates = new Map<string, RegExp>()

/**
 * The operation a request reaches, found the way the router does: by method and path, a static route before one
 * with parameters, a trailing slash ignored. A mutated request may reach another operation than it was made for
 * (an id "" or "." turns GET /v1/domains/{id} into GET /v1/domains) or none at all.
 */
export function routeOf (operations: Operation[], method: string, url: string): Operation | undefined {
  // As the URL parser sees it: dot segments resolved ("/v1/domains/." is "/v1/domains/").
  let path = new URL(url, 'http://fuzz').pathname
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1)
  const verb = method === 'HEAD' ? 'GET' : method
  const matches = operations.filter((op) => op.method === verb && templateRegExp(op.path).test(path))
  const params = (op: Operation): number => op.path.split('{').length
  return matches.sort((a, b) => params(a) - params(b))[0]
}
