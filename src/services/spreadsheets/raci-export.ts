// The registry (or the registry at a time) as the organization-wide RACI matrix: one row per initiative, one column
// per person holding a role on one, each cell the roles held directly at that time; problem cells from the live rules.
import { RACI_ROLES, type PersonStatus } from '../../../db/schema.js'
import { loadRegistry } from '../../audit/job.js'
import { liveWaivers } from '../../audit/live-waivers.js'
import { runRules } from '../../audit/engine.js'
import { statusWord } from '../../audit/rule.js'
import { now, toInstant } from '../../clock.js'
import { notFound } from '../../errors.js'
import { writeRaciCsv } from '../../formats/raci-csv.js'
import { layoutRaciMatrix, type RaciMatrix, type RaciRole } from '../../formats/raci-matrix.js'
import { writeRaciXlsx, type MatrixMarks, type ProblemCell } from '../../formats/raci-xlsx.js'
import { createReadModel } from '../../registry/read-model.js'
import { createSnapshot } from '../../registry/snapshot.js'
import { readAll } from '../../store/bundle.js'
import type { Db } from '../../store/connection.js'
import { shapeAt } from '../../store/history.js'
import type { RaciHolder } from '../../schemas/initiatives.js'
import { accountableAt } from '../raci.js'
import { ruleConfigs } from '../rule-settings.js'
import { labelsOf } from './registry-names.js'

export interface RaciExportOptions {
  /** The time the matrix shows (default now). */
  at?: string
  /** Only the initiatives in this domain and the domains below it. */
  domainId?: string
}

/** The matrix as data: what GET /v1/raci answers in JSON, and what the CSV and XLSX forms are laid out from. */
export interface RaciMatrixView {
  at: string
  domainId: string | null
  /** The people holding a role on one of the rows, by name; `header` is how the files name them (their email). */
  people: Array<{ id: string, name: string, email: string | null, status: PersonStatus, header: string }>
  /** The initiatives in id order; `label` and `domain` as the files write them (title and name where those are unique). */
  rows: Array<{
    initiativeId: string
    title: string
    label: string
    domainId: string | null
    domain: string | null
    decisionRule: string
    status: string
    roles: Record<string, RaciRole[]>
    /** Every A then on the initiative and up its domain chain, nearest first, marked effective or overridden. */
    accountable: RaciHolder[]
  }>
  /** Cells breaking a rule: a person's cell, or the initiative itself (personId null) when no one cell is at fault. */
  problems: Array<{ initiativeId: string, personId: string | null, ruleId: string, message: string }>
  /** The live findings about the rows (waived ones included, with their waiver; they mark no cell). */
  findings: Array<{ ruleId: string, severity: string, message: string, initiativeId: string | null, personIds: string[], personNames: string[], waived: { waiverId: string, reason: string } | null }>
}

/** A role holder who is not active: no audit rule of its own, but a cell a reader must see. */
export const INACTIVE_HOLDER = 'inactive-role-holder'

/**
 * The matrix at `at` (default now): each initiative of the registry then (of the domain's subtree, when given), the
 * roles each person held directly on it then, and the problem cells of every enabled rule. A 404 for a domain that
 * did not exist then.
 */
