// The RACI matrix in CSV: cells and headers as people write them, every problem at its row and column, bad files
// as one problem, and export then import giving the same matrix.
import t from 'tap'
import { parseRaciCsv, writeRaciCsv } from '../../src/formats/raci-csv.js'
import { layoutRaciMatrix, type RaciMatrix } from '../../src/formats/raci-matrix.js'
import type { SheetProblem } from '../../src/formats/sheet-problems.js'
import { syntheticMatrix } from './matrix-fixture.js'

const csv = (text: string): Buffer => Buffer.from(text, 'utf8')
const where = (problems: SheetProblem[]): Array<[string, string | undefined]> => problems.map((p) => [p.kind, p.cell])

t.test('reads a matrix with domain and rule columns, roles normalized', async (t) => {
  const { matrix, problems, delimiter } = parseRaciCsv(csv([
    'Initiative,Domain,Decision rule,ada@example.com,grace-hopper,Alan Turing',
    'website-relaunch,marketing,single,A/R,c,',
    'New ERP ,finance,Pool, a r ,"A,R",i',
    '',
    'Office move,,,R,,I'
  ].join('\r\n') + '\r\n'))
  t.same(problems, [])
  t.equal(delimiter, ',')
  t.equal(matrix.domainColumn, 2)
  t.equal(matrix.decisionRuleColumn, 3)
  t.same(matrix.people, [
    { header: 'ada@example.com', column: 4, letter: 'D' },
    { header: 'grace-hopper', column: 5, letter: 'E' },
    { header: 'Alan Turing', column: 6, letter: 'F' }
  ])
  t.same(matrix.rows, [
    { row: 2, initiative: 'website-relaunch', domain: 'marketing', decisionRule: 'single', cells: [
      { person: 'ada@example.com', column: 4, cell: 'D2', roles: ['R', 'A'] },
      { person: 'grace-hopper', column: 5, cell: 'E2', roles: ['C'] }
    ] },
    { row: 3, initiative: 'New ERP', domain: 'finance', decisionRule: 'pool', cells: [
      { person: 'ada@example.com', column: 4, cell: 'D3', roles: ['R', 'A'] },
      { person: 'grace-hopper', column: 5, cell: 'E3', roles: ['R', 'A'] },
      { person: 'Alan Turing', column: 6, cell: 'F3', roles: ['I'] }
    ] },
    { row: 5, initiative: 'Office move', domain: null, decisionRule: null, cells: [
      { person: 'ada@example.com', column: 4, cell: 'D5', roles: ['R'] },
      { person: 'Alan Turing', column: 6, cell: 'F5', roles: ['I'] }
    ] }
  ])
})

t.test('a matrix without domain or rule columns: every column after the first is a person', async (t) => {
  const { matrix, problems } = parseRaciCsv(csv('Initiative,ada,grace\nx,A,R\n'))
  t.same(problems, [])
  t.equal(matrix.domainColumn, null)
  t.equal(matrix.decisionRuleColumn, null)
  t.same(matrix.people.map((p) => p.header), ['ada', 'grace'])
  t.same(matrix.rows[0]?.cells.map((c) => c.roles), [['A'], ['R']])
})

t.test('the first column may have any header, or none', async (t) => {
  const { matrix, problems } = parseRaciCsv(csv(',ada\nx,A\n'))
  t.same(problems, [])
  t.equal(matrix.rows[0]?.initiative, 'x')
})

t.test('a UTF-8 BOM and a ; delimiter (Excel in European locales)', async (t) => {
  const { matrix, problems, delimiter } = parseRaciCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv('Initiative;Domain;zoë@example.com;Jürgen Müller\nNeues ERP;finance;"A,R";C\n')]))
  t.same(problems, [])
  t.equal(delimiter, ';')
  t.same(matrix.people.map((p) => p.header), ['zoë@example.com', 'Jürgen Müller'])
  t.same(matrix.rows[0]?.cells.map((c) => c.roles), [['R', 'A'], ['C']])
  t.equal(matrix.rows[0]?.initiative, 'Neues ERP', 'the BOM is not part of the first header or cell')
})

