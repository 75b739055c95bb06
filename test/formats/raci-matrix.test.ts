// The matrix model on its own: role cells as people write them, the layout of an exported matrix, and a property:
// any matrix written as CSV reads back the same.
import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import t from 'tap'
import { parseRaciCsv, writeRaciCsv } from '../../src/formats/raci-csv.js'
import { layoutRaciMatrix, parseRoles, raciMatrixTable, type RaciMatrix } from '../../src/formats/raci-matrix.js'
import type { RaciMatrixRead } from '../../src/formats/read-raci-matrix.js'
import { parseRaciXlsx, writeRaciXlsx } from '../../src/formats/raci-xlsx.js'
import { cellName, columnLetter } from '../../src/formats/sheet-problems.js'

t.test('role cells: combinations normalized, anything else an error saying what to write', async (t) => {
  const good: Array<[string, string[]]> = [
    ['', []], ['  ', []], ['R', ['R']], ['a', ['A']], ['A/R', ['R', 'A']], ['A,R', ['R', 'A']], ['a r', ['R', 'A']],
    [' i ; c ', ['C', 'I']], ['R+A&C/I', ['R', 'A', 'C', 'I']], ['A /\tR', ['R', 'A']]
  ]
  for (const [text, roles] of good) t.same(parseRoles(text), { roles }, JSON.stringify(text))
  const bad: Array<[string, RegExp]> = [
    ['X', /^"X" is not a role: write R, A, C or I, or a combination such as A\/R$/],
    ['AR', /^"AR" is not a role/], ['AA', /^"AA" is not a role/], ['A/A', /^"A\/A" names A twice/],
    ['r, R', /names R twice/], ['/', /^"\/" is not a role/], ['Accountable', /"Accountable" is not a role/], ['-', /"-" is not a role/]
  ]
  for (const [text, message] of bad) t.match(parseRoles(text).error, message, JSON.stringify(text))
})

t.test('A1 names', async (t) => {
  t.same([1, 2, 26, 27, 52, 53, 702, 703, 16384].map(columnLetter), ['A', 'B', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA', 'XFD'])
  t.equal(cellName(12, 28), 'AB12')
})

t.test('layout: header in row 1, the optional columns, then people; a role for someone not listed throws', async (t) => {
  const matrix = layoutRaciMatrix({ decisionRuleColumn: true, people: ['ada', 'grace'], rows: [{ initiative: 'x', decisionRule: 'pool', roles: { grace: ['A', 'R', 'A'] } }, { initiative: 'y', roles: {} }] })
  t.equal(matrix.domainColumn, null)
  t.equal(matrix.decisionRuleColumn, 2)
  t.same(matrix.people, [{ header: 'ada', column: 3, letter: 'C' }, { header: 'grace', column: 4, letter: 'D' }])
  t.same(matrix.rows[0]?.cells, [{ person: 'grace', column: 4, cell: 'D2', roles: ['R', 'A'] }])
  t.same(raciMatrixTable(matrix), [['Initiative', 'Decision rule', 'ada', 'grace'], ['x', 'pool', '', 'R/A'], ['y', '', '', '']])
  t.same(layoutRaciMatrix({ people: ['constructor', 'toString'], rows: [{ initiative: 'x', roles: { toString: ['I' as const] } }] }).rows[0]?.cells.map((c) => c.person), ['toString'], 'a header may be any text')
  t.throws(() => layoutRaciMatrix({ people: ['ada'], rows: [{ initiative: 'x', roles: { grace: ['A'] } }] }), /"grace" holds a role but is not among the people/)
})

t.test('property: any matrix written as CSV (, or ;) or XLSX reads back the same, with no problem', async (t) => {
  // Text as people type it, kept apart from what the format gives meaning to: surrounding blanks (trimmed),
  // a leading formula character (escaped on export), and headers that name the domain or rule column.
  const text = fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' })
    .map((s) => s.trim())
    .filter((s) => s !== '' && !/^[=+\-@]/.test(s) && !/^(domain|domainid|decisionrule|rule)$/.test(s.toLowerCase().replace(/[^a-z]/g, '')))
  const roles = fc.subarray(['R', 'A', 'C', 'I'] as const)
  const input = fc.uniqueArray(text, { minLength: 1, maxLength: 6, selector: (s) => s.toLowerCase() }).chain((people) => fc.record({
    people: fc.constant(people),
    domainColumn: fc.boolean(),
    decisionRuleColumn: fc.boolean(),
    delimiter: fc.constantFrom(',' as const, ';' as const),
    rows: fc.uniqueArray(fc.record({
      initiative: text,
      domain: fc.option(text, { nil: null }),
      decisionRule: fc.constantFrom('single' as const, 'pool' as const, 'unanimous' as const, null),
      roles: fc.tuple(...people.map(() => roles)).map((held) => Object.fromEntries(people.map((p, i) => [p, held[i] ?? []])))
    }), { maxLength: 8, selector: (row) => row.initiative })
  }))
  const cases = input.map(({ delimiter, ...spec }) => ({
    delimiter,
    matrix: layoutRaciMatrix({
      ...spec,
      rows: spec.rows.map((row) => ({ ...row, domain: spec.domainColumn ? row.domain : null, decisionRule: spec.decisionRuleColumn ? row.decisionRule : null }))
    })
  }))
  const readsBack = (matrix: RaciMatrix, read: RaciMatrixRead): void => {
    if (read.problems.length > 0) throw new Error(`problems: ${JSON.stringify(read.problems)}`)
    if (!isDeepStrictEqual(read.matrix, matrix)) throw new Error(`read back as ${JSON.stringify(read.matrix)}`)
  }
  fc.assert(fc.property(cases, ({ delimiter, matrix }) => readsBack(matrix, parseRaciCsv(writeRaciCsv(matrix, { delimiter })))), { numRuns: 300 })
  await fc.assert(fc.asyncProperty(cases, async ({ matrix }) => readsBack(matrix, await parseRaciXlsx(await writeRaciXlsx(matrix)))), { numRuns: 40 })
  t.pass('300 CSV and 40 XLSX matrices read back the same')
})
