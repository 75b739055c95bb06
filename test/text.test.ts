// Text the registry stores is well-formed Unicode without control or bidirectional-override characters; names, titles
// and labels are one line and not blank: everything else is a 400 naming the field, on create, PATCH and import alike.
import Ajv2020Module from 'ajv/dist/2020.js'
import t from 'tap'
import type { Test } from 'tap'
import { LINES_PATTERN, ONE_LINE_PATTERN, STATEMENT_PATTERN } from '../src/schemas/text.js'
import { assertProblem, buildTestApp, type TestApp } from './helper.js'

/** Refused in every text field. */
const ALWAYS_BAD: Record<string, string[]> = {
  'a lone surrogate': ['\ud800', 'Ada \udbff', 'x\udc00y', '\udc00\ud800'],
  'a control character': ['\u0000', 'a\u0007b', 'red\u001b[31m', 'del\u007f', 'nel\u0085', '\u009f', 'a\u000bb', 'a\u000cb'],
  'a bidirectional override or isolate': ['\u202aa', 'invoice\u202efdp.exe', '\u202b', '\u202c', '\u202d', '\u2066x\u2069', '\u2067', '\u2068']
}
/** Refused on one line only. */
const LINE_BREAKS = ['a\tb', 'two\nlines', 'a\rb', 'a\r\nb', 'a\u2028b', 'a\u2029b']
/** Refused where the text must say something. */
const BLANK = [' ', '   ', '\u00a0', '\u3000', '\u200b', ' \u2003 \ufeff']
/** Taken in every text field, and read back as sent. */
const GOOD_ONE_LINE = ['Zoë Ångström', 'مرحبا بالعالم', 'Ada 🦄', 'e\u0301', 'O’Brien', 'left\u200eright', '🏳️‍🌈', ' padded ']
/** Taken where text may span lines. */
const GOOD_LINES = ['line one\nline two', 'col\tcol', 'windows\r\nline', 'a\u2028b']
/** Taken where text may be blank. */
const GOOD_BLANK = ['', ' ', '\n', '\t\r\n']

/** A string as ASCII, for a test name: tap's report breaks at U+2028 and worse. */
const show = (s: string): string => JSON.stringify(s).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

type Kind = 'one line' | 'lines' | 'statement'
interface Field { what: string, kind: Kind, method: 'POST' | 'PATCH', url: string, path: string, body: (v: string) => Record<string, unknown>, read?: string }

let unique = 0
const email = (): string => `p${++unique}@example.com`
const future = new Date(Date.now() + 86_400_000).toISOString()
/** A period of its own for each delegation, which may not overlap another of the same people. */
const aDay = (): { validFrom: string, validTo: string } => {
  const from = Date.UTC(2000, 0, 1) + ++unique * 86_400_000
  return { validFrom: new Date(from).toISOString(), validTo: new Date(from + 86_400_000).toISOString() }
}

