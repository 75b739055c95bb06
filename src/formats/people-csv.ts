// People as an HR system exports them, in CSV: one typed row per person with its row number, and every problem.
import { PERSON_STATUSES, type PersonStatus } from '../../db/schema.js'
import { ID_PATTERN } from '../schemas/common.js'
import { readCsvTable, writeCsvTable, type CsvDelimiter, type ReadOptions, type WriteOptions } from './csv-table.js'
import { readPeopleColumns, type PersonField } from './people-columns.js'
import { problemAt, type SheetProblem, type SheetProblemKind } from './sheet-problems.js'

/** A person as the file gives them; `manager` as written (an email or an id), for the importer to resolve. */
export interface PeopleCsvPerson {
  id: string
  name: string
  email: string
  title: string | null
  status: PersonStatus | null
  manager: string | null
  tags: string[]
  stakePercent: number | null
  externalId: string | null
}

/** A person read from row `row`; `idFromEmail` when the file gave no id and it was made from the email. */
export interface PeopleCsvRow extends PeopleCsvPerson { row: number, idFromEmail: boolean }

export interface PeopleCsvRead {
  people: PeopleCsvRow[]
  /** The column of each field the file gives: a field it does not give is one an import leaves as it is. */
  columns: Partial<Record<PersonField, number>>
  ignoredColumns: string[]
  delimiter: CsvDelimiter
  problems: SheetProblem[]
}

export interface PeopleCsvOptions extends ReadOptions {
  /** Header as written → field (id, name, firstName, lastName, email, title, status, manager, tags, stake, externalId) or "ignore". */
  map?: Readonly<Record<string, string>>
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const ID = new RegExp(ID_PATTERN)
const STATUS_SPELLINGS = new Map<string, PersonStatus>([
  ...PERSON_STATUSES.map((status) => [status, status] as const),
  ['leave', 'on_leave'], ['leave_of_absence', 'on_leave'], ['terminated', 'departed'], ['left', 'departed'], ['former', 'departed']
])
type Columns = PeopleCsvRead['columns']

/**
 * The people of a CSV file. Ids the file does not give are made from emails (see idFromEmail), after every id
 * it gives is taken, in row order: the same file always gives the same ids. Blank rows are skipped.
 */
export function parsePeopleCsv (bytes: Uint8Array, options: PeopleCsvOptions = {}): PeopleCsvRead {
  const table = readCsvTable(bytes, options)
  const { columns, ignored, problems } = table.rows.length === 0 ? { columns: {}, ignored: [], problems: [] } : readPeopleColumns(table.rows[0] ?? [], options.map)
  const read: PeopleCsvRead = { people: [], columns, ignoredColumns: ignored, delimiter: table.delimiter, problems: [...table.problems, ...problems] }
  if (read.problems.length > 0) return read
  table.rows.forEach((cells, index) => {
    if (index > 0 && cells.some((text) => text.trim() !== '')) read.people.push(readPerson(cells, index + 1, columns, read.problems))
  })
  read.problems.push(...duplicates(read.people, columns))
  read.problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || (a.column ?? 0) - (b.column ?? 0))
  const taken = new Set(read.people.map((person) => person.id))
  for (const person of read.people) if (person.idFromEmail) person.id = idFromEmail(person.email, taken)
  return read
}

