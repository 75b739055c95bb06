// A RACI matrix into the registry: every header and row resolved to a person or an initiative, every problem at its
// cell, then the assignments to create, to end and to leave as they are, written as one import.
import { now } from '../../clock.js'
import { parseRaciCsv } from '../../formats/raci-csv.js'
import type { RaciMatrix, RaciRole } from '../../formats/raci-matrix.js'
import { columnLetter } from '../../formats/sheet-problems.js'
import { parseRaciXlsx } from '../../formats/raci-xlsx.js'
import type { RaciMatrixRead } from '../../formats/read-raci-matrix.js'
import type { Actor } from '../../store/change-log.js'
import type { Db } from '../../store/connection.js'
import { readAll, toBundleRow, type BundleRow, type StoredRecord } from '../../store/bundle.js'
import { DOMAIN_NAMINGS, INITIATIVE_NAMINGS, namesOf, PERSON_NAMINGS, type Found } from './registry-names.js'
import {
  applyOn, applyPlan, problemAtCell, type ApplyBundle, type ImportProblem, type RegistryProblemKind, type SpreadsheetImportOptions,
  type SpreadsheetImportReport, type SpreadsheetPlan
} from './spreadsheet-import.js'

export interface RaciImportOptions extends SpreadsheetImportOptions { kind: 'csv' | 'xlsx' }

/** The matrix in a CSV file or an XLSX workbook, with every problem of reading it. */
export async function readRaciFile (bytes: Uint8Array, kind: 'csv' | 'xlsx'): Promise<RaciMatrixRead> {
  return kind === 'csv' ? parseRaciCsv(bytes) : await parseRaciXlsx(bytes)
}

/**
 * Imports a RACI matrix (see planRaciImport), in one transaction recorded in the change log, or only checks it on a
 * dry run; a 422 naming every problem by row and column, with nothing written, when the file has any.
 */
export async function importRaciMatrix (db: Db, actor: Actor, bytes: Uint8Array, options: RaciImportOptions, apply: ApplyBundle = applyOn(db, actor)): Promise<SpreadsheetImportReport> {
  const plan = planRaciImport(db, await readRaciFile(bytes, options.kind))
  return await applyPlan(plan, options, apply)
}

type Resolved = { record: StoredRecord } | { problem: ImportProblem }

/** A text looked up, or the problem naming it at its cell. */
function resolve (found: Found, what: 'person' | 'initiative' | 'domain', text: string, row: number, column: number): Resolved {
  if ('record' in found) return found
  const kind = `${found.matches === 0 ? 'unknown' : 'ambiguous'}-${what}` as RegistryProblemKind
  const message = found.matches === 0
    ? `no ${what} is "${text}": write ${what === 'person' ? 'their email, external id, id or name' : `its id or ${what === 'initiative' ? 'title' : 'name'}`}`
    : `${found.matches} ${what === 'person' ? 'people' : `${what}s`} answer to "${text}": write the id${what === 'person' ? ' or email' : ''} instead`
  return { problem: problemAtCell(kind, row, column, message) }
}

/** Whether an assignment still holds at `at` or later (not ended by then). */
const notEnded = (a: StoredRecord, at: string): boolean => a.validTo === null || (a.validTo as string) > at

/** A row of the file resolved: its initiative, the roles by person id, the domain (undefined: not given) and rule. */
interface ResolvedRow { row: number, initiative: StoredRecord, roles: Map<string, RaciRole[]>, domainId: string | null | undefined, decisionRule: string | null }

/**
 * The plan of a matrix against the registry at `at` (default now). Each row's initiative is found by id or title,
 * each column's person by id, email, external id or name, a domain cell by id or name. Only the rows and the people
 * of the file are touched: for each of their cells, a role the cell names is kept where an assignment not yet ended
 * holds it (whatever its dates: the same assignment), or else created from now; a role that holds now and the cell
 * does not name is ended now. A domain column, when there is one, sets each row's domain (blank: none), and a
 * decision-rule cell that is not blank its rule. The same file twice gives an empty plan the second time.
 */