const FIELDS: Field[] = [
  { what: 'a person\'s name', kind: 'one line', method: 'POST', url: '/v1/people', path: '/name', body: (name) => ({ name, email: email() }) },
  { what: 'a person\'s title', kind: 'one line', method: 'POST', url: '/v1/people', path: '/title', body: (title) => ({ name: 'X', email: email(), title }) },
  { what: 'a person\'s external id', kind: 'one line', method: 'POST', url: '/v1/people', path: '/externalId', body: (externalId) => ({ name: 'X', email: email(), externalId }) },
  { what: 'a person\'s name, patched', kind: 'one line', method: 'PATCH', url: '/v1/people/ada', path: '/name', body: (name) => ({ name }), read: '/v1/people/ada' },
  { what: 'a person\'s title, patched', kind: 'one line', method: 'PATCH', url: '/v1/people/ada', path: '/title', body: (title) => ({ title }), read: '/v1/people/ada' },
  { what: 'a domain\'s name', kind: 'one line', method: 'POST', url: '/v1/domains', path: '/name', body: (name) => ({ name }) },
  { what: 'a domain\'s name, patched', kind: 'one line', method: 'PATCH', url: '/v1/domains/pricing', path: '/name', body: (name) => ({ name }), read: '/v1/domains/pricing' },
  { what: 'a domain\'s description', kind: 'lines', method: 'POST', url: '/v1/domains', path: '/description', body: (description) => ({ name: 'D', description }) },
  { what: 'a domain\'s description, patched', kind: 'lines', method: 'PATCH', url: '/v1/domains/pricing', path: '/description', body: (description) => ({ description }), read: '/v1/domains/pricing' },
  { what: 'an initiative\'s title', kind: 'one line', method: 'POST', url: '/v1/initiatives', path: '/title', body: (title) => ({ title }) },
  { what: 'an initiative\'s title, patched', kind: 'one line', method: 'PATCH', url: '/v1/initiatives/launch', path: '/title', body: (title) => ({ title }), read: '/v1/initiatives/launch' },
  { what: 'an initiative\'s destination', kind: 'statement', method: 'POST', url: '/v1/initiatives', path: '/destination', body: (destination) => ({ title: 'T', destination }) },
  { what: 'an initiative\'s destination, patched', kind: 'statement', method: 'PATCH', url: '/v1/initiatives/launch', path: '/destination', body: (destination) => ({ destination }), read: '/v1/initiatives/launch' },
  { what: 'an initiative\'s description', kind: 'lines', method: 'POST', url: '/v1/initiatives', path: '/description', body: (description) => ({ title: 'T', description }) },
  { what: 'a decision\'s outcome', kind: 'statement', method: 'POST', url: '/v1/initiatives/launch/decisions', path: '/outcome', body: (outcome) => ({ decidedBy: 'ada', decidedAt: '2026-01-02T00:00:00Z', outcome }) },
  { what: 'a decision\'s rationale', kind: 'lines', method: 'POST', url: '/v1/initiatives/launch/decisions', path: '/rationale', body: (rationale) => ({ decidedBy: 'ada', decidedAt: '2026-01-02T00:00:00Z', outcome: 'Go', rationale }) },
  { what: 'a delegation\'s reason', kind: 'statement', method: 'POST', url: '/v1/delegations', path: '/reason', body: (reason) => ({ fromPersonId: 'ada', toPersonId: 'bo', allScopes: true, ...aDay(), reason }) },
  { what: 'a delegation\'s reason, patched', kind: 'statement', method: 'PATCH', url: '/v1/delegations/d1', path: '/reason', body: (reason) => ({ reason }), read: '/v1/delegations/d1' },
  { what: 'an influence\'s note', kind: 'lines', method: 'POST', url: '/v1/influences', path: '/note', body: (note) => ({ personId: 'bo', strength: 'high', initiativeId: 'launch', note }) },
  { what: 'an influence\'s note, patched', kind: 'lines', method: 'PATCH', url: '/v1/influences/i1', path: '/note', body: (note) => ({ note }), read: '/v1/influences/i1' },
  { what: 'a waiver\'s reason', kind: 'statement', method: 'POST', url: '/v1/waivers', path: '/reason', body: (reason) => ({ fingerprint: 'ab12', reason, expiresAt: future }) },
  { what: 'a key\'s label', kind: 'one line', method: 'POST', url: '/v1/keys', path: '/label', body: (label) => ({ label, role: 'reader' }) },
  { what: 'an id', kind: 'one line', method: 'POST', url: '/v1/people', path: '/id', body: (id) => ({ id, name: 'X', email: email() }) }
]

/** What a field of this kind refuses, by reason. */
function badFor (kind: Kind): Record<string, string[]> {
  return {
    ...ALWAYS_BAD,
    ...(kind === 'one line' ? { 'a line break or tab': LINE_BREAKS } : {}),
    ...(kind === 'lines' ? {} : { 'blank text': BLANK })
  }
}

