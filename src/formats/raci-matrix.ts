// The RACI matrix as people keep it in a spreadsheet: the initiative first, optional domain and decision-rule
// columns, then one column per person (email, id or name) whose cells hold the roles; and its layout for export.
import { RACI_ROLES, type DecisionRule } from '../../db/schema.js'
import { cellName, columnLetter } from './sheet-problems.js'

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

export const MATRIX_HEADERS = { initiative: 'Initiative', domain: 'Domain', decisionRule: 'Decision rule' } as const

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
