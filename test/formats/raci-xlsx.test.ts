// The RACI matrix in XLSX: the first sheet read as text without evaluating anything, bad workbooks as one problem,
// the export's frozen panes, marked problem cells and findings sheet, and export then import giving the same matrix.
import ExcelJS from 'exceljs'
import t from 'tap'
import { layoutRaciMatrix } from '../../src/formats/raci-matrix.js'
import { FINDINGS_SHEET, MATRIX_SHEET, parseRaciXlsx, writeRaciXlsx } from '../../src/formats/raci-xlsx.js'
import { syntheticMatrix } from './matrix-fixture.js'

/** A workbook built cell by cell, as a spreadsheet program would save it. */
async function workbook (fill: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  fill(book.addWorksheet('Matrix'))
  book.addWorksheet('Notes').getCell('A1').value = 'ignored'
  return Buffer.from(await book.xlsx.writeBuffer())
}

async function load (bytes: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(bytes as unknown as ExcelJS.Buffer)
  return book
}

t.test('reads the first sheet: formulas by their saved result, rich text and numbers as text', async (t) => {
  const bytes = await workbook((sheet) => {
    sheet.getRow(1).values = ['Initiative', 'Domain', 'ada@example.com']
    sheet.getCell('D1').value = { richText: [{ text: 'Grace ', font: { bold: true } }, { text: 'Hopper' }] }
    sheet.getRow(2).values = [2024, 'finance']
    sheet.getCell('C2').value = { formula: 'CONCATENATE("A","/R")', result: 'A/R' }
    sheet.getCell('D2').value = { formula: 'HYPERLINK("http://evil","C")', result: 'C' }
    sheet.getCell('A3').value = { text: 'Linked initiative', hyperlink: 'https://example.com' }
    sheet.getCell('C3').value = 'i'
  })
  const { matrix, problems } = await parseRaciXlsx(bytes)
  t.same(problems, [])
  t.same(matrix.people.map((p) => p.header), ['ada@example.com', 'Grace Hopper'])
  t.same(matrix.rows, [
    { row: 2, initiative: '2024', domain: 'finance', decisionRule: null, cells: [
      { person: 'ada@example.com', column: 3, cell: 'C2', roles: ['R', 'A'] },
      { person: 'Grace Hopper', column: 4, cell: 'D2', roles: ['C'] }
    ] },
    { row: 3, initiative: 'Linked initiative', domain: null, decisionRule: null, cells: [
      { person: 'ada@example.com', column: 3, cell: 'C3', roles: ['I'] }
    ] }
  ])
})

t.test('a formula saved without its result is a problem at its cell, never evaluated', async (t) => {
  const bytes = await workbook((sheet) => {
    sheet.getRow(1).values = ['Initiative', 'ada']
    sheet.getCell('A2').value = 'x'
    sheet.getCell('B2').value = { formula: 'CONCATENATE("A","")' } as ExcelJS.CellFormulaValue
  })
  const { matrix, problems } = await parseRaciXlsx(bytes)
  t.match(problems, [{ kind: 'formula-without-value', row: 2, column: 2, cell: 'B2', message: /B2: a formula without a saved result/ }])
  t.same(matrix.rows[0]?.cells, [])
})

t.test('problems in a workbook carry the sheet\'s rows and columns', async (t) => {
  const bytes = await workbook((sheet) => {
    sheet.getRow(1).values = ['Initiative', 'ada', 'ada']
    sheet.getRow(3).values = ['x', 'X']
    sheet.getRow(4).values = [null, 'A']
    sheet.getCell('E4').value = 'R'
  })
  const { problems } = await parseRaciXlsx(bytes)
  t.same(problems.map((p) => [p.kind, p.row, p.column, p.cell]), [
    ['duplicate-header', 1, 3, 'C1'],
    ['bad-cell', 3, 2, 'B3'],
    ['missing-initiative', 4, 1, 'A4'],
    ['extra-cell', 4, 5, 'E4']
  ])
})

t.test('a truncated workbook, a CSV under an .xlsx name and an empty sheet are one problem each', async (t) => {
  const whole = await writeRaciXlsx(syntheticMatrix(20, 10))
  const truncated = await parseRaciXlsx(whole.subarray(0, Math.floor(whole.length / 2)))
  t.equal(truncated.problems.length, 1)
  t.match(truncated.problems[0], { kind: 'unreadable-file', message: /^The file is not a readable XLSX workbook/ })
  t.same(truncated.matrix.rows, [])
  t.match((await parseRaciXlsx(Buffer.from('Initiative,ada\nx,A\n'))).problems, [{ kind: 'unreadable-file' }])
  t.match((await parseRaciXlsx(await workbook(() => {}))).problems, [{ kind: 'empty-file', message: 'The first sheet is empty' }])
})

t.test('a workbook over the limit is refused before it is opened', async (t) => {
  const bytes = await writeRaciXlsx(syntheticMatrix(2, 2))
  t.match((await parseRaciXlsx(bytes, { maxBytes: 1000 })).problems, [{ kind: 'file-too-large', message: /the limit is 1000 bytes/ }])
})

