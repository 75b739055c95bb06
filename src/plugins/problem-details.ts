// Turns every error into RFC 9457 problem details: catalogue errors, Fastify's own, Node's refusals of a malformed
// request, and the unexpected.
import { randomUUID } from 'node:crypto'
import { maxHeaderSize, STATUS_CODES, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { problemCatalogue, ProblemError, problemType, type FieldError, type ProblemCode } from '../errors.js'
import type { SecurityHeaders } from './security-headers.js'

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
  // The router's own refusals, which come before any hook (app.ts: frameworkErrors): named without echoing the URL.
  if (e.code === 'FST_ERR_BAD_URL') {
    return new ProblemError('WHODECIDES_ERR_VALIDATION', 'The path is not valid percent-encoding',
      { errors: [{ in: 'params', path: '', message: 'is not valid percent-encoding' }] })
  }
  if (e.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return new ProblemError('WHODECIDES_ERR_VALIDATION', 'A path parameter is longer than the service takes',
      { errors: [{ in: 'params', path: '', message: 'is too long' }] })
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
  // The process or the system out of file descriptors (too many connections, say): unavailable until some close.
  if (e.code === 'EMFILE' || e.code === 'ENFILE') return new ProblemError('WHODECIDES_ERR_UNAVAILABLE', 'The service has too many files open; retry shortly')
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

/**
 * A whole HTTP/1.1 answer with a problem document, for the refusals written straight to a connection, before there is
 * a request (a malformed one, a connection past the cap): the security headers, the id the log line names, and
 * `connection: close`. No `instance`: there is no URL to trust.
 */
export function rawProblem (problem: ProblemError, headers: SecurityHeaders, requestId: string, extraLines = ''): string {
  const status = problem.statusCode
  const body = JSON.stringify({
    type: problemType(problem.code),
    title: problemCatalogue[problem.code].title,
    status,
    detail: problem.message,
    code: problem.code,
    requestId,
    ...problem.extras
  })
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nx-request-id: ${requestId}\r\n${headers.lines}${extraLines}` +
    `content-type: application/problem+json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
}

/** Writes the answer, then closes the connection once it is sent. */
export function answerAndClose (socket: Socket, answer: string): void {
  socket.end(answer, () => socket.destroy())
}

/** Node's refusals of what its parser or its timers found wrong, as problems; any other parse error is a 400. */
function clientProblem (error: Error & { code?: string }): ProblemError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new ProblemError('WHODECIDES_ERR_HEADERS_TOO_LARGE', `The request line and headers are larger than the server reads (${maxHeaderSize} bytes)`,
        { errors: [{ in: 'headers', path: '', message: 'are too large' }] })
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new ProblemError('WHODECIDES_ERR_BODY_TOO_LARGE', 'The chunk extensions of the body are too large')
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ProblemError('WHODECIDES_ERR_REQUEST_TIMEOUT', 'The request was not received in time; send it whole, without pauses')
    default:
      return new ProblemError('WHODECIDES_ERR_VALIDATION', `The request is not well-formed HTTP/1.1: ${error.message}`)
  }
}

/**
 * The server's 'clientError' handler (Fastify's clientErrorHandler): Node found the request malformed, or not received
 * in time, before any request object exists. Answered as problem details with the security headers, as every answer
 * is; then the connection is closed, as Node does. It must never throw: it runs on the server's event.
 */
export function clientErrorHandler (headers: SecurityHeaders) {
  return function (this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
    try {
      // A reset connection has nobody to answer.
      if (error.code === 'ECONNRESET' || socket.destroyed) return
      // As Node does: nothing is written into an answer already under way on this connection.
      const answering = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage
      if (!socket.writable || (answering != null && answering.headersSent)) {
        socket.destroy()
        return
      }
      const problem = clientProblem(error)
      const requestId = randomUUID()
      this.log.info({ reqId: requestId, code: problem.code, detail: problem.message }, 'request refused')
      answerAndClose(socket, rawProblem(problem, headers, requestId))
    } catch (err) {
      this.log.error({ err }, 'cannot answer a malformed request')
      socket.destroy()
    }
  }
}

async function problemDetails (app: FastifyInstance): Promise<void> {
  app.setErrorHandler(handleError)
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, new ProblemError('WHODECIDES_ERR_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`)))
}

export default fp(problemDetails, { name: 'problem-details' })