t.test('the delimiter is told by the rows under the header when the header holds both', async (t) => {
  const semicolons = parseRaciCsv(csv('Initiative;Müller, Hans;Schmidt, Eva\nx;A;R\ny;;C\n'))
  t.equal(semicolons.delimiter, ';')
  t.same(semicolons.matrix.people.map((p) => p.header), ['Müller, Hans', 'Schmidt, Eva'])
  const commas = parseRaciCsv(csv('Initiative,Domain;Team,ada\nx,d,A\n'))
  t.equal(commas.delimiter, ',')
  t.same(commas.matrix.people.map((p) => p.header), ['Domain;Team', 'ada'])
  t.equal(parseRaciCsv(csv('Initiative;ada;grace\n')).delimiter, ';', 'a header alone')
})

t.test('every problem kind, each at its row and column', async (t) => {
  const { matrix, problems } = parseRaciCsv(csv([
    'Initiative,Domain,ada,,grace,Ada,Rule',
    'a,d,X,,,,',
    ',d,A,,,,',
    'b,d,AA,,,,',
    'c,d,A/A,,,,',
    'a,d,R,,,,',
    'e,d,A,,,,,extra',
    'f,d,/,,,,'
  ].join('\n')))
  t.same(where(problems), [
    ['empty-header', 'D1'],
    ['duplicate-header', 'F1'],
    ['misplaced-column', 'G1'],
    ['bad-cell', 'C2'],
    ['missing-initiative', 'A3'],
    ['bad-cell', 'C4'],
    ['bad-cell', 'C5'],
    ['duplicate-initiative', 'A6'],
    ['extra-cell', 'H7'],
    ['bad-cell', 'C8']
  ])
  t.same(problems.map((p) => [p.row, p.column]), [[1, 4], [1, 6], [1, 7], [2, 3], [3, 1], [4, 3], [5, 3], [6, 1], [7, 8], [8, 3]])
  t.match(problems[1]?.message, /^F1: "Ada" is also the header of column C/)
  t.match(problems[3]?.message, /^C2: "X" is not a role: write R, A, C or I/)
  t.match(problems[6]?.message, /names A twice/)
  t.match(problems[7]?.message, /"a" is also in row 2/)
  t.same(matrix.people.map((p) => p.header), ['ada', 'grace'], 'columns with a bad header hold no person')
  t.same(matrix.rows.map((r) => r.initiative), ['a', 'b', 'c', 'a', 'e', 'f'], 'rows without an initiative are left out')
})

t.test('a bad decision rule and a second domain column', async (t) => {
  const { problems } = parseRaciCsv(csv('Initiative,Decision rule,Domain,Domain ID,ada\nx,majority,d,,A\ny,UNANIMOUS,d,,A\n'))
  t.same(where(problems), [['duplicate-header', 'D1'], ['bad-decision-rule', 'B2']])
  t.match(problems[0]?.message, /a second Domain ID column: column C is the first/)
  t.match(problems[1]?.message, /"majority" is not a decision rule: write single, pool, unanimous/)
})

t.test('a header row that is blank', async (t) => {
  const { problems } = parseRaciCsv(csv(',,\nx,A\n'))
  t.same(where(problems), [['empty-header', 'A1']])
})

t.test('a stray quote is one problem naming the line, not a stack trace', async (t) => {
  for (const [text, line, detail] of [
    ['Initiative,ada\nx,A\ny,A"R\n', 3, /a quote in the middle of cell 2 at line 3/],
    ['Initiative,ada\nx,A\n"y,A\nz,R\n', 3, /the quote opened at line 3 is never closed/],
    ['Initiative,ada\n"x"y,A\n', 2, /text follows a closing quote at line 2/]
  ] as const) {
    const { matrix, problems } = parseRaciCsv(csv(text))
    t.equal(problems.length, 1)
    t.equal(problems[0]?.kind, 'unreadable-file')
    t.equal(problems[0]?.line, line)
    t.match(problems[0]?.message, detail)
    t.same(matrix.rows, [])
  }
})

