// What makes a bundle valid: each collection's row schema, defaults, natural key and references, and the
// registry's invariants checked over the state the import would leave behind — all in memory, no SQL.
import { toInstant } from '../clock.js'
import type { TSchema } from 'typebox'
import { fieldErrors } from '../plugins/problem-details.js'
import { compileChecker, type Checker } from '../schemas/checker.js'
import { AssignmentCreateSchema } from '../schemas/assignments.js'
import { DecisionBundleRowSchema } from '../schemas/decisions.js'
import { DelegationCreateSchema } from '../schemas/delegations.js'
import { DomainCreateSchema } from '../schemas/domains.js'
import { InfluenceCreateSchema } from '../schemas/influences.js'
import { InitiativeCreateSchema } from '../schemas/initiatives.js'
import { PersonCreateSchema } from '../schemas/people.js'
import { BUNDLE_COLLECTIONS, type BundleCollection, type BundleRow } from '../store/bundle.js'
import { overlapFinder, type Period } from './overlapping-periods.js'
import { isPeriod } from './targets.js'

export interface InvalidRow { collection: BundleCollection, index: number, field: string, reason: string }

interface CollectionRules {
  schema: TSchema
  /** Values of fields a row may leave out; times default to the import's own time. */
  defaults: Record<string, unknown>
  times: readonly string[]
  /** Identifies a row that has no id with an existing record. */
  naturalKey: (row: BundleRow) => string
  references: readonly (readonly [field: string, collection: BundleCollection])[]
  /** Exactly one of these must be set (allScopes counts when true). */
  oneTarget?: readonly string[]
  /** The time a row may leave out (see import.ts, plan): it is then the record that holds now with the same undatedKey. */
  timeField?: 'validFrom' | 'observedAt'
  undatedKey?: (row: Record<string, unknown>) => string
}

/** The parts joined by NUL, null and undefined as empty: one string per row, built without arrays in between. */
function key (...parts: unknown[]): string {
  let out = ''
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]
    out += (i === 0 ? '' : '\u0000') + (part === null || part === undefined ? '' : String(part))
  }
  return out
}

export const RULES: Record<BundleCollection, CollectionRules> = {
  people: {
    schema: PersonCreateSchema,
    defaults: { title: null, status: 'active', statusSince: null, tags: [], stakePercent: null, managerId: null, externalId: null },
    times: ['statusSince'],
    naturalKey: (r) => String(r.email).toLowerCase(),
    references: [['managerId', 'people']]
  },
  domains: {
    schema: DomainCreateSchema,
    defaults: { description: null, parentId: null },
    times: [],
    naturalKey: (r) => key(r.name, r.parentId),
    references: [['parentId', 'domains']]
  },
  initiatives: {
    schema: InitiativeCreateSchema,
    defaults: { destination: null, description: null, domainId: null, status: 'proposed', decisionRule: 'single', decisionDueAt: null },
    times: ['decisionDueAt'],
    naturalKey: (r) => key(r.title, r.domainId),
    references: [['domainId', 'domains']]
  },
  assignments: {
    schema: AssignmentCreateSchema,
    defaults: { initiativeId: null, domainId: null, validFrom: undefined, validTo: null },
    times: ['validFrom', 'validTo'],
    naturalKey: (r) => key(r.personId, r.role, r.initiativeId, r.domainId, r.validFrom),
    references: [['personId', 'people'], ['initiativeId', 'initiatives'], ['domainId', 'domains']],
    oneTarget: ['initiativeId', 'domainId'],
    timeField: 'validFrom',
    undatedKey: (r) => key(r.personId, r.role, r.initiativeId, r.domainId)
  },
  delegations: {
    schema: DelegationCreateSchema,
    defaults: { initiativeId: null, domainId: null, allScopes: false, kind: 'deputy', validFrom: undefined, validTo: null, reason: null },
    times: ['validFrom', 'validTo'],
    naturalKey: (r) => key(r.fromPersonId, r.toPersonId, r.initiativeId, r.domainId, r.allScopes, r.validFrom),
    references: [['fromPersonId', 'people'], ['toPersonId', 'people'], ['initiativeId', 'initiatives'], ['domainId', 'domains']],
    oneTarget: ['initiativeId', 'domainId', 'allScopes'],
    timeField: 'validFrom',
    undatedKey: (r) => key(r.fromPersonId, r.toPersonId, r.initiativeId, r.domainId, r.allScopes)
  },
  influences: {
    schema: InfluenceCreateSchema,
    defaults: { initiativeId: null, domainId: null, overPersonId: null, note: null, observedAt: undefined },
    times: ['observedAt'],
    naturalKey: (r) => key(r.personId, r.initiativeId, r.domainId, r.overPersonId, r.observedAt),
    references: [['personId', 'people'], ['initiativeId', 'initiatives'], ['domainId', 'domains'], ['overPersonId', 'people']],
    oneTarget: ['initiativeId', 'domainId', 'overPersonId'],
    timeField: 'observedAt',
    undatedKey: (r) => key(r.personId, r.initiativeId, r.domainId, r.overPersonId)
  },
  // An imported decision does not move its initiative to decided: the bundle states the initiative's status itself.
  decisions: {
    schema: DecisionBundleRowSchema,
    defaults: { rationale: null, kind: 'decision', supersedes: null },
    times: ['decidedAt'],
    naturalKey: (r) => key(r.initiativeId, r.decidedBy, r.decidedAt),
    references: [['initiativeId', 'initiatives'], ['decidedBy', 'people'], ['supersedes', 'decisions']]
  }
}

