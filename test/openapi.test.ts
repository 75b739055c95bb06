// The OpenAPI contract: the committed file is the generated one, and every operation documents what clients rely on.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { packageRoot } from '../src/config.js'
import { generateOpenApi } from '../src/openapi-document.js'
import { buildTestApp } from './helper.js'

type Schema = Record<string, any>
type Operation = Record<string, any>

const ROOT = packageRoot()
const COMMITTED = join(ROOT, 'openapi', 'openapi.json')
const generated = await generateOpenApi()
const document = JSON.parse(generated) as { paths: Record<string, Record<string, Operation>> }

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).filter(([method]) => METHODS.includes(method)).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, path, op })))

/** The first line where two texts differ, with a little context, for a readable failure. */
function firstDifference (a: string, b: string): string {
  const left = a.split('\n')
  const right = b.split('\n')
  const at = left.findIndex((line, i) => line !== right[i])
  const line = at === -1 ? Math.min(left.length, right.length) : at
  return `line ${line + 1}: committed ${JSON.stringify(left[line] ?? '<end of file>')}, generated ${JSON.stringify(right[line] ?? '<end of file>')}`
}

/** Calls visit on the schema and every schema nested in it, with a JSON-Pointer-like path. */
function walk (schema: unknown, path: string, visit: (schema: Schema, path: string) => void): void {
  if (schema === null || typeof schema !== 'object') return
  const s = schema as Schema
  visit(s, path)
  for (const [name, child] of Object.entries((s.properties ?? {}) as Record<string, unknown>)) walk(child, `${path}/${name}`, visit)
  for (const [pattern, child] of Object.entries((s.patternProperties ?? {}) as Record<string, unknown>)) walk(child, `${path}/${pattern}`, visit)
  if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${path}/*`, visit)
  if (Array.isArray(s.items)) s.items.forEach((child: unknown, i: number) => walk(child, `${path}/${i}`, visit))
  else walk(s.items, `${path}/[]`, visit)
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(s[keyword])) s[keyword].forEach((child: unknown) => walk(child, path, visit))
  }
  walk(s.not, path, visit)
}

const typesOf = (s: Schema): string[] => Array.isArray(s.type) ? s.type as string[] : typeof s.type === 'string' ? [s.type] : []

/** The places a request carries data: its body and its parameters. */
function requestSchemas (op: Operation): Array<{ where: string, schema: unknown }> {
  const found: Array<{ where: string, schema: unknown }> = []
  for (const [type, media] of Object.entries((op.requestBody?.content ?? {}) as Record<string, Schema>)) found.push({ where: `body (${type})`, schema: media.schema })
  for (const param of (op.parameters ?? []) as Schema[]) found.push({ where: `${String(param.in)} ${String(param.name)}`, schema: param.schema })
  return found
}

const hasExample = (media: Schema): boolean => media.example !== undefined || media.examples !== undefined || media.schema?.examples !== undefined

/** A record's example: on the media type, or on an object schema inside (a page's items, say). */
function hasRecordExample (media: Schema): boolean {
  if (hasExample(media)) return true
  let found = false
  walk(media.schema, '', (s) => { if (Array.isArray(s.examples) && (typesOf(s).includes('object') || s.properties !== undefined)) found = true })
  return found
}

t.test('openapi/openapi.json is the generated document, byte for byte', async (t) => {
  const committed = readFileSync(COMMITTED, 'utf8')
  const same = committed === generated
  t.ok(same, same
    ? 'openapi/openapi.json is up to date'
    : `openapi/openapi.json is stale: run \`npm run openapi\` and commit the result (${firstDifference(committed, generated)})`)
})

t.test('the document is OpenAPI 3.1 with operations', async (t) => {
  t.match(document, { openapi: '3.1.0', info: { title: 'whodecides' } })
  t.ok(operations.length > 0)
  t.ok(operations.some(({ name }) => name === 'GET /health'))
  t.notOk(operations.some(({ path }) => path.startsWith('/docs') || path === '/openapi.json'), 'the docs routes themselves are not operations')
})

t.test('every operation: operationId, tags, summary, a 2xx response with its schema, problem responses', async (t) => {
  const ids = new Set<string>()
  for (const { name, path, op } of operations) {
    t.test(name, async (t) => {
      t.match(op.operationId, /^[a-z][A-Za-z0-9]+$/, 'operationId')
      t.notOk(ids.has(op.operationId), `operationId ${String(op.operationId)} is unique`)
      ids.add(op.operationId)
      t.ok(Array.isArray(op.tags) && op.tags.length > 0, 'tags')
      t.ok(typeof op.summary === 'string' && op.summary.length > 0, 'summary')

      const responses = (op.responses ?? {}) as Record<string, Schema>
      const success = Object.keys(responses).filter((status) => /^2\d\d$/.test(status))
      t.ok(success.length > 0, 'a 2xx response')
      for (const status of success) {
        if (status === '204') {
          t.equal(responses[status]?.content, undefined, '204 has no body')
          continue
        }
        const content = (responses[status]?.content ?? {}) as Record<string, Schema>
        const media = Object.values(content)
        t.ok(media.length > 0 && media.every((m) => m.schema !== undefined), `${status} has a response schema`)
        t.ok(media.every(hasRecordExample), `${status} shows an example`)
      }

      const problemStatuses = Object.keys(responses).filter((status) => /^[45]\d\d$/.test(status))
      t.ok(problemStatuses.some((status) => status.startsWith('4')) || path === '/health', 'at least one 4xx problem response')
      for (const status of problemStatuses) {
        t.ok(responses[status]?.content?.['application/problem+json']?.schema !== undefined, `${status} is application/problem+json`)
      }
      if (path.startsWith('/v1/')) {
        t.ok(responses['401'] !== undefined, '401 documented')
        t.ok(responses['403'] !== undefined, '403 documented')
        t.notSame(op.security, [], 'needs a key')
      } else {
        t.same(op.security, [], 'public')
      }

      if (op.requestBody !== undefined) {
        const media = Object.values((op.requestBody.content ?? {}) as Record<string, Schema>)
        t.ok(media.length > 0 && media.every(hasExample), 'the request body shows an example')
      }
    })
  }
})

/** The strings without maxLength and arrays without maxItems anywhere in a request. */
function unboundedFields (op: Operation): string[] {
  const unbounded: string[] = []
  for (const { where, schema } of requestSchemas(op)) {
    walk(schema, '', (s, path) => {
      const types = typesOf(s)
      const at = `${where}${path === '' ? '' : ` ${path}`}`
      const fixed = s.enum !== undefined || s.const !== undefined
      if (types.includes('string') && !fixed && typeof s.maxLength !== 'number') unbounded.push(`${at}: a string without maxLength`)
      if (types.includes('array') && typeof s.maxItems !== 'number') unbounded.push(`${at}: an array without maxItems`)
    })
  }
  return unbounded
}

t.test('the bounds check finds what it looks for', async (t) => {
  const op = {
    parameters: [{ in: 'query', name: 'q', schema: { type: 'string' } }],
    requestBody: {
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: {
              ok: { type: 'string', maxLength: 5 },
              kind: { type: 'string', enum: ['a', 'b'] },
              note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
              tags: { type: 'array', maxItems: 3, items: { type: 'string' } },
              rows: { type: 'array', items: { type: 'object', properties: { name: { type: ['string', 'null'] } } } }
            }
          }
        }
      }
    }
  }
  t.same(unboundedFields(op), [
    'body (application/json) /note: a string without maxLength',
    'body (application/json) /tags/[]: a string without maxLength',
    'body (application/json) /rows: an array without maxItems',
    'body (application/json) /rows/[]/name: a string without maxLength',
    'query q: a string without maxLength'
  ])
})

