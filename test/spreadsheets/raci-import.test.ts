// POST /v1/import with a RACI matrix (CSV or XLSX): the round trip, the same file twice, every problem at its cell
// with nothing written, bad files refused in words, formulas read by their saved value and never run.
import ExcelJS from 'exceljs'
import t from 'tap'
import { parseRaciXlsx } from '../../src/formats/raci-xlsx.js'
import { SYSTEM_ACTOR } from '../../src/services/keys.js'
import { exportRaciMatrix } from '../../src/services/spreadsheets/raci-export.js'
import { importRaciMatrix } from '../../src/services/spreadsheets/raci-import.js'
import { assertProblem, buildTestApp, type TestApp } from '../helper.js'
import { exportMatrix, importFile, registryOf, ROLE_CELLS, seedRegistry, XLSX } from './registry-fixture.js'

async function csvOf (test: TestApp): Promise<Buffer> {
  const res = await exportMatrix(test, '?format=csv')
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.rawPayload
}

async function xlsxOf (test: TestApp): Promise<Buffer> {
  const res = await exportMatrix(test, '?format=xlsx')
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.rawPayload
}

async function workbook (rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('RACI')
  rows.forEach((cells, index) => { sheet.getRow(index + 1).values = cells as ExcelJS.CellValue[] })
  return Buffer.from(await book.xlsx.writeBuffer())
}

t.test('CSV round trip: a matrix exported, imported into a registry without roles, exports the same', async (t) => {
  const source = await buildTestApp(t)
  await seedRegistry(source)
  const target = await buildTestApp(t)
  await seedRegistry(target, false)
  const csv = await csvOf(source)
  const res = await importFile(target, csv, 'text/csv')
  t.equal(res.statusCode, 200, res.body.slice(0, 500))
  t.match(res.json(), { kind: 'raci', dryRun: false, created: ROLE_CELLS, changed: 0, ended: 0, unchanged: 0, problems: [] })
  t.ok(Number(res.headers['x-revision']) > 0)
  t.equal((await csvOf(target)).toString('utf8'), csv.toString('utf8'))
  const raci = (await target.call({ method: 'GET', url: '/v1/initiatives/pricing/raci' })).json()
  t.same(raci.A.map((h: any) => h.personId), ['ada'])
})

t.test('XLSX round trip: the same matrix back', async (t) => {
  const source = await buildTestApp(t)
  await seedRegistry(source)
  const target = await buildTestApp(t)
  await seedRegistry(target, false)
  const xlsx = await xlsxOf(source)
  const res = await importFile(target, xlsx, XLSX)
  t.equal(res.statusCode, 200, res.body.slice(0, 500))
  t.match(res.json(), { created: ROLE_CELLS, ended: 0, problems: [] })
  t.same((await parseRaciXlsx(await xlsxOf(target))).matrix, (await parseRaciXlsx(xlsx)).matrix)
  t.equal((await csvOf(target)).toString('utf8'), (await csvOf(source)).toString('utf8'))
})

t.test('the same file twice changes nothing; an edit creates and ends only what it changes, in the change log', async (t) => {
  const test = await buildTestApp(t)
  await seedRegistry(test)
  const csv = await csvOf(test)
  const before = await registryOf(test)
  for (const type of ['text/csv', XLSX]) {
    const res = await importFile(test, type === XLSX ? await xlsxOf(test) : csv, type)
    t.equal(res.statusCode, 200, res.body.slice(0, 500))
    t.match(res.json(), { created: 0, changed: 0, ended: 0, unchanged: ROLE_CELLS, revision: null })
    t.equal(res.headers['x-revision'], undefined)
  }
  t.same(await registryOf(test), before, 'nothing written')

  // Bob is no longer R on pricing, Eve is informed, and hiring moves to Sales.
  const edited = csv.toString('utf8')
    .replace('New pricing,Sales,single,A,R,C/I,,', 'New pricing,Sales,single,A,,C/I,,I')
    .replace('Hiring plan,Operations,single', 'Hiring plan,Sales,single')
  t.not(edited, csv.toString('utf8'))
  const res = await importFile(test, edited, 'text/csv; charset=utf-8')
  t.equal(res.statusCode, 200, res.body.slice(0, 500))
  t.match(res.json(), { created: 1, changed: 1, ended: 1, unchanged: ROLE_CELLS - 1 })
  const pricing = (await test.call({ method: 'GET', url: '/v1/initiatives/pricing/raci' })).json()
  t.same(pricing.R, [])
  t.same(pricing.I.map((h: any) => h.personId).sort(), ['cyd', 'eve'])
  t.equal((await test.call({ method: 'GET', url: '/v1/initiatives/hiring' })).json().domainId, 'sales')
  const changes = (await test.call({ method: 'GET', url: `/v1/changes?since=${Number(res.headers['x-revision']) - 3}` })).json()
  t.same(changes.items.map((c: any) => `${c.entity}:${c.action}`).sort(), ['assignments:create', 'assignments:update', 'initiatives:update'])
  t.match((await importFile(test, edited, 'text/csv')).json(), { created: 0, changed: 0, ended: 0 }, 'and the edit twice changes nothing more')
})

