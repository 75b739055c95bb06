// Problem details for errors Fastify raises itself: bad JSON, media types, body limits, unknown routes, validation paths.
import t from 'tap'
import { assertProblem, buildTestApp } from './helper.js'

const json = { 'content-type': 'application/json' }

t.test('body and routing errors are problem documents whose status matches', async (t) => {
  const { call } = await buildTestApp(t)
  const cases: [string, Parameters<typeof call>[0], number, string][] = [
    ['malformed JSON', { method: 'POST', url: '/v1/people', headers: json, payload: '{"name": "Ada",' }, 400, 'WHODECIDES_ERR_MALFORMED_JSON'],
    ['JSON of the wrong shape', { method: 'POST', url: '/v1/people', headers: json, payload: '[1, 2]' }, 400, 'WHODECIDES_ERR_VALIDATION'],
    ['empty JSON body', { method: 'POST', url: '/v1/people', headers: json, payload: '' }, 400, 'WHODECIDES_ERR_MALFORMED_JSON'],
    ['XML body', { method: 'POST', url: '/v1/people', headers: { 'content-type': 'application/xml' }, payload: '<person/>' }, 415, 'WHODECIDES_ERR_UNSUPPORTED_MEDIA_TYPE'],
    ['form body', { method: 'PATCH', url: '/v1/people/ada', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=Ada' }, 415, 'WHODECIDES_ERR_UNSUPPORTED_MEDIA_TYPE'],
    ['unknown route', { url: '/v1/widgets' }, 404, 'WHODECIDES_ERR_NOT_FOUND'],
    ['unknown method on a known path', { method: 'PUT', url: '/v1/people/ada', payload: {} }, 404, 'WHODECIDES_ERR_NOT_FOUND'],
    ['unknown public route', { as: null, url: '/nothing-here' }, 404, 'WHODECIDES_ERR_NOT_FOUND'],
    // Both are refused by the router before any hook runs (found by the fuzzer: they were Fastify's plain JSON).
    ['a URL that is not valid percent-encoding', { url: '/v1/people/%' }, 400, 'WHODECIDES_ERR_VALIDATION'],
    ['a path parameter longer than the router takes', { url: `/v1/people/${'a'.repeat(201)}` }, 400, 'WHODECIDES_ERR_VALIDATION']
  ]
  for (const [what, request, status, code] of cases) {
    t.test(what, async (t) => {
      const res = await call(request)
      const body = assertProblem(t, res, status, code)
      t.equal(body.instance, request.url)
      t.type(body.requestId, 'string')
      t.equal(res.headers['x-request-id'], body.requestId, 'the header names the same request')
    })
  }
  t.equal((await call({ url: '/v1/people' })).json().items.length, 0, 'nothing was written')
})

t.test('a body over the limit is a 413 problem', async (t) => {
  const { call } = await buildTestApp(t, { bodyLimit: 200 })
  const res = await call({ method: 'POST', url: '/v1/people', payload: { name: 'A'.repeat(300), email: 'a@example.com' } })
  assertProblem(t, res, 413, 'WHODECIDES_ERR_BODY_TOO_LARGE')
  t.equal((await call({ method: 'POST', url: '/v1/people', payload: { name: 'Ada', email: 'a@example.com' } })).statusCode, 201, 'a body under the limit passes')
})

t.test('validation errors name each offending field, in the body and in the query', async (t) => {
  const { call } = await buildTestApp(t)
  await call({ method: 'POST', url: '/v1/people', payload: { id: 'ada', name: 'Ada', email: 'ada@example.com' } })
  const cases: [string, Parameters<typeof call>[0], { in: string, path: string, message: RegExp }[]][] = [
    ['unknown field', { method: 'POST', url: '/v1/people', payload: { name: 'Bo', email: 'bo@example.com', shoeSize: 44 } },
      [{ in: 'body', path: '/shoeSize', message: /not a known field/ }]],
    ['missing required fields', { method: 'POST', url: '/v1/people', payload: {} },
      [{ in: 'body', path: '/name', message: /required/ }, { in: 'body', path: '/email', message: /required/ }]],
    ['wrong type', { method: 'POST', url: '/v1/people', payload: { name: 42, email: 'bo@example.com' } },
      [{ in: 'body', path: '/name', message: /string/ }]],
    ['wrong type in a nullable field', { method: 'PATCH', url: '/v1/people/ada', payload: { stakePercent: 'lots' } },
      [{ in: 'body', path: '/stakePercent', message: /./ }]],
    ['bad enum value', { method: 'PATCH', url: '/v1/people/ada', payload: { status: 'asleep' } },
      [{ in: 'body', path: '/status', message: /./ }]],
    ['an item of an array', { method: 'PATCH', url: '/v1/people/ada', payload: { tags: ['founder', 'Not A Tag'] } },
      [{ in: 'body', path: '/tags/1', message: /pattern/ }]],
    ['over-long string', { method: 'POST', url: '/v1/keys', payload: { label: 'x'.repeat(101), role: 'reader' } },
      [{ in: 'body', path: '/label', message: /100/ }]],
    ['query: wrong type', { url: '/v1/people?limit=many' }, [{ in: 'query', path: '/limit', message: /integer/ }]],
    ['query: out of range', { url: '/v1/people?limit=501' }, [{ in: 'query', path: '/limit', message: /500/ }]],
    ['query: unknown parameter', { url: '/v1/people?colour=red' }, [{ in: 'query', path: '/colour', message: /not a known field/ }]],
    ['query: bad enum value', { as: 'auditor', url: '/v1/changes?entity=widgets' }, [{ in: 'query', path: '/entity', message: /./ }]]
  ]
  for (const [what, request, errors] of cases) {
    t.test(what, async (t) => {
      const body = assertProblem(t, await call(request), 400, 'WHODECIDES_ERR_VALIDATION')
      t.equal(body.type, 'urn:whodecides:problem:invalid-request')
      t.match(body.errors, errors)
      t.equal(body.errors.length, errors.length, 'one entry per offending field')
      for (const e of errors) t.match(body.detail, e.path.slice(1), 'the detail names the field')
    })
  }
})