t.test('every string in a request has a maxLength, every array a maxItems', async (t) => {
  for (const { name, op } of operations) {
    t.same(unboundedFields(op), [], `${name}: every string and array of the request is bounded`)
  }
})

t.test('/openapi.json serves the same document, /docs the browsable one', async (t) => {
  const { call } = await buildTestApp(t)
  const json = await call({ method: 'GET', url: '/openapi.json', as: null })
  t.equal(json.statusCode, 200)
  t.match(json.headers['content-type'], /^application\/json/)
  t.equal(JSON.stringify(json.json(), null, 2) + '\n', generated, 'the served document is the generated one')

  let docs = await call({ method: 'GET', url: '/docs', as: null })
  for (let hops = 0; docs.statusCode >= 300 && docs.statusCode < 400 && hops < 3; hops++) {
    const location = new URL(String(docs.headers.location), 'http://localhost/docs').pathname
    docs = await call({ method: 'GET', url: location, as: null })
  }
  t.equal(docs.statusCode, 200, '/docs answers')
  t.match(docs.headers['content-type'], /^text\/html/)
  t.match(docs.body, /swagger/i)
})

/** Runs src/cli.ts with tsx as `npm run openapi` does. */
async function cli (args: string[]): Promise<{ code: number | null, stdout: string, stderr: string }> {
  // tap's process tracker hooks the child: its coverage is turned off, since tsx-compiled coverage skews tap's report.
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_OPTIONS' && !name.startsWith('_TAPJS'))), _TAPJS_PROCESSINFO_COVERAGE_: '0' }
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, stdout, stderr }
}

t.test('the command line prints or writes the same document', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-openapi-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'openapi.json')
  const [printed, written, usage] = await Promise.all([cli(['openapi']), cli(['openapi', file]), cli(['nonsense'])])
  t.equal(printed.code, 0)
  t.ok(printed.stdout === generated, 'openapi prints the document to stdout, and nothing else')
  t.equal(written.code, 0)
  t.equal(written.stdout, '')
  t.ok(readFileSync(file, 'utf8') === generated, 'openapi FILE writes it')
  t.equal(usage.code, 2, 'an unknown command exits 2')
  t.match(usage.stderr, /^usage: whodecides <openapi\|backup>/)
})
