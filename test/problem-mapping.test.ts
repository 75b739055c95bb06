// The mapping of errors that no request can provoke on purpose: a constraint race, other 4xx, 503, the unexpected.
import t from 'tap'
import { toProblem } from '../src/plugins/problem-details.js'

const error = (props: Record<string, unknown>): Error => Object.assign(new Error('boom'), props)

t.test('errors without a catalogue code map to the closest problem, and internals stay hidden', async (t) => {
  t.equal(toProblem(error({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).code, 'WHODECIDES_ERR_CONFLICT', 'a constraint race is a conflict')
  t.equal(toProblem(error({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })).statusCode, 409)
  t.equal(toProblem(error({ statusCode: 404 })).code, 'WHODECIDES_ERR_NOT_FOUND')
  t.equal(toProblem(error({ statusCode: 413 })).code, 'WHODECIDES_ERR_BODY_TOO_LARGE')
  t.equal(toProblem(error({ statusCode: 400, code: 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' })).code, 'WHODECIDES_ERR_VALIDATION')
  t.equal(toProblem(error({ statusCode: 503 })).code, 'WHODECIDES_ERR_UNAVAILABLE')
  const internal = toProblem(error({ code: 'SQLITE_IOERR' }))
  t.equal(internal.code, 'WHODECIDES_ERR_INTERNAL')
  t.equal(internal.statusCode, 500)
  t.equal(internal.message, 'An internal error occurred', 'the cause is not shown')
})