t.test('the export freezes the header row and the initiative column, marks problem cells and lists findings', async (t) => {
  const matrix = layoutRaciMatrix({
    domainColumn: true,
    people: ['ada', 'grace', 'founder@example.com'],
    rows: [
      { initiative: 'two-deciders', domain: 'ops', roles: { ada: ['A'], grace: ['A', 'R'] } },
      { initiative: 'no-decider', domain: 'ops', roles: { ada: ['R'], 'founder@example.com': ['C'] } }
    ]
  })
  const bytes = await writeRaciXlsx(matrix, {
    problemCells: [
      { row: 2, column: 3, ruleId: 'multiple-final-deciders', message: '2 people hold the final decision' },
      { row: 2, column: 4, ruleId: 'multiple-final-deciders', message: '2 people hold the final decision' },
      { row: 3, column: 1, ruleId: 'no-final-decider', message: 'nobody is Accountable' },
      { row: 3, column: 5, ruleId: 'retired-influence', message: 'a retired person holds a role' },
      { row: 3, column: 5, ruleId: 'absent-decider', message: 'not in the registry' }
    ],
    findings: [
      { ruleId: 'multiple-final-deciders', severity: 'error', summary: '2 people hold the final decision on "two-deciders"', initiative: 'two-deciders' },
      { ruleId: 'retired-influence', severity: 'warning', summary: '=the founder still steers', person: 'founder@example.com' }
    ]
  })
  const book = await load(bytes)
  t.same(book.worksheets.map((s) => s.name), [MATRIX_SHEET, FINDINGS_SHEET])
  const sheet = book.getWorksheet(MATRIX_SHEET) as ExcelJS.Worksheet
  t.match(sheet.views[0], { state: 'frozen', xSplit: 1, ySplit: 1 })
  t.equal(sheet.getCell('A1').value, 'Initiative')
  t.equal(sheet.getCell('D2').value, 'R/A')
  const marked = ['C2', 'D2', 'A3', 'E3']
  for (const address of ['A1', 'B2', 'C3', ...marked]) {
    const fill = sheet.getCell(address).fill as ExcelJS.FillPattern | undefined
    t.equal(fill?.fgColor?.argb, marked.includes(address) ? 'FFFFC7CE' : undefined, `${address} ${marked.includes(address) ? 'is' : 'is not'} filled`)
  }
  const note = (address: string): string | undefined => {
    const value = sheet.getCell(address).note
    return typeof value === 'string' ? value : value?.texts?.map((run) => run.text).join('')
  }
  t.equal(note('C2'), 'multiple-final-deciders: 2 people hold the final decision')
  t.equal(note('E3'), 'retired-influence: a retired person holds a role\nabsent-decider: not in the registry')
  t.equal(note('B2'), undefined)
  const findings = book.getWorksheet(FINDINGS_SHEET) as ExcelJS.Worksheet
  t.same(findings.getRow(1).values, [undefined, 'Rule', 'Severity', 'Summary', 'Initiative', 'Person'])
  t.same(findings.getRow(2).values, [undefined, 'multiple-final-deciders', 'error', '2 people hold the final decision on "two-deciders"', 'two-deciders'])
  t.same(findings.getRow(3).values, [undefined, 'retired-influence', 'warning', '\'=the founder still steers', undefined, 'founder@example.com'])
  t.match(findings.views[0], { state: 'frozen', ySplit: 1 })
  t.same((await parseRaciXlsx(bytes)).matrix, matrix, 'marks do not change the matrix read back')
})

t.test('export escapes text a spreadsheet would run as a formula', async (t) => {
  const matrix = layoutRaciMatrix({ people: ['@ada', '+grace'], rows: [{ initiative: '=1+1', roles: { '@ada': ['A'] } }, { initiative: '-cut costs', roles: {} }] })
  const sheet = (await load(await writeRaciXlsx(matrix))).worksheets[0] as ExcelJS.Worksheet
  t.same(sheet.getRow(1).values, [undefined, 'Initiative', '\'@ada', '\'+grace'])
  t.equal(sheet.getCell('A2').value, '\'=1+1')
  t.equal(sheet.getCell('A3').value, '\'-cut costs')
  t.equal(sheet.getCell('A2').type, ExcelJS.ValueType.String, 'a string, not a formula')
})

t.test('round trip: what is parsed writes back to the same matrix', async (t) => {
  const bytes = await workbook((sheet) => {
    sheet.getRow(1).values = ['Project', 'Rule', 'Domain', 'ada', 'grace']
    sheet.getRow(2).values = ['x', 'Pool', 'd', 'a r']
    sheet.getRow(4).values = ['y', null, null, null, 'I']
  })
  const parsed = (await parseRaciXlsx(bytes)).matrix
  t.equal(parsed.rows.length, 2)
  t.same((await parseRaciXlsx(await writeRaciXlsx(parsed))).matrix, parsed)
})

t.test('round trip: 100 initiatives × 40 people', async (t) => {
  const matrix = syntheticMatrix(100, 40)
  const { matrix: back, problems } = await parseRaciXlsx(await writeRaciXlsx(matrix))
  t.same(problems, [])
  t.same(back, matrix)
})
