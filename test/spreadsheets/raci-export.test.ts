// GET /v1/raci: the organization-wide matrix as JSON, CSV or XLSX (by Accept or ?format=), by domain and at a time,
// problem cells from the live rules, formula injection escaped.
import ExcelJS from 'exceljs'
import t from 'tap'
import { parseRaciCsv } from '../../src/formats/raci-csv.js'
import { assertProblem, buildTestApp } from '../helper.js'
import { exportMatrix, seedRegistry, XLSX } from './registry-fixture.js'

t.test('JSON: every initiative a row, the role holders as columns by name, the roles held directly', async (t) => {
  const test = await buildTestApp(t)
  await seedRegistry(test)
  const res = await exportMatrix(test, '')
  t.equal(res.statusCode, 200, res.body.slice(0, 300))
  t.match(res.headers['content-type'], /^application\/json/)
  const view = res.json()
  t.same(view.rows.map((r: any) => r.initiativeId), ['crm', 'formula', 'hiring', 'move', 'pricing'])
  t.same(view.people.map((p: any) => p.id), ['ada', 'bob', 'cyd', 'dee', 'eve'])
  t.same(view.people.map((p: any) => p.header), ['ada@example.com', 'bob@example.com', 'cyd@example.com', 'dee@example.com', 'eve@example.com'])
  const pricing = view.rows.find((r: any) => r.initiativeId === 'pricing')
  t.same(pricing.roles, { ada: ['A'], bob: ['R'], cyd: ['C', 'I'] })
  t.equal(pricing.label, 'New pricing')
  t.equal(pricing.domain, 'Sales')
  t.equal(view.rows.find((r: any) => r.initiativeId === 'hiring').roles.bob.join('/'), 'R/A')
})

t.test('problem cells: two A\'s, no A, a retired person holding a role', async (t) => {
  const test = await buildTestApp(t)
  await seedRegistry(test)
  const { problems } = (await exportMatrix(test, '?format=json')).json()
  const has = (initiativeId: string, personId: string | null, ruleId: string): boolean =>
    problems.some((p: any) => p.initiativeId === initiativeId && p.personId === personId && p.ruleId === ruleId)
  t.ok(has('hiring', 'ada', 'multiple-final-deciders'), 'two A\'s: the first holder\'s cell')
  t.ok(has('hiring', 'bob', 'multiple-final-deciders'), 'two A\'s: the second holder\'s cell')
  t.ok(has('move', null, 'no-final-decider'), 'no A: the row')
  t.ok(has('crm', 'dee', 'inactive-role-holder'), 'a retired person holding a role')
  t.notOk(problems.some((p: any) => p.initiativeId === 'pricing'), 'a clear row has no problem cell')
})

t.test('CSV by Accept or ?format=; the formula-like title escaped', async (t) => {
  const test = await buildTestApp(t)
  await seedRegistry(test)
  const byAccept = await exportMatrix(test, '', 'text/csv')
  const byQuery = await exportMatrix(test, '?format=csv', 'application/json')
  for (const res of [byAccept, byQuery]) {
    t.equal(res.statusCode, 200)
    t.match(res.headers['content-type'], /^text\/csv/)
    t.match(res.headers['content-disposition'], /^attachment; filename="raci-all-\d{4}-\d{2}-\d{2}\.csv"$/)
  }
  t.equal(byAccept.body, byQuery.body)
  const text = byAccept.rawPayload.toString('utf8')
  t.ok(text.startsWith('\ufeffInitiative,Domain,Decision rule,ada@example.com'), text.slice(0, 80))
  t.match(text, /\r\n"'=HYPERLINK\(""http:\/\/evil\.example"",""click""\)",Operations,single,,,A,,\r\n/, 'the formula is text, escaped with a leading quote')
  const read = parseRaciCsv(byAccept.rawPayload)
  t.same(read.problems, [])
  t.equal(read.matrix.rows.length, 5)
})

t.test('XLSX: problem cells filled and commented, header and first column frozen, the findings on a second sheet', async (t) => {
  const test = await buildTestApp(t)
  await seedRegistry(test)
  const res = await exportMatrix(test, '', `${XLSX}, application/json;q=0.5`)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], XLSX)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer)
  const sheet = workbook.worksheets[0]!
  t.equal(sheet.name, 'RACI')
  t.match(sheet.views[0], { state: 'frozen', xSplit: 1, ySplit: 1 })
  const header = (sheet.getRow(1).values as unknown[]).slice(1)
  const rowOf = (title: string): number => { let found = 0; sheet.eachRow((row, n) => { if (row.getCell(1).value === title) found = n }); return found }
  const note = (cell: ExcelJS.Cell): string | undefined => {
    const value = cell.note
    return typeof value === 'string' ? value : value?.texts?.map((run) => run.text).join('')
  }
  const hiring = sheet.getRow(rowOf('Hiring plan'))
  const ada = header.indexOf('ada@example.com') + 1
  t.equal(hiring.getCell(ada).value, 'A')
  t.match(note(hiring.getCell(ada)), /multiple-final-deciders/)
  t.equal((hiring.getCell(ada).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb, 'FFFFC7CE')
  t.match(note(sheet.getRow(rowOf('Office move')).getCell(1)), /no-final-decider/)
  t.match(note(sheet.getRow(rowOf('CRM rollout')).getCell(header.indexOf('dee@example.com') + 1)), /inactive-role-holder/)
  t.equal(note(sheet.getRow(rowOf('New pricing')).getCell(ada)), undefined, 'a clear cell carries no comment')
  t.equal(sheet.getRow(rowOf('\'=HYPERLINK("http://evil.example","click")')).getCell(1).type, ExcelJS.ValueType.String, 'the formula-like title is text')
  const findings = workbook.getWorksheet('Findings')!
  const rules = new Set<unknown>()
  findings.eachRow((row, n) => { if (n > 1) rules.add(row.getCell(1).value) })
  t.ok(rules.has('multiple-final-deciders') && rules.has('no-final-decider'), [...rules].join(', '))
})

t.test('?domainId= keeps the domain\'s initiatives; ?at= shows the matrix as it stood', async (t) => {
  const test = await buildTestApp(t)
  await seedRegistry(test, false)
  const before = new Date().toISOString()
  await new Promise((resolve) => setTimeout(resolve, 5))
  for (const [personId, initiativeId] of [['ada', 'pricing'], ['bob', 'hiring']]) {
    const res = await test.call({ method: 'POST', url: '/v1/assignments', payload: { personId, role: 'A', initiativeId } })
    t.equal(res.statusCode, 201)
  }
  const sales = (await exportMatrix(test, '?domainId=sales')).json()
  t.same(sales.rows.map((r: any) => r.initiativeId), ['crm', 'pricing'])
  t.same(sales.people.map((p: any) => p.id), ['ada'])
  const then = (await exportMatrix(test, `?at=${before}`)).json()
  t.same(then.people, [], 'no role was held then')
  t.equal(then.at, before)
  assertProblem(t, await exportMatrix(test, '?domainId=nowhere'), 404, 'WHODECIDES_ERR_NOT_FOUND')
  assertProblem(t, await exportMatrix(test, '?format=pdf'), 400, 'WHODECIDES_ERR_VALIDATION')
})

t.test('a reader may read the matrix; without a key, no one', async (t) => {
  const test = await buildTestApp(t)
  await seedRegistry(test)
  t.equal((await test.call({ method: 'GET', url: '/v1/raci', as: 'reader' })).statusCode, 200)
  assertProblem(t, await test.call({ method: 'GET', url: '/v1/raci', as: null }), 401, 'WHODECIDES_ERR_UNAUTHENTICATED')
})