t.test('the patterns: a table of what each kind of text takes, the same with the u flag or without, and in Ajv', async (t) => {
  const ajv = new Ajv2020Module.default({ strict: true })
  const patterns: Record<Kind, string> = { 'one line': ONE_LINE_PATTERN, lines: LINES_PATTERN, statement: STATEMENT_PATTERN }
  for (const [kind, pattern] of Object.entries(patterns) as [Kind, string][]) {
    const unicode = new RegExp(pattern, 'u')
    const units = new RegExp(pattern)
    const validate = ajv.compile({ type: 'string', pattern })
    const good = kind === 'one line' ? GOOD_ONE_LINE : [...GOOD_ONE_LINE, ...GOOD_LINES, ...(kind === 'lines' ? GOOD_BLANK : [])]
    const cases: [string, boolean][] = [...good.map((v): [string, boolean] => [v, true]), ...Object.values(badFor(kind)).flat().map((v): [string, boolean] => [v, false])]
    for (const [value, takes] of cases) {
      t.equal(unicode.test(value), takes, `${kind}: ${show(value)} ${takes ? 'taken' : 'refused'}`)
      t.equal(units.test(value), takes, `${kind}: ${show(value)}, without the u flag`)
      t.equal(validate(value), takes, `${kind}: ${show(value)}, by Ajv`)
    }
  }
})

async function registry (t: Test): Promise<TestApp & { changes: () => number, revision: () => number }> {
  const test = await buildTestApp(t)
  const { call, app } = test
  const setup: [string, Record<string, unknown>][] = [
    ['/v1/people', { id: 'ada', name: 'Ada', email: 'ada@example.com' }],
    ['/v1/people', { id: 'bo', name: 'Bo', email: 'bo@example.com' }],
    ['/v1/domains', { id: 'pricing', name: 'Pricing' }],
    ['/v1/initiatives', { id: 'launch', title: 'Launch', domainId: 'pricing' }],
    ['/v1/delegations', { id: 'd1', fromPersonId: 'ada', toPersonId: 'bo', allScopes: true, validFrom: '2019-01-01T00:00:00Z', validTo: '2019-01-02T00:00:00Z' }],
    ['/v1/influences', { id: 'i1', personId: 'bo', strength: 'high', initiativeId: 'launch' }]
  ]
  for (const [url, payload] of setup) t.equal((await call({ method: 'POST', url, payload })).statusCode, 201, `setup: ${url} ${String(payload.id)}`)
  const changes = (): number => (app.runtime.db.$client.prepare('SELECT count(*) AS n FROM changes').get() as { n: number }).n
  const revision = (): number => (app.runtime.db.$client.prepare('SELECT max(revision) AS r FROM changes').get() as { r: number }).r
  return { ...test, changes, revision }
}

t.test('a lone surrogate in a name is refused with a 400 naming the field, and nothing is written', async (t) => {
  const { call, changes } = await registry(t)
  const before = changes()
  const res = await call({ method: 'POST', url: '/v1/people', payload: { id: 'zed', name: 'Zed \ud800', email: 'zed@example.com' } })
  const problem = assertProblem(t, res, 400, 'WHODECIDES_ERR_VALIDATION')
  t.match(problem.errors, [{ in: 'body', path: '/name', message: /^must be one line of text .*well-formed Unicode/ }])
  t.equal(problem.errors.length, 1)
  t.match(problem.detail, /^name: must be one line/, 'the detail names the field, in words')
  t.equal((await call({ url: '/v1/people/zed' })).statusCode, 404, 'no record')
  t.equal(changes(), before, 'no change-log entry')
})

t.test('every text field refuses what it may not hold, with a 400 naming the field, and writes nothing', async (t) => {
  const { call, changes } = await registry(t)
  const before = changes()
  for (const field of FIELDS) {
    for (const [reason, values] of Object.entries(badFor(field.kind))) {
      for (const value of values) {
        const res = await call({ method: field.method, url: field.url, payload: field.body(value) })
        const what = `${field.what} with ${reason} (${show(value)})`
        if (res.statusCode !== 400) {
          t.fail(`${what}: ${res.statusCode} ${show(res.body.slice(0, 200))}`)
          continue
        }
        const problem = res.json()
        t.equal(problem.code, 'WHODECIDES_ERR_VALIDATION', what)
        t.same(problem.errors.map((e: { in: string, path: string }) => `${e.in} ${e.path}`), [`body ${field.path}`], `${what}: the field is named`)
      }
    }
  }
  t.equal(changes(), before, 'no refused request wrote anything')
})

