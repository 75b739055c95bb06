// The RACI matrix of the report: one grid per domain, each role a person holds on an initiative (directly or through
// its domains), and the cells a finding is about marked with its rule, as the XLSX export marks them.
import type { ReadModel } from '../registry/read-model.js'
import type { InitiativeRecord, RaciRoleName, Severity } from '../registry/types.js'
import { refsOf, type RecordNames, type ReportFinding } from './names.js'

/** A finding that marks a cell or a row. */
export interface Mark { ruleId: string, severity: Severity, message: string, waived: boolean }

export interface GridCell {
  roles: RaciRoleName[]
  /** Per role, the domain it is held through; absent when held on the initiative itself. */
  through: Partial<Record<RaciRoleName, string>>
  marks: Mark[]
}

export interface GridRow {
  initiative: InitiativeRecord
  /** By person id. */
  cells: Map<string, GridCell>
  /** Findings about the initiative that no person's cell shows (no Accountable, a decision overdue). */
  marks: Mark[]
}

export interface GridColumn { personId: string, name: string, status: string }

export interface Grid {
  domainId: string | null
  /** The domain's path from the top, or "Without a domain". */
  label: string
  columns: GridColumn[]
  rows: GridRow[]
}

const ROLES: readonly RaciRoleName[] = ['R', 'A', 'C', 'I']
const compare = (a: string, b: string): number => a < b ? -1 : Number(a > b)
// Names and titles as a reader scans them: "Initiative 8" before "Initiative 16", case and accents aside; one
// locale, so the order is the same on every machine (ids break ties in byte order).
const byName = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare

function rowOf (model: ReadModel, initiative: InitiativeRecord): GridRow {
  const cells = new Map<string, GridCell>()
  const raci = model.raci(initiative.id)
  for (const role of ROLES) {
    for (const holder of raci[role]) {
      let cell = cells.get(holder.personId)
      if (cell === undefined) cells.set(holder.personId, cell = { roles: [], through: {}, marks: [] })
      if (cell.roles.includes(role)) continue
      cell.roles.push(role)
      if (holder.domainId !== null) cell.through[role] = holder.domainId
    }
  }
  return { initiative, cells, marks: [] }
}

/**
 * The people whose cells show a finding: for influence over a person, the person steered (their decisions are what
 * the influence bends; the one who steers is shown at fault by their own findings); otherwise everyone it names.
 */
function peopleAtFault (f: ReportFinding, names: RecordNames): string[] {
  const steered = refsOf(f, 'influence').map((id) => names.influence(id)?.overPersonId).filter((p) => p != null)
  return steered.length > 0 ? [...new Set(steered)] : refsOf(f, 'person')
}

/**
 * Marks the cells each finding that holds is about: the cell of an assignment it names (on a domain: that person's
 * cell in every row inheriting from it); else the cells of the people at fault in the rows of its initiatives; a
 * row where none of them holds a role is marked whole.
 */
function mark (rows: ReadonlyMap<string, GridRow>, model: ReadModel, names: RecordNames, findings: readonly ReportFinding[]): void {
  for (const f of findings) {
    if (f.state === 'resolved') continue
    const m: Mark = { ruleId: f.ruleId, severity: f.severity, message: f.message, waived: f.waived != null }
    const assignments = refsOf(f, 'assignment').map((id) => names.assignment(id)).filter((a) => a !== undefined)
    if (assignments.length > 0) {
      for (const a of assignments) {
        const targets = a.initiativeId !== null
          ? [rows.get(a.initiativeId)]
          : [...rows.values()].filter((row) => a.domainId !== null && model.chainOf(row.initiative.id).includes(a.domainId))
        for (const row of targets) row?.cells.get(a.personId)?.marks.push(m)
      }
      continue
    }
    const people = peopleAtFault(f, names)
    for (const id of refsOf(f, 'initiative')) {
      const row = rows.get(id)
      if (row === undefined) continue
      const cells = people.map((p) => row.cells.get(p)).filter((c) => c !== undefined)
      for (const cell of cells) cell.marks.push(m)
      if (cells.length === 0) row.marks.push(m)
    }
  }
}

/** The domain's path from the top: "Commercial › Pricing". */
export function domainPath (model: ReadModel, domainId: string): string {
  return [...model.domainChain(domainId)].reverse().map((id) => model.domain(id)?.name ?? id).join(' › ')
}

/**
 * The initiatives' grids, one per domain (by path; those without a domain last), rows by title, columns the people
 * who hold a role in the grid, by name.
 */
export function raciGrids (model: ReadModel, initiatives: readonly InitiativeRecord[], findings: readonly ReportFinding[], names: RecordNames): Grid[] {
  const rows = new Map(initiatives.map((i) => [i.id, rowOf(model, i)]))
  mark(rows, model, names, findings)
  const groups = new Map<string | null, GridRow[]>()
  for (const row of rows.values()) {
    const key = row.initiative.domainId
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [row])
    else group.push(row)
  }
  const grids = [...groups].map(([domainId, group]): Grid => {
    group.sort((a, b) => byName(a.initiative.title, b.initiative.title) || compare(a.initiative.id, b.initiative.id))
    const ids = new Set(group.flatMap((row) => [...row.cells.keys()]))
    const columns = [...ids].map((personId) => ({ personId, name: model.nameOf(personId), status: model.statusOf(personId) }))
      .sort((a, b) => byName(a.name, b.name) || compare(a.personId, b.personId))
    return { domainId, label: domainId === null ? 'Without a domain' : domainPath(model, domainId), columns, rows: group }
  })
  return grids.sort((a, b) => Number(a.domainId === null) - Number(b.domainId === null) || byName(a.label, b.label) || compare(a.label, b.label))
}