t.test('every problem by row and column, in errors[] and the report; nothing written', async (t) => {
  const test = await buildTestApp(t)
  await seedRegistry(test)
  const before = await registryOf(test)
  const csv = [
    'Initiative,Domain,ada@example.com,nobody@example.com,Bob Babbage,bob,E-1',
    'New pricing,Sales,A,R,X,,',
    'No such thing,,R,,,,',
    'Hiring plan,Nowhere,,,,,',
    'hiring,Operations,,,,,'
  ].join('\r\n')
  const res = await importFile(test, csv, 'text/csv')
  const problem = assertProblem(t, res, 422, 'WHODECIDES_ERR_INVALID_SPREADSHEET')
  const at = (kind: string): string[] => problem.report.problems.filter((p: any) => p.kind === kind).map((p: any) => p.cell)
  t.same(at('unknown-person'), ['D1'])
  t.same(at('duplicate-person'), ['F1', 'G1'], 'bob by name and by id, ada by external id: one column each')
  t.same(at('bad-cell'), ['E2'])
  t.same(at('unknown-initiative'), ['A3'])
  t.same(at('unknown-domain'), ['B4'])
  t.same(at('duplicate-initiative'), ['A5'], 'hiring by id, as row 4 by title')
  for (const p of problem.report.problems) t.type(p.row, 'number')
  t.same(problem.errors.map((e: any) => e.path), problem.report.problems.map((p: any) => `/${p.cell}`))
  t.match(problem.errors[0].message, /^[A-Z]+\d+: /)
  t.same(await registryOf(test), before, 'nothing written')
})

t.test('bad files: a stray quote, a truncated workbook, a file over 50 MB, a people-only kind for a workbook', async (t) => {
  const test = await buildTestApp(t)
  await seedRegistry(test)
  const before = await registryOf(test)
  const quote = assertProblem(t, await importFile(test, 'Initiative,ada@example.com\r\nNew "pricing,A\r\n', 'text/csv'), 422, 'WHODECIDES_ERR_INVALID_SPREADSHEET')
  t.match(quote.detail, /line 2/)
  const xlsx = await xlsxOf(test)
  const truncated = assertProblem(t, await importFile(test, xlsx.subarray(0, Math.floor(xlsx.length / 2)), XLSX), 422, 'WHODECIDES_ERR_INVALID_SPREADSHEET')
  t.equal(truncated.report.problems[0].kind, 'unreadable-file')
  const large = assertProblem(t, await importFile(test, Buffer.alloc(50 * 1024 * 1024 + 1, 'a'), 'text/csv'), 413, 'WHODECIDES_ERR_BODY_TOO_LARGE')
  t.match(large.detail, /^The file \(52428801 bytes\) is over the limit: a spreadsheet may be at most 50 MB/)
  assertProblem(t, await importFile(test, xlsx, XLSX, '?kind=people'), 400, 'WHODECIDES_ERR_VALIDATION')
  assertProblem(t, await importFile(test, await csvOf(test), 'text/csv', '?mode=replace'), 400, 'WHODECIDES_ERR_VALIDATION')
  t.same(await registryOf(test), before, 'nothing written')
})

