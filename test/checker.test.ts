// Explaining why a request is invalid costs no more than checking it: long arrays, duplicates, and the schemas allowed.
import t from 'tap'
import Type from 'typebox'
import { compileChecker, EXPLAINED_ITEMS } from '../src/schemas/checker.js'
import { ResolveDecidersBody } from '../src/schemas/deciders.js'
import { validatorCompiler } from '../src/schemas/validator.js'
import { assertProblem, buildTestApp } from './helper.js'

/** An array whose reads of items are counted. */
function counted<T> (items: T[]): { array: T[], reads: () => number } {
  let reads = 0
  const array = new Proxy(items, {
    get (target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++
      return Reflect.get(target, key, receiver) as unknown
    }
  })
  return { array, reads: () => reads }
}

t.test('a request with a long array of duplicates is explained from its first items, not all of them', async (t) => {
  const validate = validatorCompiler({ schema: ResolveDecidersBody, httpPart: 'body', method: 'POST', url: '/v1/deciders/resolve' } as never) as
    (value: unknown) => { value?: unknown, error?: { instancePath: string, keyword: string }[] }
  const n = 100_000
  const { array, reads } = counted(Array.from({ length: n }, () => 'same-id'))
  compileChecker(ResolveDecidersBody).Check({ initiativeIds: array })
  const checking = reads()
  const result = validate({ initiativeIds: array })
  t.match(result.error, [{ instancePath: '/initiativeIds', keyword: 'maxItems' }], 'over maxItems')
  // Before, the explanation read every item again and copied its list of duplicates once per duplicate
  // (quadratic: 40k duplicate ids held the event loop for 16 s).
  const explaining = reads() - 2 * checking // the check above, and the validator's own
  t.ok(explaining <= 2 * EXPLAINED_ITEMS, `the explanation read ${explaining} of ${n} items (the check ${checking})`)
})

t.test('duplicates within maxItems, and items invalid past the first ones, are still explained', async (t) => {
  const checker = compileChecker(ResolveDecidersBody)
  t.match(checker.Errors({ initiativeIds: ['a', 'b', 'a'] }), [{ instancePath: '/initiativeIds', keyword: 'uniqueItems' }])
  const long = compileChecker(Type.Object({ ids: Type.Array(Type.String({ maxLength: 3 }), { maxItems: 100_000 }) }))
  const ids = Array.from({ length: 5000 }, () => 'ok')
  ids[4000] = 'too long'
  t.match(long.Errors({ ids }), [{ instancePath: '/ids/4000', keyword: 'maxLength' }], 'found past the first items')
  t.same(long.Errors({ ids: ['ok'] }), [], 'a valid value has no errors')
})

t.test('a schema whose explanation could not be bounded fails when the route is compiled', async (t) => {
  t.throws(() => compileChecker(Type.Object({ tags: Type.Array(Type.String(), { uniqueItems: true }) })), /\/properties\/tags: uniqueItems needs maxItems of at most 1000/)
  t.throws(() => compileChecker(Type.Array(Type.String(), { uniqueItems: true, maxItems: 5000 })), /uniqueItems needs maxItems/)
  t.throws(() => compileChecker(Type.Array(Type.String(), { minItems: 2000, maxItems: 5000 })), /minItems would make the explanation of a cut array wrong/)
  t.doesNotThrow(() => compileChecker(Type.Array(Type.String(), { uniqueItems: true, maxItems: 20 })))
})

t.test('through the API: duplicates over the limit name the field; within it, name the duplicates', async (t) => {
  const { call } = await buildTestApp(t)
  const tags = assertProblem(t, await call({ method: 'POST', url: '/v1/people', payload: { name: 'X', email: 'x@example.com', tags: Array(50_000).fill('a') } }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.match(tags.errors, [{ in: 'body', path: '/tags', message: /20/ }])
  const ids = assertProblem(t, await call({ as: 'reader', method: 'POST', url: '/v1/deciders/resolve', payload: { initiativeIds: ['a', 'a'] } }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.match(ids.errors, [{ in: 'body', path: '/initiativeIds' }])
  const bundle = assertProblem(t, await call({ method: 'POST', url: '/v1/import?dryRun=true', payload: { people: [{ name: 'X', email: 'x@example.com', tags: Array(50_000).fill('a') }] } }), 422, 'WHODECIDES_ERR_INVALID_BUNDLE')
  t.match(bundle.report.invalid, [{ collection: 'people', index: 0, field: '/tags' }])
})

t.test('a deeply nested value where a list of unique items is expected is a 400 naming it, not a 500', async (t) => {
  const { call } = await buildTestApp(t)
  const deep = '['.repeat(100_000) + ']'.repeat(100_000)
  const json = { 'content-type': 'application/json' }
  const tags = assertProblem(t, await call({ method: 'POST', url: '/v1/people', headers: json, payload: `{"name":"X","email":"x@example.com","tags":[${deep}]}` }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.match(tags.errors, [{ in: 'body', path: '/tags/0' }])
  const ids = assertProblem(t, await call({ as: 'reader', method: 'POST', url: '/v1/deciders/resolve', headers: json, payload: `{"initiativeIds":[${deep},"a"]}` }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.match(ids.errors, [{ in: 'body', path: '/initiativeIds/0' }])
  const bundle = assertProblem(t, await call({ method: 'POST', url: '/v1/import?dryRun=true', headers: json, payload: `{"people":[{"name":"X","email":"x@example.com","tags":[${deep}]}]}` }), 422, 'WHODECIDES_ERR_INVALID_BUNDLE')
  t.match(bundle.report.invalid, [{ collection: 'people', index: 0, field: '/tags/0' }])
})
