// Reading a RACI matrix from a table of text cells (a CSV file's or a sheet's), with every problem at its cell.
import { DECISION_RULES, type DecisionRule } from '../../db/schema.js'
import { parseRoles, type RaciCell, type RaciMatrix, type RaciRow } from './raci-matrix.js'
import { cellName, columnLetter, problemAt, type SheetProblem } from './sheet-problems.js'

export interface RaciMatrixRead { matrix: RaciMatrix, problems: SheetProblem[] }

type MetaColumn = 'domain' | 'decisionRule'
const META_HEADERS = new Map<string, MetaColumn>([['domain', 'domain'], ['domainid', 'domain'], ['decisionrule', 'decisionRule'], ['rule', 'decisionRule']])

/**
 * The matrix in a table of text cells (row 1 the header), with every problem a person has to fix: an empty or
 * duplicate header, a domain or rule column among the people, a value beyond the last header, a row without its
 * initiative or repeating one, an unknown decision rule, a cell that is not a role. Never throws for a bad table.
 * `readProblems` are those of reading the file: alone when it gave no rows, else merged in row and column order.
 */
export function readRaciMatrix (table: readonly (readonly string[])[], readProblems: readonly SheetProblem[] = []): RaciMatrixRead {
  if (table.length === 0 && readProblems.length > 0) return { matrix: { domainColumn: null, decisionRuleColumn: null, people: [], rows: [] }, problems: [...readProblems] }
  const problems: SheetProblem[] = [...readProblems]
  const header = (table[0] ?? []).map((text) => text.trim())
  const width = header.findLastIndex((text) => text !== '') + 1
  const matrix = readColumns(header.slice(0, width), problems)
  if (width === 0) problems.push(problemAt('empty-header', 1, 1, 'the first row must name the columns: the initiative, then one column per person'))
  const initiativeRows = new Map<string, number>()
  const roles = memoized(parseRoles)
  for (let index = 1; index < table.length && width > 0; index++) {
    const row = readRow(matrix, index + 1, (table[index] ?? []).map((text) => text.trim()), width, roles, problems)
    if (row === undefined) continue
    const first = initiativeRows.get(row.initiative)
    if (first !== undefined) problems.push(problemAt('duplicate-initiative', row.row, 1, `"${row.initiative}" is also in row ${first}: keep one row per initiative`))
    else initiativeRows.set(row.initiative, row.row)
    matrix.rows.push(row)
  }
  return { matrix, problems: problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || (a.column ?? 0) - (b.column ?? 0)) }
}

/** The columns named by the header row: the domain and rule columns right after the initiative, then the people. */
function readColumns (header: readonly string[], problems: SheetProblem[]): RaciMatrix {
  const matrix: RaciMatrix = { domainColumn: null, decisionRuleColumn: null, people: [], rows: [] }
  const headerColumns = new Map<string, number>()
  for (let column = 2; column <= header.length; column++) {
    const text = header[column - 1] ?? ''
    const meta = META_HEADERS.get(text.toLowerCase().replace(/[^a-z]/g, ''))
    const metaKey = meta === 'domain' ? 'domainColumn' : 'decisionRuleColumn'
    const first = headerColumns.get(text.toLowerCase())
    if (text === '') {
      problems.push(problemAt('empty-header', 1, column, 'the column has no header: name the person (email, id or name)'))
    } else if (first !== undefined) {
      problems.push(problemAt('duplicate-header', 1, column, `"${text}" is also the header of column ${columnLetter(first)}`))
    } else if (meta !== undefined && matrix.people.length > 0) {
      problems.push(problemAt('misplaced-column', 1, column, `the ${text} column must come before the people, right after the initiative`))
    } else if (meta !== undefined && matrix[metaKey] !== null) {
      problems.push(problemAt('duplicate-header', 1, column, `a second ${text} column: column ${columnLetter(matrix[metaKey] ?? 0)} is the first`))
    } else {
      if (meta !== undefined) matrix[metaKey] = column
      else matrix.people.push({ header: text, column, letter: columnLetter(column) })
      headerColumns.set(text.toLowerCase(), column)
    }
  }
  return matrix
}

/** One row's initiative, domain, rule and roles; undefined for a blank row or one without its initiative. */
function readRow (matrix: RaciMatrix, row: number, cells: readonly string[], width: number, roles: typeof parseRoles, problems: SheetProblem[]): RaciRow | undefined {
  if (cells.every((text) => text === '')) return undefined
  const beyond = cells.findIndex((text, at) => at >= width && text !== '')
  if (beyond >= 0) problems.push(problemAt('extra-cell', row, beyond + 1, `a value beyond the last header (column ${columnLetter(width)}): give the column a header or clear it`))
  const initiative = cells[0] ?? ''
  if (initiative === '') problems.push(problemAt('missing-initiative', row, 1, 'the row names no initiative: write its id or title'))
  const decisionRule = readDecisionRule(cells, matrix.decisionRuleColumn, row, problems)
  const roleCells: RaciCell[] = []
  for (const person of matrix.people) {
    const text = cells[person.column - 1] ?? ''
    if (text === '') continue
    const read = roles(text)
    if (read.error !== undefined) problems.push(problemAt('bad-cell', row, person.column, read.error))
    else roleCells.push({ person: person.header, column: person.column, cell: cellName(row, person.column), roles: [...read.roles] })
  }
  const domain = matrix.domainColumn === null ? '' : cells[matrix.domainColumn - 1] ?? ''
  if (initiative === '') return undefined
  return { row, initiative, domain: domain === '' ? null : domain, decisionRule, cells: roleCells }
}

/** `parse` remembering its answers: a matrix holds a handful of distinct cell texts in many cells. */
function memoized<T> (parse: (text: string) => T): (text: string) => T {
  const answers = new Map<string, T>()
  return (text) => {
    let answer = answers.get(text)
    if (answer === undefined) answers.set(text, answer = parse(text))
    return answer
  }
}

function readDecisionRule (cells: readonly string[], column: number | null, row: number, problems: SheetProblem[]): DecisionRule | null {
  const text = column === null ? '' : cells[column - 1] ?? ''
  if (column === null || text === '') return null
  const rule = text.toLowerCase() as DecisionRule
  if (DECISION_RULES.includes(rule)) return rule
  problems.push(problemAt('bad-decision-rule', row, column, `"${text}" is not a decision rule: write ${DECISION_RULES.join(', ')} or leave it blank`))
  return null
}
