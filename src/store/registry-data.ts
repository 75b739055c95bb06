// The whole registry read in one go, for an audit's snapshot: every table in one read transaction, the assignments
// (most of a large registry) joined by SQLite and split here, sharing the strings they repeat; and the few rows a
// refresh reads again (registry/snapshot-refresh.ts).
import type { DecisionRule } from '../../db/schema.js'
import { adoptAssignmentIndex, assignmentIndexer } from '../registry/assignment-index.js'
import { Interner } from '../registry/interner.js'
import type { AssignmentRecord, InitiativeRecord, InitiativeStatus, RaciRoleName, RegistryData } from '../registry/types.js'
import { readTransaction } from './change-feed.js'
import type { Db } from './connection.js'
import {
  ASSIGNMENT_COLUMNS, asDelegations, asPeople, DECISION_COLUMNS, DELEGATION_COLUMNS, DOMAIN_COLUMNS, INFLUENCE_COLUMNS, PERSON_COLUMNS, STATUS_COLUMNS
} from './registry-rows.js'

const LOAD = {
  people: `SELECT ${PERSON_COLUMNS} FROM people`,
  statuses: `SELECT ${STATUS_COLUMNS} FROM person_statuses`,
  domains: `SELECT ${DOMAIN_COLUMNS} FROM domains`,
  // 100k initiatives: one JSON text, parsed in one go, costs half what an object made per row by the driver does.
  initiatives: 'SELECT json_group_array(json_array(id, title, domain_id, status, decision_rule, decision_due_at)) FROM initiatives',
  delegations: `SELECT ${DELEGATION_COLUMNS} FROM delegations`,
  influences: `SELECT ${INFLUENCE_COLUMNS} FROM influences`,
  decisions: `SELECT ${DECISION_COLUMNS} FROM decisions`
} as const

/*
 * Assignments are most of a large registry (1M rows). Read row by row they cost a call from SQLite into JS per row
 * and a new string per value: SQLite joins the rows instead, up to ASSIGNMENTS_PER_READ at a time, into one string
 * (values apart by U+001F, rows by U+001E: neither can be in an id, a role or a time), which is split here. A value
 * repeated from row to row (people, targets, times) is one shared string, not one per row: half the memory at 1M
 * rows. NULL comes as an empty value: no id or time is empty.
 */
const ASSIGNMENTS_PER_READ = 65_536
const ASSIGNMENT_ROWS = `SELECT count(*), group_concat(concat(id, char(31), person_id, char(31), role, char(31), initiative_id, char(31),
    domain_id, char(31), valid_from, char(31), valid_to), char(30))
  FROM assignments WHERE rowid >= ? AND rowid < ? + ${ASSIGNMENTS_PER_READ}`
// Each read starts at the first rowid left, so that gaps in the rowids cost no empty reads.
const NEXT_ASSIGNMENT = 'SELECT min(rowid) FROM assignments WHERE rowid > ?'
const ROLE_NAMES = new Set<string>(['R', 'A', 'C', 'I'])
const unreadable = (first: number): Error => new Error(`assignments from rowid ${first} could not be read: a role is not R, A, C or I, or a value holds U+001E or U+001F`)

/**
 * Every assignment, frozen, in storage order, with its index by target and role built on the way (indexedOnLoad).
 * `strings` holds the strings already read (people, domain and initiative ids), which the assignments then share.
 */
