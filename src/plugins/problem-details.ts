// Turns every error into RFC 9457 problem details: catalogue errors, Fastify's own, and the unexpected.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { problemCatalogue, ProblemError, problemType, type FieldError, type ProblemCode } from '../errors.js'

interface ValidationIssue {
  keyword: string
  instancePath: string
  schemaPath: string
  params: Record<string, unknown>
  message?: string
}

const PARTS: Record<string, FieldError['in']> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' }

/** One entry per offending field, with a message a person can act on. */
export function fieldErrors (issues: ValidationIssue[], part: FieldError['in']): FieldError[] {
  const byPath = new Map<string, string>()
  const add = (path: string, message: string): void => { if (!byPath.has(path)) byPath.set(path, message) }
  for (const issue of issues) {
    if (issue.keyword === 'required') {
      const names = (issue.params.requiredProperties ?? [issue.params.missingProperty]) as string[]
      for (const name of names) add(`${issue.instancePath}/${name}`, 'is required')
    } else if (issue.keyword === 'additionalProperties') {
      for (const name of (issue.params.additionalProperties ?? []) as string[]) add(`${issue.instancePath}/${name}`, 'is not a known field')
    } else if (issue.keyword === 'boolean' && issue.schemaPath.endsWith('additionalProperties')) {
      add(issue.instancePath, 'is not a known field')
    } else if (issue.keyword === 'enum' && Array.isArray(issue.params.allowedValues)) {
      add(issue.instancePath, `must be one of ${issue.params.allowedValues.join(', ')}`)
    } else if (issue.keyword !== 'anyOf') {
      add(issue.instancePath, issue.message ?? issue.keyword)
    }
  }
  // A union that failed as a whole (a nullable field of the wrong type) only reports 'anyOf' after its branches.
  for (const issue of issues) if (issue.keyword === 'anyOf') add(issue.instancePath, 'does not match any allowed type')
  return [...byPath].map(([path, message]) => ({ in: part, path, message }))
}

const describe = (errors: FieldError[]): string =>
  errors.map((e) => `${e.path === '' ? e.in : e.path.slice(1)}: ${e.message}`).join('; ')

/** Maps any thrown error to the catalogue. */
export function toProblem (error: FastifyError | ProblemError | Error): ProblemError {
  if (error instanceof ProblemError) return error
  const e = error as FastifyError & { validation?: ValidationIssue[], validationContext?: string }
  if (Array.isArray(e.validation)) {
    const errors = fieldErrors(e.validation, PARTS[e.validationContext ?? 'body'] ?? 'body')
    return new ProblemError('WHODECIDES_ERR_VALIDATION', describe(errors), { errors })
  }
  const byFastifyCode: Record<string, ProblemCode> = {
    FST_ERR_CTP_BODY_TOO_LARGE: 'WHODECIDES_ERR_BODY_TOO_LARGE',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'WHODECIDES_ERR_UNSUPPORTED_MEDIA_TYPE',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'WHODECIDES_ERR_MALFORMED_JSON',
    FST_ERR_CTP_INVALID_JSON_BODY: 'WHODECIDES_ERR_MALFORMED_JSON'
  }
  const mapped = e.code === undefined ? undefined : byFastifyCode[e.code]
  if (mapped !== undefined) return new ProblemError(mapped, e.message)
  if (e instanceof SyntaxError && e.statusCode === 400) return new ProblemError('WHODECIDES_ERR_MALFORMED_JSON', e.message)
  // A constraint the services did not foresee (a race between two writers): still the client's conflict, not a crash.
  if (typeof e.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT')) {
    return new ProblemError('WHODECIDES_ERR_CONFLICT', 'The change conflicts with the current records; reload and retry')
  }
  // The write lock held by another connection past the busy timeout (the audit process storing a run): unavailable a moment.
  if (e.code === 'SQLITE_BUSY') return new ProblemError('WHODECIDES_ERR_UNAVAILABLE', 'The database is busy with another writer; retry shortly')
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const code = e.statusCode === 404 ? 'WHODECIDES_ERR_NOT_FOUND' : e.statusCode === 413 ? 'WHODECIDES_ERR_BODY_TOO_LARGE' : 'WHODECIDES_ERR_VALIDATION'
    return new ProblemError(code, e.message)
  }
  if (e.statusCode === 503) return new ProblemError('WHODECIDES_ERR_UNAVAILABLE', e.message)
  return new ProblemError('WHODECIDES_ERR_INTERNAL', 'An internal error occurred')
}

export function sendProblem (request: FastifyRequest, reply: FastifyReply, problem: ProblemError): FastifyReply {
  const { title } = problemCatalogue[problem.code]
  return reply
    .code(problem.statusCode)
    .type('application/problem+json')
    .send({
      type: problemType(problem.code),
      title,
      status: problem.statusCode,
      detail: problem.message,
      code: problem.code,
      instance: request.url.split('?')[0],
      requestId: request.id,
      ...problem.extras
    })
}

// Refusals by design, not failures: under overload, an error line with a stack for each would add to the load.
const LOAD_REFUSALS = new Set<ProblemCode>(['WHODECIDES_ERR_OVERLOADED', 'WHODECIDES_ERR_SHUTTING_DOWN'])

/** Logs the error (a 5xx with its stack) and answers it as problem details. */
export function handleError (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(error)
  if (problem.statusCode >= 500 && !LOAD_REFUSALS.has(problem.code)) {
    request.log.error({ err: error }, 'request failed')
  } else {
    request.log.info({ code: problem.code, detail: problem.message }, 'request refused')
  }
  return sendProblem(request, reply, problem)
}

async function problemDetails (app: FastifyInstance): Promise<void> {
  app.setErrorHandler(handleError)
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, new ProblemError('WHODECIDES_ERR_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`)))
}

export default fp(problemDetails, { name: 'problem-details' })