t.test('text that is well-formed, visible and of the field\'s kind is taken and read back exactly as sent, in the record and the change log', async (t) => {
  const { call, revision } = await registry(t)
  for (const field of FIELDS.filter((f) => f.path !== '/id')) {
    const values = field.kind === 'one line' ? GOOD_ONE_LINE : [...GOOD_ONE_LINE, ...GOOD_LINES, ...(field.kind === 'lines' ? GOOD_BLANK : [])]
    for (const value of values) {
      const since = revision()
      const res = await call({ method: field.method, url: field.url, payload: field.body(value) })
      const what = `${field.what}: ${show(value)}`
      if (field.url === '/v1/waivers') {
        t.not(res.statusCode, 400, `${what} passes validation (${res.statusCode})`)
        continue
      }
      t.ok(res.statusCode === 200 || res.statusCode === 201, `${what}: ${res.statusCode} ${res.statusCode >= 300 ? show(res.body.slice(0, 200)) : ''}`)
      if (res.statusCode >= 300) continue
      const key = field.path.slice(1)
      const record = res.json()
      t.equal(record[key], value, `${what}: the answer`)
      if (field.url === '/v1/keys') continue
      const read = field.read ?? `${field.url}/${String(record.id)}`
      t.equal((await call({ url: read })).json()[key], value, `${what}: read back`)
      const entries = (await call({ url: `/v1/changes?since=${since}`, as: 'auditor' })).json().items
      t.equal(entries.find((e: { entityId: string }) => e.entityId === record.id)?.after[key], value, `${what}: the change log holds the same text`)
    }
  }
})

t.test('an import refuses the same text, naming the collection, the row and the field, and writes nothing', async (t) => {
  const { call, changes } = await registry(t)
  const before = changes()
  const bundle = {
    people: [{ id: 'zed', name: 'Zed \ud800', email: 'zed@example.com' }, { id: 'yu', name: 'Yu', email: 'yu@example.com', title: 'two\nlines' }],
    domains: [{ id: 'ops', name: 'Ops', description: 'bell\u0007' }],
    initiatives: [{ id: 'new', title: '\u3000', destination: 'east\u202ewest' }],
    decisions: [{ initiativeId: 'launch', decidedBy: 'ada', decidedAt: '2026-01-02T00:00:00Z', outcome: ' ', rationale: 'ok\nfine' }]
  }
  const problem = assertProblem(t, await call({ method: 'POST', url: '/v1/import', payload: bundle }), 422, 'WHODECIDES_ERR_INVALID_BUNDLE')
  const found = problem.report.invalid.map((i: { collection: string, index: number, field: string }) => `${i.collection}[${i.index}]${i.field}`).sort()
  t.same(found, ['decisions[0]/outcome', 'domains[0]/description', 'initiatives[0]/destination', 'initiatives[0]/title', 'people[0]/name', 'people[1]/title'])
  for (const row of problem.report.invalid) t.match(row.reason, /^must be .*well-formed Unicode/, `${row.collection}[${row.index}]${row.field}: said in words`)
  t.equal(changes(), before, 'nothing written')
})

t.test('a text far over its length is refused as too long, on a route and in an import, however it is written', async (t) => {
  // Past about 8 million repetitions V8 throws a RangeError in a pattern that repeats a group per character over a
  // string of non-Latin-1 text: the error listing runs every keyword, the pattern too, whatever maxLength said.
  const { call } = await buildTestApp(t, { bodyLimit: 64 * 1024 * 1024 })
  for (const [what, text] of [['ideographs', '李'.repeat(9_000_000)], ['ideographic spaces', '\u3000'.repeat(9_000_000)]]) {
    const route = assertProblem(t, await call({ method: 'POST', url: '/v1/domains', payload: { name: text, description: text } }), 400, 'WHODECIDES_ERR_VALIDATION')
    t.match(route.errors, [{ path: '/name', message: /200/ }, { path: '/description', message: /4000/ }], `${what}: too long, on a route`)
    const report = assertProblem(t, await call({ method: 'POST', url: '/v1/import', payload: { domains: [{ id: 'd', name: text }] } }), 422, 'WHODECIDES_ERR_INVALID_BUNDLE').report
    t.match(report.invalid, [{ collection: 'domains', index: 0, field: '/name', reason: /200/ }], `${what}: too long, in an import`)
  }
})
