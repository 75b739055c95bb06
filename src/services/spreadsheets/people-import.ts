// People as an HR system exports them into the registry: each row matched to a person on record (by id, external id
// or email) or made new (its id from the email when the file gives none), managers by email or id, as one import.
import { idFromEmail, parsePeopleCsv, type PeopleCsvOptions, type PeopleCsvRead, type PeopleCsvRow } from '../../formats/people-csv.js'
import type { PersonField } from '../../formats/people-columns.js'
import type { Actor } from '../../store/change-log.js'
import type { Db } from '../../store/connection.js'
import { readAll, toBundleRow, type BundleRow, type StoredRecord } from '../../store/bundle.js'
import { namesOf, type Found } from './registry-names.js'
import {
  applyOn, applyPlan, inCellOrder, problemAtCell, type ApplyBundle, type ImportProblem, type SpreadsheetImportOptions, type SpreadsheetImportReport,
  type SpreadsheetPlan
} from './spreadsheet-import.js'

export interface PeopleImportOptions extends SpreadsheetImportOptions {
  /** Header as written → field, or "ignore" (the CLI's --map column=field). */
  map?: PeopleCsvOptions['map']
}

/**
 * Imports a people CSV (see planPeopleImport), in one transaction recorded in the change log, or only checks it on a
 * dry run; a 422 naming every problem by row and column, with nothing written, when the file has any.
 */
export async function importPeopleCsv (db: Db, actor: Actor, bytes: Uint8Array, options: PeopleImportOptions = {}, apply: ApplyBundle = applyOn(db, actor)): Promise<SpreadsheetImportReport> {
  const plan = planPeopleImport(db, parsePeopleCsv(bytes, options.map === undefined ? {} : { map: options.map }))
  return await applyPlan(plan, options, apply)
}

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/**
 * The plan of a people file against the registry. A row is the person on record with its id, else with its external
 * id, else with its email (any case); else a new person, whose id (when the file gives none) is made from the email
 * apart from every id on record or in the file. Only the fields the file has a column for are set (a blank cell
 * clears an optional field; a blank status keeps the person's, or makes a new one active); a manager is named by the
 * id, email or external id of a person in the file or on record. Rows that change nothing are left out.
 */
export function planPeopleImport (db: Db, read: PeopleCsvRead): SpreadsheetPlan {
  const problems: ImportProblem[] = [...read.problems]
  const plan: SpreadsheetPlan = { kind: 'people', bundle: {}, sources: {}, counts: { created: 0, changed: 0, ended: 0, unchanged: 0 }, problems }
  if (problems.length > 0) return plan
  const stored = readAll(db, 'people')
  const byId = new Map(stored.map((p) => [p.id, p]))
  const byExternalId = namesOf(stored, [{ keys: (p) => [p.externalId] }])
  const byEmail = namesOf(stored, [{ keys: (p) => [p.email], ignoreCase: true }])
  const recordOf = (found: Found): StoredRecord | undefined => 'record' in found ? found.record : undefined

  const taken = new Set([...byId.keys(), ...read.people.filter((p) => !p.idFromEmail).map((p) => p.id)])
  const matched = new Map<string, PeopleCsvRow>()
  const located = read.people.map((person) => {
    const existing = person.idFromEmail
      ? (person.externalId === null ? undefined : recordOf(byExternalId(person.externalId))) ?? recordOf(byEmail(person.email))
      : byId.get(person.id)
    const id = existing?.id ?? (person.idFromEmail ? idFromEmail(person.email, taken) : person.id)
    const earlier = matched.get(id)
    if (earlier !== undefined) problems.push(problemAtCell('duplicate-person', person.row, read.columns.id ?? read.columns.email ?? 1, `this row is ${id}, as row ${earlier.row} is: keep one row per person`))
    matched.set(id, person)
    return { person, id, existing }
  })
  const fileIds = new Set(located.map(({ id }) => id))
  const fileEmails = new Map(located.map(({ person, id }) => [person.email.toLowerCase(), id]))
  const fileExternalIds = new Map(located.filter(({ person }) => person.externalId !== null).map(({ person, id }) => [person.externalId!, id]))
  // As a bundle reads a person (import-references.ts): an id, else an email, else an external id; the file over the record.
  const managerOf = (text: string): string | undefined =>
    (byId.has(text) || fileIds.has(text) ? text : undefined) ?? fileEmails.get(text.toLowerCase()) ?? recordOf(byEmail(text))?.id ??
      fileExternalIds.get(text) ?? recordOf(byExternalId(text))?.id

  const given = (field: PersonField): boolean => read.columns[field] !== undefined
  const rows: BundleRow[] = []
  const sources: Array<{ row: number, column: number }> = []
  for (const { person, id, existing } of located) {
    const fields: Record<string, unknown> = {}
    if (given('name') || given('firstName') || given('lastName')) fields.name = person.name
    fields.email = person.email
    if (given('title')) fields.title = person.title
    if (person.status !== null) fields.status = person.status
    if (given('tags')) fields.tags = person.tags
    if (given('stake')) fields.stakePercent = person.stakePercent
    if (given('externalId')) fields.externalId = person.externalId
    if (given('manager')) {
      const managerId = person.manager === null ? null : managerOf(person.manager)
      if (managerId === undefined) problems.push(problemAtCell('unknown-manager', person.row, read.columns.manager!, `no person in the file or on record has the id, email or external id "${person.manager!}"`))
      fields.managerId = managerId ?? null
    }
    if (existing === undefined) {
      rows.push({ id, ...fields })
      sources.push({ row: person.row, column: 1 })
      plan.counts.created++
    } else if (Object.entries(fields).some(([field, value]) => !sameValue(value, existing[field]))) {
      rows.push({ ...toBundleRow(existing), ...fields })
      sources.push({ row: person.row, column: 1 })
      plan.counts.changed++
    } else {
      plan.counts.unchanged++
    }
  }
  if (rows.length > 0) { plan.bundle.people = rows; plan.sources.people = sources }
  inCellOrder(problems)
  return plan
}