t.test('formulas: a cell is read by the value saved with it, never evaluated; one saved without a value is a problem', async (t) => {
  const test = await buildTestApp(t)
  await seedRegistry(test, false)
  const withResults = await workbook([
    ['Initiative', 'ada@example.com', 'bob@example.com'],
    ['New pricing', { formula: 'LOWER("R")', result: 'A' }, { formula: '1+1', result: 'R' }]
  ])
  const res = await importFile(test, withResults, XLSX)
  t.equal(res.statusCode, 200, res.body.slice(0, 500))
  const raci = (await test.call({ method: 'GET', url: '/v1/initiatives/pricing/raci' })).json()
  t.same([raci.A.map((h: any) => h.personId), raci.R.map((h: any) => h.personId)], [['ada'], ['bob']])

  const before = await registryOf(test)
  const unsaved = await workbook([['Initiative', 'ada@example.com'], ['Hiring plan', { formula: 'CHAR(65)' }]])
  const problem = assertProblem(t, await importFile(test, unsaved, XLSX), 422, 'WHODECIDES_ERR_INVALID_SPREADSHEET')
  t.same(problem.report.problems.map((p: any) => [p.kind, p.cell]), [['formula-without-value', 'B2']])
  t.same(await registryOf(test), before)
})

t.test('a dry run reports and writes nothing; a reader may not import', async (t) => {
  const test = await buildTestApp(t)
  await seedRegistry(test)
  const csv = (await csvOf(test)).toString('utf8').replace('New pricing,Sales,single,A,R,', 'New pricing,Sales,single,A,,')
  const before = await registryOf(test)
  const dry = await importFile(test, csv, 'text/csv', '?dryRun=true', 'editor')
  t.equal(dry.statusCode, 200, dry.body.slice(0, 300))
  t.match(dry.json(), { dryRun: true, revision: null, ended: 1 })
  t.same(await registryOf(test), before)
  assertProblem(t, await importFile(test, csv, 'text/csv', '', 'reader'), 403, 'WHODECIDES_ERR_FORBIDDEN')
})

t.test('an Idempotency-Key replays the same file\'s answer', async (t) => {
  const test = await buildTestApp(t)
  await seedRegistry(test, false)
  const source = await buildTestApp(t)
  await seedRegistry(source)
  const csv = await csvOf(source)
  const send = async () => await test.call({ method: 'POST', url: '/v1/import', payload: csv, headers: { 'content-type': 'text/csv', 'idempotency-key': 'raci-1' } })
  const first = await send()
  t.equal(first.statusCode, 200, first.body.slice(0, 300))
  const again = await send()
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.equal(again.body, first.body)
})

t.test('a name or title that several records answer to is ambiguous, at its cell', async (t) => {
  const test = await buildTestApp(t)
  await seedRegistry(test)
  for (const [url, payload] of [['/v1/people', { id: 'ada2', name: 'ada lovelace', email: 'ada2@example.com' }], ['/v1/initiatives', { id: 'pricing2', title: 'New pricing' }]] as const) {
    t.equal((await test.call({ method: 'POST', url, payload })).statusCode, 201)
  }
  const problem = assertProblem(t, await importFile(test, 'Initiative,Ada Lovelace,bob@example.com\r\nNew pricing,A,R\r\npricing2,,A\r\n', 'text/csv'), 422, 'WHODECIDES_ERR_INVALID_SPREADSHEET')
  t.same(problem.report.problems.map((p: any) => [p.kind, p.cell]), [['ambiguous-person', 'B1'], ['ambiguous-initiative', 'A2']])
  t.match(problem.report.problems[0].message, /^B1: 2 people answer to "Ada Lovelace"/)
})

t.test('the services the command line calls: importRaciMatrix and exportRaciMatrix on a connection', async (t) => {
  const source = await buildTestApp(t)
  await seedRegistry(source)
  const target = await buildTestApp(t)
  await seedRegistry(target, false)
  const xlsx = await exportRaciMatrix(source.app.runtime.db, { format: 'xlsx' })
  const dry = await importRaciMatrix(target.app.runtime.db, SYSTEM_ACTOR, xlsx, { kind: 'xlsx', dryRun: true })
  t.match(dry, { kind: 'raci', dryRun: true, revision: null, created: ROLE_CELLS })
  const report = await importRaciMatrix(target.app.runtime.db, SYSTEM_ACTOR, xlsx, { kind: 'xlsx' })
  t.match(report, { dryRun: false, created: ROLE_CELLS, problems: [] })
  t.ok(report.revision !== null && report.revision > 0)
  t.equal((await exportRaciMatrix(target.app.runtime.db, { format: 'csv' })).toString('utf8'), (await exportRaciMatrix(source.app.runtime.db, { format: 'csv' })).toString('utf8'))
  await t.rejects(importRaciMatrix(target.app.runtime.db, SYSTEM_ACTOR, Buffer.from('Initiative,nobody\r\n'), { kind: 'csv' }), { code: 'WHODECIDES_ERR_INVALID_SPREADSHEET' })
})