t.test('a file that is not UTF-8 text, binary or empty', async (t) => {
  t.match(parseRaciCsv(Buffer.from([0x49, 0x6e, 0x69, 0x74, 0x0a, 0xe9, 0x0a])).problems, [{ kind: 'unreadable-file', message: /not UTF-8 text/ }])
  t.match(parseRaciCsv(Buffer.from('PK\u0003\u0004\u0000\u0000')).problems, [{ kind: 'unreadable-file', message: /binary data/ }])
  t.match(parseRaciCsv(csv(' \r\n')).problems, [{ kind: 'empty-file' }])
})

t.test('a file over the limit is refused, naming the limit', async (t) => {
  const bytes = csv('Initiative,ada\nx,A\n')
  t.same(parseRaciCsv(bytes, { maxBytes: bytes.length }).problems, [])
  const { problems } = parseRaciCsv(bytes, { maxBytes: bytes.length - 1 })
  t.match(problems, [{ kind: 'file-too-large', message: `The file is ${bytes.length} bytes; the limit is ${bytes.length - 1} bytes` }])
  t.match(parseRaciCsv(Buffer.alloc(2048), { maxBytes: 1024 }).problems[0]?.message, /the limit is 1 kB/)
})

t.test('export escapes cells that a spreadsheet would run as formulas; import keeps the quote', async (t) => {
  const matrix = layoutRaciMatrix({
    domainColumn: true,
    people: ['=HYPERLINK("http://evil")', '@ada', 'grace'],
    rows: [
      { initiative: '+1 sales', domain: '-finance', roles: { '@ada': ['A'] } },
      { initiative: '\tTabbed', roles: { grace: ['R'] } }
    ]
  })
  const text = writeRaciCsv(matrix).toString('utf8')
  t.ok(text.startsWith('\ufeffInitiative,Domain,"\'=HYPERLINK(""http://evil"")",\'@ada,grace\r\n'))
  t.match(text, /\r\n'\+1 sales,'-finance,,A,\r\n/)
  t.match(text, /\r\n"?'\tTabbed"?,,,,R\r\n/)
  const back = parseRaciCsv(Buffer.from(text)).matrix
  t.same(back.people.map((p) => p.header), ['\'=HYPERLINK("http://evil")', '\'@ada', 'grace'])
  t.equal(back.rows[0]?.initiative, '\'+1 sales')
  t.equal(back.rows[0]?.domain, '\'-finance')
})

t.test('writes with ; when asked, and without a BOM when asked', async (t) => {
  const matrix = layoutRaciMatrix({ people: ['ada'], rows: [{ initiative: 'x', roles: { ada: ['R', 'A'] } }] })
  t.equal(writeRaciCsv(matrix, { delimiter: ';', bom: false }).toString('utf8'), 'Initiative;ada\r\nx;R/A\r\n')
})

const roundTrip = (matrix: RaciMatrix): RaciMatrix => parseRaciCsv(writeRaciCsv(matrix)).matrix

t.test('round trip: what is parsed writes back to the same matrix', async (t) => {
  const source = csv('Project;Decision rule;Domain;ada;grace\nx;pool;d;a r;\n\ny;;;;I\n')
  const parsed = parseRaciCsv(source).matrix
  t.same(roundTrip(parsed), parsed)
  t.same(parseRaciCsv(writeRaciCsv(parsed, { delimiter: ';' })).matrix, parsed)
})

t.test('round trip: 100 initiatives × 40 people', async (t) => {
  const matrix = syntheticMatrix(100, 40)
  const { matrix: back, problems } = parseRaciCsv(writeRaciCsv(matrix))
  t.same(problems, [])
  t.same(back, matrix)
  t.equal(back.rows.length, 100)
  t.equal(back.people.length, 40)
})
