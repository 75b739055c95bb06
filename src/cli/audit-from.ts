// `audit --from FILE`: a bundle or a RACI spreadsheet audited on its own, in an in-memory registry — no server, no
// database. In a spreadsheet the column headers are the people (all active), the rows the initiatives (with their
// domain and decision rule when the file has those columns), and every finding keeps the cells it came from.
import { relative, sep } from 'node:path'
import type { RaciMatrix } from '../formats/raci-matrix.js'
import { idFromEmail } from '../formats/people-csv.js'
import { refsOf, type ReportFinding } from '../report/names.js'
import type { Locator, SourcePosition } from '../report/sarif.js'
import { importBundle } from '../services/import.js'
import { parseImportBody } from '../services/import-body.js'
import { readRaciFile } from '../services/spreadsheets/raci-import.js'
import { invalidSpreadsheet } from '../services/spreadsheets/spreadsheet-import.js'
import type { BundleRow } from '../store/bundle.js'
import { LocalTarget } from './local-target.js'
import { CLI_ACTOR } from './target.js'

/** When the roles of a matrix begin: before any time an audit is asked about. */
const MATRIX_FROM = '1970-01-01T00:00:00.000Z'
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const ID_LENGTH = 64

/** An id made from a text (a name, a title), apart from every id in `taken`: "Q3 price list" → "q3-price-list". */
export function idFrom (text: string, taken: Set<string>): string {
  const base = text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '').replace(/-+$/, '').slice(0, ID_LENGTH) || 'x'
  let id = base
  for (let n = 2; taken.has(id); n++) id = `${base.slice(0, ID_LENGTH - String(n).length - 1)}-${n}`
  taken.add(id)
  return id
}

/** The registry a matrix describes, as a bundle, and where in the file each record came from. */
export interface MatrixRegistry {
  bundle: Record<'people' | 'domains' | 'initiatives' | 'assignments', BundleRow[]>
  locate: Locator
}

/**
 * The matrix as a registry: a person per column (an email header is their email, and their id made from it; any other
 * header their name), an initiative per row (its title the first cell), a domain per distinct domain cell, and an
 * assignment per role in a cell, held since long before any time asked about. `uri` names the file in the locations.
 */
export function matrixRegistry (matrix: RaciMatrix, uri: string): MatrixRegistry {
  const personIds = new Set<string>()
  const columnOf = new Map<string, number>()
  const people = matrix.people.map(({ header, column }) => {
    const email = EMAIL.test(header) ? header : undefined
    const id = email === undefined ? idFrom(header, personIds) : idFromEmail(email, personIds)
    personIds.add(id)
    columnOf.set(id, column)
    return { id, name: header, email: email ?? `${id}@matrix.invalid`, status: 'active' }
  })
  const personOf = new Map(people.map((p) => [columnOf.get(p.id)!, p.id]))

  const domainIds = new Map<string, string>()
  const domainCell = new Map<string, SourcePosition>()
  const taken = new Set<string>()
  const domains: BundleRow[] = []
  const initiativeIds = new Set<string>()
  const rowOf = new Map<string, number>()
  const cells = new Set<string>()
  const initiatives: BundleRow[] = []
  const assignments: BundleRow[] = []
  for (const row of matrix.rows) {
    let domainId: string | null = null
    if (row.domain !== null) {
      domainId = domainIds.get(row.domain) ?? null
      if (domainId === null) {
        domainId = idFrom(row.domain, taken)
        domainIds.set(row.domain, domainId)
        domainCell.set(domainId, { uri, line: row.row, column: matrix.domainColumn ?? 1 })
        domains.push({ id: domainId, name: row.domain })
      }
    }
    const id = idFrom(row.initiative, initiativeIds)
    rowOf.set(id, row.row)
    initiatives.push({ id, title: row.initiative, domainId, status: 'active', decisionRule: row.decisionRule ?? 'single' })
    for (const cell of row.cells) {
      const personId = personOf.get(cell.column)
      if (personId === undefined) continue
      cells.add(`${row.row}:${cell.column}`)
      for (const role of cell.roles) {
        assignments.push({ id: `a${assignments.length + 1}`, personId, role, initiativeId: id, validFrom: MATRIX_FROM })
      }
    }
  }

  const locate: Locator = (finding: ReportFinding) => {
    const positions: SourcePosition[] = []
    const people = refsOf(finding, 'person')
    const at = (line: number, column: number): void => {
      if (!positions.some((p) => p.line === line && p.column === column)) positions.push({ uri, line, column })
    }
    for (const initiativeId of refsOf(finding, 'initiative')) {
      const line = rowOf.get(initiativeId)
      if (line === undefined) continue
      const held = people.map((p) => columnOf.get(p)).filter((c): c is number => c !== undefined && cells.has(`${line}:${c}`))
      if (held.length === 0) at(line, 1)
      for (const column of held) at(line, column)
    }
    if (positions.length > 0) return positions
    for (const personId of people) { const column = columnOf.get(personId); if (column !== undefined) at(1, column) }
    for (const domainId of refsOf(finding, 'domain')) { const cell = domainCell.get(domainId); if (cell !== undefined) at(cell.line, cell.column) }
    return positions
  }
  return { bundle: { people, domains, initiatives, assignments }, locate }
}

/** The file's name as a SARIF artifact URI: relative to the working directory, with forward slashes. */
const uriOf = (file: string): string => relative(process.cwd(), file).split(sep).map(encodeURIComponent).join('/')

/**
 * An in-memory registry holding what the file describes (a bundle, or a RACI matrix in CSV or XLSX), and, for a
 * matrix, where each finding is in it. A file with problems fails as an import of it would: every problem by cell.
 */
export async function openFileRegistry (file: string, bytes: Buffer, format: 'json' | 'csv' | 'xlsx'): Promise<{ target: LocalTarget, locate?: Locator }> {
  let bundle: unknown
  let locate: Locator | undefined
  if (format === 'json') {
    bundle = parseImportBody(bytes, false).bundle
  } else {
    const read = await readRaciFile(bytes, format)
    if (read.problems.length > 0) throw invalidSpreadsheet({ kind: 'raci', problems: read.problems }, true)
    ;({ bundle, locate } = matrixRegistry(read.matrix, uriOf(file)))
  }
  const target = LocalTarget.open(':memory:', { mustExist: false }, file)
  try {
    importBundle(target.runtime.db, CLI_ACTOR, bundle, { mode: 'upsert', dryRun: false, role: 'admin' })
  } catch (err) {
    await target.close()
    throw err
  }
  return locate === undefined ? { target } : { target, locate }
}