/** One row as a person, each value checked; a bad value is a problem at its cell and is read as blank. */
function readPerson (cells: readonly string[], row: number, columns: Columns, problems: SheetProblem[]): PeopleCsvRow {
  const field = (name: PersonField): string => columns[name] === undefined ? '' : (cells[(columns[name] ?? 0) - 1] ?? '').trim()
  const fault = (kind: SheetProblemKind, name: PersonField, message: string): void => { problems.push(problemAt(kind, row, columns[name] ?? 1, message)) }
  const name = field('name') || `${field('firstName')} ${field('lastName')}`.trim()
  if (name === '') fault('missing-name', columns.name === undefined ? 'firstName' : 'name', 'the person has no name')
  const email = field('email')
  if (!EMAIL.test(email) || email.length > 254) fault('bad-email', 'email', email === '' ? 'the person has no email' : `"${email}" is not an email address`)
  const id = field('id')
  if (id !== '' && !ID.test(id)) fault('bad-id', 'id', `"${id}" is not an id: lower-case letters, digits, ".", "_" and "-", at most 64`)
  const statusText = field('status')
  const status = statusText === '' ? null : STATUS_SPELLINGS.get(statusText.toLowerCase().replace(/[^a-z]+/g, '_'))
  if (status === undefined) fault('bad-status', 'status', `"${statusText}" is not a status: write ${PERSON_STATUSES.join(', ')} or leave it blank`)
  const stakeText = field('stake')
  const stakePercent = stakeText === '' ? null : readStake(stakeText)
  if (stakePercent === undefined) fault('bad-stake', 'stake', `"${stakeText}" is not a stake: a percentage from 0 to 100, such as 12.5`)
  return {
    row, idFromEmail: id === '', id, name, email, title: field('title') || null, status: status ?? null, manager: field('manager') || null,
    tags: readTags(field('tags')), stakePercent: stakePercent ?? null, externalId: field('externalId') || null
  }
}

/** A second row with the id, email (compared case-insensitively) or external id of an earlier one. */
function duplicates (people: readonly PeopleCsvRow[], columns: Columns): SheetProblem[] {
  const keys = [['id', 'duplicate-id', (p: PeopleCsvRow) => p.idFromEmail ? null : p.id], ['email', 'duplicate-email', (p: PeopleCsvRow) => p.email.toLowerCase() || null], ['externalId', 'duplicate-external-id', (p: PeopleCsvRow) => p.externalId]] as const
  const problems: SheetProblem[] = []
  for (const [field, kind, key] of keys) {
    const first = new Map<string, PeopleCsvRow>()
    for (const person of people) {
      const value = key(person)
      if (value === null) continue
      const earlier = first.get(value)
      if (earlier === undefined) first.set(value, person)
      else problems.push(problemAt(kind, person.row, columns[field] ?? 1, `the ${field} "${value}" is also in row ${earlier.row}`))
    }
  }
  return problems
}

/** A percentage as HR files write it: `12.5`, `12,5` or `12.5 %`, from 0 to 100; undefined when it is not one. */
function readStake (text: string): number | undefined {
  const plain = text.replace(/\s*%$/, '').replace(/^(\d+),(\d+)$/, '$1.$2')
  const value = /^\d+(\.\d+)?$/.test(plain) ? Number(plain) : NaN
  return value >= 0 && value <= 100 ? value : undefined
}

/** Tags `;`-separated, lowercased, spaces as `-`, each once. */
function readTags (text: string): string[] {
  return [...new Set(text.split(';').map((tag) => tag.trim().toLowerCase().replace(/\s+/g, '-')).filter((tag) => tag !== ''))]
}

/**
 * An id made from an email, not yet in `taken` (which it joins): the local part, accents dropped, lowercased, each
 * run of characters other than a–z, 0–9 and `-` as one `-`, without `-` at either end, at most 56 characters
 * ("person" if nothing is left); on a collision `-2`, `-3`, … in the order asked. Ada.Lovelace@x → ada-lovelace.
 */
export function idFromEmail (email: string, taken: Set<string>): string {
  const local = email.slice(0, Math.max(0, email.lastIndexOf('@'))) || email
  const base = local.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 56).replace(/-$/, '') || 'person'
  let id = base
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`
  taken.add(id)
  return id
}

const HEADER = ['id', 'name', 'email', 'title', 'status', 'manager', 'tags', 'stake', 'external id']

/** People as CSV with the headers parsePeopleCsv reads back; tags `;`-separated, blanks for nulls. */
export function writePeopleCsv (people: readonly PeopleCsvPerson[], options: WriteOptions = {}): Buffer {
  return writeCsvTable([HEADER, ...people.map((p) => [
    p.id, p.name, p.email, p.title ?? '', p.status ?? '', p.manager ?? '', p.tags.join(';'), p.stakePercent === null ? '' : String(p.stakePercent), p.externalId ?? ''
  ])], options)
}