const checkers = new Map<BundleCollection, Checker>()

/** Schema errors of one row, as (field, reason) pairs. */
export function rowSchemaErrors (collection: BundleCollection, row: unknown): { field: string, reason: string }[] {
  let checker = checkers.get(collection)
  if (checker === undefined) checkers.set(collection, checker = compileChecker(RULES[collection].schema))
  if (checker.Check(row)) return []
  return fieldErrors(checker.Errors(row) as Parameters<typeof fieldErrors>[0], 'body').map((e) => ({ field: e.path, reason: e.message }))
}

/** Full row with defaults applied and times in canonical UTC form. */
export function normalizeRow (collection: BundleCollection, row: Record<string, unknown>, id: string, at: string): BundleRow {
  const rules = RULES[collection]
  // Copied field by field: object spread of the defaults, then the row, ran ~10x slower on Node 20 (bench/import-raci.ts).
  const out = { id } as BundleRow
  for (const field in rules.defaults) out[field] = rules.defaults[field]
  for (const field in row) out[field] = row[field]
  out.id = id
  for (const field of rules.times) {
    if (out[field] === undefined) out[field] = at
    else if (out[field] !== null) out[field] = toInstant(out[field] as string)
  }
  return out
}

/** The state the import would leave: every collection by id. */
export type FinalState = Record<BundleCollection, Map<string, BundleRow>>

/** A row of the bundle and where it sits, for reporting. */
export interface Located { collection: BundleCollection, index: number, row: BundleRow }

/** Ids that sit on a loop of the given parent links. */
function idsOnLoops (parentOf: (id: string) => unknown, ids: Iterable<string>): Set<string> {
  const state = new Map<string, 'walking' | 'done'>()
  const onLoop = new Set<string>()
  for (const start of ids) {
    const path: string[] = []
    let id: string | undefined = start
    while (id !== undefined && state.get(id) === undefined) {
      state.set(id, 'walking')
      path.push(id)
      const next = parentOf(id)
      id = typeof next === 'string' ? next : undefined
    }
    if (id !== undefined && state.get(id) === 'walking') {
      for (const member of path.slice(path.indexOf(id))) onLoop.add(member)
    }
    for (const p of path) state.set(p, 'done')
  }
  return onLoop
}