function loadAssignments (sqlite: Db['$client'], strings: Interner): AssignmentRecord[] {
  const read = sqlite.prepare(ASSIGNMENT_ROWS).raw()
  const next = sqlite.prepare(NEXT_ASSIGNMENT).pluck()
  const rows: AssignmentRecord[] = []
  const indexer = assignmentIndexer()
  const intern = (text: string, from: number, to: number): string => strings.get(text, from, to)
  // A value equal to the one before it in its column is taken without cutting a new string out of the text.
  let initiative = ''
  let domain = ''
  let from = ''
  let to = ''
  const same = (s: string, at: number, end: number, last: string): boolean => end - at === last.length && s.startsWith(last, at)
  for (let first = next.get(Number.MIN_SAFE_INTEGER) as number | null; first !== null; first = next.get(first + ASSIGNMENTS_PER_READ - 1) as number | null) {
    const [count, text] = read.get(first, first) as [number, string | null]
    if (text === null) continue
    let at = 0
    for (let n = 0; n < count; n++) {
      let end = text.indexOf('\x1f', at)
      const id = text.slice(at, end)
      at = end + 1
      end = text.indexOf('\x1f', at)
      const personId = intern(text, at, end)
      at = end + 1
      const role = text[at] as RaciRoleName
      if (!ROLE_NAMES.has(role) || text.charCodeAt(at + 1) !== 31) throw unreadable(first)
      at += 2
      end = text.indexOf('\x1f', at)
      const initiativeId = end === at ? null : same(text, at, end, initiative) ? initiative : (initiative = intern(text, at, end))
      at = end + 1
      end = text.indexOf('\x1f', at)
      const domainId = end === at ? null : same(text, at, end, domain) ? domain : (domain = intern(text, at, end))
      at = end + 1
      end = text.indexOf('\x1f', at)
      const validFrom = same(text, at, end, from) ? from : (from = intern(text, at, end))
      at = end + 1
      end = text.indexOf('\x1e', at)
      if (end === -1) end = text.length
      const validTo = end === at ? null : same(text, at, end, to) ? to : (to = intern(text, at, end))
      at = end + 1
      const a: AssignmentRecord = { id, personId, role, initiativeId, domainId, validFrom, validTo }
      rows.push(a)
      indexer.add(a)
    }
    // Every row ends where the next begins, and the last at the end: otherwise a value held a separator.
    if (at !== text.length + 1) throw unreadable(first)
  }
  Object.freeze(rows)
  adoptAssignmentIndex(rows, indexer.done())
  return rows
}

type InitiativeRow = [id: string, title: string, domainId: string | null, status: InitiativeStatus, decisionRule: DecisionRule, decisionDueAt: string | null]
const initiativeRecord = ([id, title, domainId, status, decisionRule, decisionDueAt]: InitiativeRow): InitiativeRecord =>
  ({ id, title, domainId, status, decisionRule, decisionDueAt })

/** Every table but the assignments: each small beside them, read whole. */
export type SmallTable = Exclude<keyof RegistryData, 'assignments'>

const all = <T>(db: Db, source: string): T[] => db.$client.prepare(source).all() as T[]

/** Each small table read whole, as records. */
export const READ_TABLE: { readonly [T in SmallTable]: (db: Db) => RegistryData[T] } = {
  people: (db) => asPeople(all(db, LOAD.people)),
  statuses: (db) => all(db, LOAD.statuses),
  domains: (db) => all(db, LOAD.domains),
  initiatives: (db) => (JSON.parse(db.$client.prepare(LOAD.initiatives).pluck().get() as string) as InitiativeRow[]).map(initiativeRecord),
  delegations: (db) => asDelegations(all(db, LOAD.delegations)),
  influences: (db) => all(db, LOAD.influences),
  decisions: (db) => all(db, LOAD.decisions)
}

/** Reads every table in one read transaction, so the snapshot is one consistent state of the registry. */
export function loadRegistryData (db: Db): RegistryData {
  return readTransaction(db, (): RegistryData => {
    const people = READ_TABLE.people(db)
    const domains = READ_TABLE.domains(db)
    const initiatives = READ_TABLE.initiatives(db)
    const strings = new Interner([people, domains, initiatives].flatMap((rows) => rows.map((r) => r.id)))
    return {
      people,
      statuses: READ_TABLE.statuses(db),
      domains,
      initiatives,
      assignments: loadAssignments(db.$client, strings),
      delegations: READ_TABLE.delegations(db),
      influences: READ_TABLE.influences(db),
      decisions: READ_TABLE.decisions(db)
    }
  })
}

const ASSIGNMENTS_BY_ID = `SELECT ${ASSIGNMENT_COLUMNS} FROM assignments WHERE id IN (SELECT value FROM json_each(?)) ORDER BY rowid`

/** The assignments of the ids as stored now, in storage order (an id with no row: none). */
export const assignmentsById = (db: Db, ids: ReadonlySet<string>): AssignmentRecord[] =>
  db.$client.prepare(ASSIGNMENTS_BY_ID).all(JSON.stringify([...ids])) as AssignmentRecord[]