export function raciMatrixView (db: Db, options: RaciExportOptions = {}): RaciMatrixView {
  const at = options.at === undefined ? now() : toInstant(options.at)
  const loaded = loadRegistry(db)
  const data = shapeAt(db, loaded.data, at)
  const model = createReadModel(data === loaded.data ? loaded.snapshot : createSnapshot(data), at)
  const { snapshot } = model
  if (options.domainId !== undefined && snapshot.domain(options.domainId) === undefined) throw notFound('domains', options.domainId)
  const subtree = options.domainId === undefined ? undefined : model.domainSubtree(options.domainId)
  const initiatives = [...snapshot.initiatives]
    .filter((i) => subtree === undefined || (i.domainId !== null && subtree.has(i.domainId)))
    .sort((a, b) => a.id < b.id ? -1 : Number(a.id > b.id))

  const stored = new Map(readAll(db, 'people').map((p) => [p.id, p]))
  const titles = labelsOf(snapshot.initiatives, (i) => i.title)
  const domainNames = labelsOf(snapshot.domains, (d) => d.name)
  const holders = new Set<string>()
  const rows = initiatives.map((initiative) => {
    const roles = new Map<string, RaciRole[]>()
    for (const role of RACI_ROLES) {
      for (const { personId } of snapshot.holders({ kind: 'initiative', id: initiative.id }, role, at)) {
        holders.add(personId)
        const held = roles.get(personId) ?? []
        if (!held.includes(role)) roles.set(personId, [...held, role])
      }
    }
    return {
      initiativeId: initiative.id, title: initiative.title, label: titles.get(initiative.id) ?? initiative.id,
      domainId: initiative.domainId, domain: initiative.domainId === null ? null : domainNames.get(initiative.domainId) ?? initiative.domainId,
      decisionRule: initiative.decisionRule, status: initiative.status, roles: Object.fromEntries(roles),
      accountable: accountableAt(snapshot, initiative.id, at)
    }
  })
  const people = [...holders].map((id) => {
    const email = (stored.get(id)?.email as string | undefined) ?? null
    return { id, name: snapshot.person(id)?.name ?? id, email, status: model.statusOf(id), header: email ?? id }
  }).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : Number(a.id > b.id))

  const waivers = liveWaivers(db, now())
  const findings = runRules(model, ruleConfigs(db), options.domainId === undefined ? null : { domainId: options.domainId })
  const inRows = new Map(rows.map((row) => [row.initiativeId, row]))
  const problems: RaciMatrixView['problems'] = []
  for (const finding of findings) {
    const row = finding.subject.kind === 'initiative' ? inRows.get(finding.subject.id) : undefined
    if (row === undefined || waivers.has(finding.fingerprint)) continue
    const atFault = finding.related.filter((r) => r.kind === 'person' && Object.hasOwn(row.roles, r.id)).map((r) => r.id)
    for (const personId of atFault.length > 0 ? atFault : [null]) problems.push({ initiativeId: row.initiativeId, personId, ruleId: finding.ruleId, message: finding.message })
  }
  for (const row of rows) {
    for (const personId of Object.keys(row.roles)) {
      const status = model.statusOf(personId)
      if (status !== 'active') problems.push({ initiativeId: row.initiativeId, personId, ruleId: INACTIVE_HOLDER, message: `${model.nameOf(personId)} holds ${(row.roles[personId] ?? []).join('/')} but is ${statusWord(status)}` })
    }
  }
  return {
    at,
    domainId: options.domainId ?? null,
    people,
    rows,
    problems,
    findings: findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      initiativeId: f.subject.kind === 'initiative' ? f.subject.id : null,
      personIds: f.related.filter((r) => r.kind === 'person').map((r) => r.id),
      personNames: f.related.filter((r) => r.kind === 'person').map((r) => model.nameOf(r.id)),
      waived: waivers.get(f.fingerprint) ?? null
    }))
  }
}

/** The view laid out as the files write it, with its problem cells and findings for the XLSX form. */
export function raciMatrixOf (view: RaciMatrixView): { matrix: RaciMatrix, marks: MatrixMarks } {
  const headerOf = new Map(view.people.map((p) => [p.id, p.header]))
  const matrix = layoutRaciMatrix({
    domainColumn: true,
    decisionRuleColumn: true,
    people: view.people.map((p) => p.header),
    rows: view.rows.map((row) => ({
      initiative: row.label,
      domain: row.domain,
      decisionRule: row.decisionRule as RaciMatrix['rows'][number]['decisionRule'],
      roles: Object.fromEntries(Object.entries(row.roles).map(([personId, roles]) => [headerOf.get(personId) ?? personId, roles]))
    }))
  })
  const rowOf = new Map(view.rows.map((row, index) => [row.initiativeId, index + 2]))
  const columnOf = new Map(matrix.people.map((p) => [p.header, p.column]))
  const problemCells: ProblemCell[] = view.problems.map((p) => ({
    row: rowOf.get(p.initiativeId) ?? 1,
    column: p.personId === null ? 1 : columnOf.get(headerOf.get(p.personId) ?? '') ?? 1,
    ruleId: p.ruleId,
    message: p.message
  }))
  const labelOf = new Map(view.rows.map((row) => [row.initiativeId, row.label]))
  const findings = view.findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.waived === null ? f.severity : `waived (${f.severity})`,
    summary: f.waived === null ? f.message : `${f.message} — waived: ${f.waived.reason}`,
    initiative: f.initiativeId === null ? '' : labelOf.get(f.initiativeId) ?? f.initiativeId,
    person: f.personNames.join(', ')
  }))
  return { matrix, marks: { problemCells, findings } }
}

/** The matrix as a file: CSV (UTF-8 with a BOM) or an XLSX workbook with its problem cells and findings marked. */
export async function exportRaciMatrix (db: Db, options: RaciExportOptions & { format: 'csv' | 'xlsx' }): Promise<Buffer> {
  const { matrix, marks } = raciMatrixOf(raciMatrixView(db, options))
  return options.format === 'csv' ? writeRaciCsv(matrix) : await writeRaciXlsx(matrix, marks)
}

const FILE_TYPES = {
  csv: { type: 'text/csv; charset=utf-8', extension: 'csv' },
  xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' }
} as const

/** The matrix as a file to hand over: its bytes, media type and a file name saying its time. */
export async function raciMatrixFile (db: Db, options: RaciExportOptions & { format: 'csv' | 'xlsx' }): Promise<{ bytes: Buffer, type: string, name: string }> {
  const { type, extension } = FILE_TYPES[options.format]
  const stamp = (options.at === undefined ? now() : toInstant(options.at)).slice(0, 10)
  return { bytes: await exportRaciMatrix(db, options), type, name: `raci-${options.domainId ?? 'all'}-${stamp}.${extension}` }
}