/** Every invariant of the registry that a set of bundle rows could break, checked against the final state. */
export function invariantErrors (rows: Located[], final: FinalState): InvalidRow[] {
  const invalid: InvalidRow[] = []
  const report = (l: Located, field: string, reason: string): void => { invalid.push({ collection: l.collection, index: l.index, field, reason }) }

  for (const l of rows) {
    const rules = RULES[l.collection]
    for (const [field, target] of rules.references) {
      const value = l.row[field]
      if (typeof value === 'string' && !final[target].has(value)) {
        report(l, `/${field}`, target === 'people'
          ? `no person with the id, email or external id "${value}" in the bundle or the registry`
          : `no ${target} record with id "${value}" in the bundle or the registry`)
      }
    }
    if (rules.oneTarget !== undefined) {
      let set = 0
      for (const f of rules.oneTarget) if (l.row[f] !== null && l.row[f] !== undefined && l.row[f] !== false) set++
      if (set !== 1) report(l, `/${rules.oneTarget[0]!}`, `give exactly one of ${rules.oneTarget.join(', ')}`)
    }
    if (typeof l.row.validFrom === 'string' && !isPeriod(l.row.validFrom, l.row.validTo as string | null)) {
      report(l, '/validTo', 'must not be before validFrom')
    }
    if (l.collection === 'delegations' && l.row.fromPersonId === l.row.toPersonId) report(l, '/toPersonId', 'a person cannot delegate to themselves')
    if (l.collection === 'influences' && l.row.overPersonId === l.row.personId) report(l, '/overPersonId', 'a person cannot influence themselves')
    if (l.collection === 'decisions' && typeof l.row.supersedes === 'string') {
      const earlier = final.decisions.get(l.row.supersedes)
      if (l.row.supersedes === l.row.id) report(l, '/supersedes', 'a decision cannot supersede itself')
      else if (earlier !== undefined && earlier.initiativeId !== l.row.initiativeId) report(l, '/supersedes', `decision "${l.row.supersedes}" is on another initiative`)
      else if (earlier !== undefined && (earlier.decidedAt as string) > (l.row.decidedAt as string)) {
        report(l, '/supersedes', `decision "${l.row.supersedes}" was made after this one (${String(earlier.decidedAt)})`)
      }
    }
  }

  const inBundle = byCollection(rows)
  const loops = (collection: 'people' | 'domains', field: string, what: string): void => {
    const map = final[collection]
    const onLoop = idsOnLoops((id) => map.get(id)?.[field], map.keys())
    for (const l of inBundle[collection]) if (onLoop.has(l.row.id)) report(l, `/${field}`, what)
  }
  loops('people', 'managerId', 'would make a reporting loop')
  loops('domains', 'parentId', 'would make the domain tree loop')

  for (const field of ['email', 'externalId'] as const) {
    const owners = new Map<string, number>()
    const keyOf = (value: unknown): string | undefined => typeof value !== 'string' ? undefined : field === 'email' ? value.toLowerCase() : value
    for (const person of final.people.values()) {
      const k = keyOf(person[field])
      if (k !== undefined) owners.set(k, (owners.get(k) ?? 0) + 1)
    }
    for (const l of inBundle.people) {
      const k = keyOf(l.row[field])
      if (k !== undefined && owners.get(k)! > 1) report(l, `/${field}`, `"${String(l.row[field])}" belongs to more than one person`)
    }
  }

  const cells = new Map<string, Period[]>()
  for (const a of final.assignments.values()) pushTo(cells, cellOf(a), a as BundleRow & Period)
  const finders = new Map<string, ReturnType<typeof overlapFinder>>()
  for (const l of inBundle.assignments) {
    const cell = cellOf(l.row)
    // A period alone in its cell overlaps nothing: no finder (two typed arrays) for each of 200k new cells.
    if (cells.get(cell)!.length === 1) continue
    let finder = finders.get(cell)
    if (finder === undefined) finders.set(cell, finder = overlapFinder(cells.get(cell)!))
    const clash = finder(l.row as BundleRow & Period)
    if (clash !== undefined) report(l, '/validFrom', `overlaps assignment "${clash.id}" of the same person, role and target`)
  }
  return invalid
}

/** The bundle's rows of each collection, in bundle order. */
function byCollection (rows: Located[]): Record<BundleCollection, Located[]> {
  const out = Object.fromEntries(BUNDLE_COLLECTIONS.map((c) => [c, [] as Located[]])) as Record<BundleCollection, Located[]>
  for (const l of rows) out[l.collection].push(l)
  return out
}

/** An assignment's cell: person, role and target; periods in one cell must not overlap. */
const cellOf = (a: BundleRow): string => key(a.personId, a.role, a.initiativeId, a.domainId)

function pushTo<T> (map: Map<string, T[]>, k: string, value: T): void {
  const list = map.get(k)
  if (list === undefined) map.set(k, [value])
  else list.push(value)
}
