// Which column of a people CSV gives which field: common HR header spellings, case- and punctuation-blind, and
// `--map column=field` for the rest.
import { columnLetter, fileProblem, problemAt, type SheetProblem } from './sheet-problems.js'

export const PERSON_FIELDS = ['id', 'name', 'firstName', 'lastName', 'email', 'title', 'status', 'manager', 'tags', 'stake', 'externalId'] as const
export type PersonField = typeof PERSON_FIELDS[number]

/** Header spellings, lowercased with everything but letters and digits removed. */
const SPELLINGS: Record<PersonField, readonly string[]> = {
  id: ['id', 'personid', 'whodecidesid'],
  name: ['name', 'fullname', 'displayname', 'employeename', 'preferredname'],
  firstName: ['firstname', 'givenname', 'forename', 'legalfirstname'],
  lastName: ['lastname', 'surname', 'familyname', 'legallastname'],
  email: ['email', 'emailaddress', 'workemail', 'workemailaddress', 'mail', 'businessemail'],
  title: ['title', 'jobtitle', 'position', 'positiontitle', 'designation', 'businesstitle'],
  status: ['status', 'employmentstatus', 'employeestatus', 'workerstatus'],
  manager: ['manager', 'manageremail', 'managerid', 'reportsto', 'supervisor', 'supervisoremail', 'linemanager'],
  tags: ['tags', 'tag', 'labels'],
  stake: ['stake', 'stakepercent', 'equity', 'equitystake', 'equitypercent', 'ownership', 'ownershippercent'],
  externalId: ['externalid', 'employeeid', 'employeenumber', 'employeeno', 'hrid', 'workerid', 'staffid', 'personnelnumber']
}
const BY_SPELLING = new Map(PERSON_FIELDS.flatMap((field) => [field.toLowerCase(), ...SPELLINGS[field]].map((spelling) => [spelling, field] as const)))
const IGNORE = 'ignore'

const spelling = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '')

/** The field a header or a `--map` target names, if any. */
export function personField (text: string): PersonField | undefined {
  return BY_SPELLING.get(spelling(text))
}

export interface PeopleColumns {
  /** The 1-based column of each field the file gives. */
  columns: Partial<Record<PersonField, number>>
  /** Headers of columns that give no field (a department, a location), for the importer to mention. */
  ignored: string[]
}

/**
 * The fields of a header row. A `map` entry (header as written → field, or "ignore") overrides the spellings; a
 * field given by two columns, a map naming a missing column or an unknown field, and a file with no name or email
 * column are problems.
 */
export function readPeopleColumns (header: readonly string[], map: Readonly<Record<string, string>> = {}): PeopleColumns & { problems: SheetProblem[] } {
  const problems: SheetProblem[] = []
  const mapped = new Map<string, PersonField | typeof IGNORE>()
  for (const [column, target] of Object.entries(map)) {
    const field = target.trim().toLowerCase() === IGNORE ? IGNORE : personField(target)
    if (field === undefined) problems.push(fileProblem('unknown-field', `--map ${column}=${target}: "${target}" is not a field; the fields are ${PERSON_FIELDS.join(', ')} (or ${IGNORE})`))
    else if (!header.some((text) => text.trim().toLowerCase() === column.trim().toLowerCase())) problems.push(fileProblem('unknown-column', `--map ${column}=${target}: the file has no column "${column}"`))
    else mapped.set(column.trim().toLowerCase(), field)
  }
  const result: PeopleColumns = { columns: {}, ignored: [] }
  const byMap = new Set<PersonField>(Array.from(mapped.values()).filter((field): field is PersonField => field !== IGNORE))
  header.forEach((raw, index) => {
    const text = raw.trim()
    const column = index + 1
    const explicit = mapped.get(text.toLowerCase())
    const field = explicit ?? personField(text)
    if (field === undefined || field === IGNORE || (explicit === undefined && byMap.has(field))) {
      if (text !== '') result.ignored.push(text)
      return
    }
    const first = result.columns[field]
    if (first !== undefined) problems.push(problemAt('duplicate-header', 1, column, `"${text}" gives the ${field} as column ${columnLetter(first)} does: remove one, or --map one of them to another field or to ${IGNORE}`))
    else result.columns[field] = column
  })
  const { name, firstName, lastName, email } = result.columns
  if (name === undefined && firstName === undefined && lastName === undefined) problems.push(fileProblem('missing-column', 'No column gives the name: expected a header such as Name, Full name or First name and Last name, or --map COLUMN=name'))
  if (email === undefined) problems.push(fileProblem('missing-column', 'No column gives the email: expected a header such as Email or E-mail, or --map COLUMN=email'))
  return { ...result, problems }
}