export function planRaciImport (db: Db, read: RaciMatrixRead, at: string = now()): SpreadsheetPlan {
  const problems: ImportProblem[] = [...read.problems]
  const plan: SpreadsheetPlan = { kind: 'raci', bundle: {}, sources: {}, counts: { created: 0, changed: 0, ended: 0, unchanged: 0 }, problems }
  const columns = resolveColumns(db, read.matrix, problems)
  const rows = resolveRows(db, read.matrix, columns, problems)
  if (problems.length > 0) return plan

  const held = heldByInitiative(readAll(db, 'assignments'), new Set(rows.map((r) => r.initiative.id)), new Set(columns.keys()), at)
  const assignments: BundleRow[] = []
  const assignmentSources: Array<{ row: number, column: number }> = []
  const initiativeRows: BundleRow[] = []
  const initiativeSources: Array<{ row: number, column: number }> = []
  for (const { row, initiative, roles, domainId, decisionRule } of rows) {
    const changes: Record<string, unknown> = {}
    if (domainId !== undefined && domainId !== initiative.domainId) changes.domainId = domainId
    if (decisionRule !== null && decisionRule !== initiative.decisionRule) changes.decisionRule = decisionRule
    if (Object.keys(changes).length > 0) {
      initiativeRows.push({ ...toBundleRow(initiative), ...changes })
      initiativeSources.push({ row, column: ('domainId' in changes ? read.matrix.domainColumn : read.matrix.decisionRuleColumn) ?? 1 })
      plan.counts.changed++
    }
    for (const [personId, column] of columns) {
      const wanted = roles.get(personId) ?? []
      const current = held.get(`${initiative.id}\u0000${personId}`) ?? []
      for (const role of wanted) {
        if (current.some((a) => a.role === role)) {
          plan.counts.unchanged++
        } else {
          assignments.push({ personId, role, initiativeId: initiative.id } as unknown as BundleRow)
          assignmentSources.push({ row, column })
          plan.counts.created++
        }
      }
      for (const a of current) {
        if (wanted.includes(a.role as RaciRole) || (a.validFrom as string) > at) continue
        assignments.push({ ...toBundleRow(a), validTo: at })
        assignmentSources.push({ row, column })
        plan.counts.ended++
      }
    }
  }
  if (initiativeRows.length > 0) { plan.bundle.initiatives = initiativeRows; plan.sources.initiatives = initiativeSources }
  if (assignments.length > 0) { plan.bundle.assignments = assignments; plan.sources.assignments = assignmentSources }
  return plan
}

/** The person of each column header, as person id → column; a header naming no one, several, or a person twice is a problem. */
function resolveColumns (db: Db, matrix: RaciMatrix, problems: ImportProblem[]): Map<string, number> {
  const people = namesOf(readAll(db, 'people'), PERSON_NAMINGS)
  const columns = new Map<string, number>()
  for (const { header, column } of matrix.people) {
    const found = resolve(people(header), 'person', header, 1, column)
    if ('problem' in found) { problems.push(found.problem); continue }
    const first = columns.get(found.record.id)
    if (first === undefined) columns.set(found.record.id, column)
    else problems.push(problemAtCell('duplicate-person', 1, column, `"${header}" is ${found.record.id}, as the header of column ${columnLetter(first)} is: keep one column per person`))
  }
  return columns
}

/** Each row's initiative, domain and roles by person; an initiative or domain not found, or a second row of one initiative, is a problem. */
function resolveRows (db: Db, matrix: RaciMatrix, columns: ReadonlyMap<string, number>, problems: ImportProblem[]): ResolvedRow[] {
  const initiatives = namesOf(readAll(db, 'initiatives'), INITIATIVE_NAMINGS)
  const domains = namesOf(readAll(db, 'domains'), DOMAIN_NAMINGS)
  const personOf = new Map([...columns].map(([personId, column]) => [column, personId]))
  const rows: ResolvedRow[] = []
  const rowOf = new Map<string, number>()
  for (const source of matrix.rows) {
    const found = resolve(initiatives(source.initiative), 'initiative', source.initiative, source.row, 1)
    let domainId: string | null | undefined
    if (matrix.domainColumn !== null && source.domain !== null) {
      const domain = resolve(domains(source.domain), 'domain', source.domain, source.row, matrix.domainColumn)
      if ('problem' in domain) problems.push(domain.problem)
      else domainId = domain.record.id
    } else if (matrix.domainColumn !== null) {
      domainId = null
    }
    if ('problem' in found) { problems.push(found.problem); continue }
    const first = rowOf.get(found.record.id)
    if (first !== undefined) { problems.push(problemAtCell('duplicate-initiative', source.row, 1, `"${source.initiative}" is ${found.record.id}, as row ${first} is: keep one row per initiative`)); continue }
    rowOf.set(found.record.id, source.row)
    const roles = new Map<string, RaciRole[]>()
    for (const cell of source.cells) {
      const personId = personOf.get(cell.column)
      if (personId !== undefined) roles.set(personId, cell.roles)
    }
    rows.push({ row: source.row, initiative: found.record, roles, domainId, decisionRule: source.decisionRule })
  }
  return rows
}

/** The assignments on the initiatives to the people, not ended by `at`, by initiative and person. */
function heldByInitiative (all: readonly StoredRecord[], initiativeIds: ReadonlySet<string>, personIds: ReadonlySet<string>, at: string): Map<string, StoredRecord[]> {
  const held = new Map<string, StoredRecord[]>()
  for (const a of all) {
    const initiativeId = a.initiativeId as string | null
    if (initiativeId === null || !initiativeIds.has(initiativeId) || !personIds.has(a.personId as string) || !notEnded(a, at)) continue
    const key = `${initiativeId}\u0000${a.personId as string}`
    const list = held.get(key)
    if (list === undefined) held.set(key, [a])
    else list.push(a)
  }
  return held
}
