// A RACI matrix as people keep it in a spreadsheet: the initiative first, optional domain and decision-rule
// columns, then one column per person (email, id or name) whose cells hold the roles: R, A, C, I or a combination.
import { DECISION_RULES, RACI_ROLES, type DecisionRule } from '../../db/schema.js'
import { cellName, columnLetter, problemAt, type SheetProblem } from './sheet-problems.js'

export type RaciRole = typeof RACI_ROLES[number]

/** A person's column; `header` is the person as the file writes them. */
export interface RaciPerson { header: string, column: number, letter: string }

/** A non-blank role cell: its roles once each, in R, A, C, I order. */
export interface RaciCell { person: string, column: number, cell: string, roles: RaciRole[] }

/** An initiative's row (its initiative in column A); `cells` in the people's column order. */
export interface RaciRow {
  row: number
  initiative: string
  domain: string | null
  decisionRule: DecisionRule | null
  cells: RaciCell[]
}

/**
 * The whole matrix with the position of every value, so that any problem found later (by an import or an audit)
 * can be named by row and column, and a writer puts each value back where it was read. Blank rows are not held.
 */
export interface RaciMatrix {
  domainColumn: number | null
  decisionRuleColumn: number | null
  people: RaciPerson[]
  rows: RaciRow[]
}

export interface RaciMatrixRead { matrix: RaciMatrix, problems: SheetProblem[] }

export const MATRIX_HEADERS = { initiative: 'Initiative', domain: 'Domain', decisionRule: 'Decision rule' } as const

type MetaColumn = 'domain' | 'decisionRule'
const META_HEADERS = new Map<string, MetaColumn>([['domain', 'domain'], ['domainid', 'domain'], ['decisionrule', 'decisionRule'], ['rule', 'decisionRule']])
const ROLE_SEPARATORS = /[\s/,;+&]+/
const ROLE_HINT = 'write R, A, C or I, or a combination such as A/R'

/** The roles a cell names, in R, A, C, I order; `A/R`, `A,R`, `a r` alike; blank is none. */
export function parseRoles (text: string): { roles: RaciRole[], error?: undefined } | { roles?: undefined, error: string } {
  const tokens = text.trim().split(ROLE_SEPARATORS).filter((token) => token !== '')
  if (tokens.length === 0 && text.trim() !== '') return { error: `"${text.trim()}" is not a role: ${ROLE_HINT}` }
  const seen = new Set<RaciRole>()
  for (const token of tokens) {
    const role = token.toUpperCase() as RaciRole
    if (!RACI_ROLES.includes(role)) return { error: `"${token}" is not a role: ${ROLE_HINT}` }
    if (seen.has(role)) return { error: `"${text.trim()}" names ${role} twice: name each role once` }
    seen.add(role)
  }
  return { roles: RACI_ROLES.filter((role) => seen.has(role)) }
}

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

/** A matrix to lay out: people by header, each row's roles by person header. */
export interface RaciMatrixInput {
  domainColumn?: boolean
  decisionRuleColumn?: boolean
  people: readonly string[]
  rows: ReadonlyArray<{
    initiative: string
    domain?: string | null
    decisionRule?: DecisionRule | null
    roles: Readonly<Record<string, readonly RaciRole[]>>
  }>
}

/**
 * A matrix laid out as a writer writes it: header in row 1, initiatives from row 2 in the given order, then the
 * domain and decision-rule columns when asked for, then the people. Roles are held once each, in R, A, C, I order.
 * A role for a person not among `people` is a programming error and throws.
 */
export function layoutRaciMatrix (input: RaciMatrixInput): RaciMatrix {
  let next = 2
  const domainColumn = input.domainColumn === true ? next++ : null
  const decisionRuleColumn = input.decisionRuleColumn === true ? next++ : null
  const people = input.people.map((header, index) => ({ header, column: next + index, letter: columnLetter(next + index) }))
  const known = new Set(input.people)
  const rows = input.rows.map((source, index): RaciRow => {
    const row = index + 2
    for (const person of Object.keys(source.roles)) if (!known.has(person)) throw new Error(`layoutRaciMatrix: "${person}" holds a role but is not among the people`)
    const cells = people.flatMap(({ header, column }) => {
      const held = Object.hasOwn(source.roles, header) ? source.roles[header] : undefined
      const roles = RACI_ROLES.filter((role) => held?.includes(role))
      return roles.length === 0 ? [] : [{ person: header, column, cell: cellName(row, column), roles }]
    })
    return { row, initiative: source.initiative, domain: source.domain ?? null, decisionRule: source.decisionRule ?? null, cells }
  })
  return { domainColumn, decisionRuleColumn, people, rows }
}

/** The matrix as a table of text cells, each value at its row and column; roles written as `R/A`. */
export function raciMatrixTable (matrix: RaciMatrix): string[][] {
  const width = matrix.people.reduce((last, person) => Math.max(last, person.column), Math.max(1, matrix.domainColumn ?? 0, matrix.decisionRuleColumn ?? 0))
  const height = matrix.rows.reduce((last, row) => Math.max(last, row.row), 1)
  const table = Array.from({ length: height }, () => new Array<string>(width).fill(''))
  const put = (row: number, column: number | null, text: string): void => { if (column !== null) (table[row - 1] as string[])[column - 1] = text }
  put(1, 1, MATRIX_HEADERS.initiative)
  put(1, matrix.domainColumn, MATRIX_HEADERS.domain)
  put(1, matrix.decisionRuleColumn, MATRIX_HEADERS.decisionRule)
  for (const person of matrix.people) put(1, person.column, person.header)
  for (const row of matrix.rows) {
    put(row.row, 1, row.initiative)
    put(row.row, matrix.domainColumn, row.domain ?? '')
    put(row.row, matrix.decisionRuleColumn, row.decisionRule ?? '')
    for (const cell of row.cells) put(row.row, cell.column, cell.roles.join('/'))
  }
  return table
}
