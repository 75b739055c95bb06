// A seeded, synthetic organization written straight into a migrated database, for the benchmarks: people,
// a domain tree four levels deep, initiatives with RACI cells, delegations, influences and decisions — including
// every condition the audit rules look for.
import { openDatabase } from '../src/store/connection.js'

export interface OrgSize { people: number, initiatives: number, assignmentsPerInitiative: number }

export interface OrgFacts { people: number, domains: number, initiatives: number, assignments: number, delegations: number, influences: number, decisions: number }

const T0 = '2026-01-01T00:00:00.000Z'
const LATER = '2027-01-01T00:00:00.000Z'

/** Park–Miller: the same organization on every run. */
function random (seed: number): () => number {
  let state = seed
  return () => (state = (state * 48271) % 2147483647) / 2147483647
}

/*
 * Each record's JSON as the API shows it (the services' personView, domainView…): what a change-log entry keeps
 * as `after`, and what a read `at` a past time answers with. bench/time-travel.ts checks that a past read of the
 * seeded organization equals the current one.
 */
const VIEWS: Record<string, string> = {
  people: `'name', name, 'email', email, 'title', title, 'status', status, 'statusSince', status_since, 'tags', json(tags),
    'stakePercent', stake_percent, 'managerId', manager_id, 'externalId', external_id`,
  domains: `'name', name, 'description', description, 'parentId', parent_id`,
  initiatives: `'title', title, 'destination', destination, 'description', description, 'domainId', domain_id, 'status', status,
    'decisionRule', decision_rule, 'decisionDueAt', decision_due_at`,
  assignments: `'personId', person_id, 'role', role, 'initiativeId', initiative_id, 'domainId', domain_id, 'validFrom', valid_from,
    'validTo', valid_to`,
  delegations: `'fromPersonId', from_person_id, 'toPersonId', to_person_id, 'initiativeId', initiative_id, 'domainId', domain_id,
    'allScopes', CASE all_scopes WHEN 1 THEN json('true') ELSE json('false') END, 'validFrom', valid_from, 'validTo', valid_to, 'reason', reason`,
  influences: `'personId', person_id, 'initiativeId', initiative_id, 'domainId', domain_id, 'overPersonId', over_person_id,
    'strength', strength, 'note', note, 'observedAt', observed_at`,
  decisions: `'initiativeId', initiative_id, 'decidedBy', decided_by, 'decidedAt', decided_at, 'outcome', outcome, 'rationale', rationale`
}

/**
 * What the services write beside every record they create: a 'create' entry in the change log and an open history
 * interval from the record's creation time — so reads `at` a past time work on the seeded organization. Done in
 * SQL, table by table, after the records: about 1.1M rows each, without a round trip per row.
 */
function writeCreations (sqlite: ReturnType<typeof openDatabase>['$client']): void {
  const first = (sqlite.prepare('SELECT coalesce(max(revision), 0) + 1 AS next FROM changes').get() as { next: number }).next
  for (const [entity, fields] of Object.entries(VIEWS)) {
    sqlite.prepare(`INSERT INTO changes (at, actor_key_id, actor_label, action, entity, entity_id, before, after)
      SELECT created_at, NULL, 'synthetic organization', 'create', '${entity}', id, NULL,
        json_object('id', id, ${fields}, 'version', version, 'createdAt', created_at, 'updatedAt', updated_at)
      FROM ${entity} ORDER BY rowid`).run()
  }
  sqlite.prepare(`INSERT INTO history (revision, entity, entity_id, sys_from, sys_to)
    SELECT revision, entity, entity_id, at, NULL FROM changes WHERE revision >= ?`).run(first)
}

export function writeSyntheticOrg (file: string, size: OrgSize, seed = 42): OrgFacts {
  const db = openDatabase(file)
  const sqlite = db.$client
  // A throwaway file written in one transaction: nothing to protect from a crash, so skip the WAL's second copy of
  // every page and the fsyncs — with the change log and history the file is four times larger (about 820 MiB at
  // 1M assignments), and writing it twice made the seed take half as long again. The server opens it in WAL mode.
  sqlite.pragma('journal_mode = MEMORY')
  sqlite.pragma('synchronous = OFF')
  const rnd = random(seed)
  const pick = (n: number): number => Math.floor(rnd() * n)
  const facts: OrgFacts = { people: 0, domains: 0, initiatives: 0, assignments: 0, delegations: 0, influences: 0, decisions: 0 }
  const meta = `1, '${T0}', '${T0}'`
  const insertPerson = sqlite.prepare(`INSERT INTO people (id, version, created_at, updated_at, name, email, title, status, status_since, tags, stake_percent, manager_id, external_id)
    VALUES (?, ${meta}, ?, ?, NULL, ?, ?, ?, NULL, ?, NULL)`)
  const insertStatus = sqlite.prepare('INSERT INTO person_statuses (person_id, status, valid_from) VALUES (?, ?, ?)')
  const insertDomain = sqlite.prepare(`INSERT INTO domains (id, version, created_at, updated_at, name, description, parent_id) VALUES (?, ${meta}, ?, NULL, ?)`)
  const insertInitiative = sqlite.prepare(`INSERT INTO initiatives (id, version, created_at, updated_at, title, destination, description, domain_id, status, decision_rule, decision_due_at)
    VALUES (?, ${meta}, ?, NULL, NULL, ?, ?, ?, ?)`)
  const insertAssignment = sqlite.prepare(`INSERT INTO assignments (id, version, created_at, updated_at, person_id, role, initiative_id, domain_id, valid_from, valid_to)
    VALUES (?, ${meta}, ?, ?, ?, ?, ?, NULL)`)
  const insertDelegation = sqlite.prepare(`INSERT INTO delegations (id, version, created_at, updated_at, from_person_id, to_person_id, initiative_id, domain_id, all_scopes, valid_from, valid_to, reason)
    VALUES (?, ${meta}, ?, ?, ?, ?, ?, ?, ?, 'leave')`)
  const insertInfluence = sqlite.prepare(`INSERT INTO influences (id, version, created_at, updated_at, person_id, initiative_id, domain_id, over_person_id, strength, note, observed_at)
    VALUES (?, ${meta}, ?, ?, ?, ?, ?, NULL, ?)`)
  const insertDecision = sqlite.prepare(`INSERT INTO decisions (id, version, created_at, updated_at, initiative_id, decided_by, decided_at, outcome, rationale)
    VALUES (?, ${meta}, ?, ?, ?, 'approved', NULL)`)

  sqlite.transaction(() => {
    // People: a reporting tree eight wide; a few founders, shareholders, board members; some away or gone.
    for (let i = 0; i < size.people; i++) {
      const status = i % 97 === 5 ? 'on_leave' : i % 89 === 7 ? 'retired' : i % 83 === 11 ? 'departed' : 'active'
      const tags = i % 500 === 0 ? ['founder', 'executive'] : i % 211 === 3 ? ['shareholder'] : i % 50 === 0 ? ['executive'] : i % 301 === 9 ? ['board'] : []
      insertPerson.run(`p${i}`, `Person ${i}`, `person${i}@example.com`, status, status === 'active' ? null : T0, JSON.stringify(tags), i === 0 ? null : `p${Math.floor((i - 1) / 8)}`)
      insertStatus.run(`p${i}`, 'active', '0001-01-01T00:00:00.000Z')
      if (status !== 'active') insertStatus.run(`p${i}`, status, T0)
      facts.people++
    }
    // Domains: 5 roots, each level 5 wide, four levels; the fifth root's subtree has no Accountable anywhere.
    const leaves: string[] = []
    const addDomain = (id: string, parent: string | null, depth: number): void => {
      insertDomain.run(id, `Domain ${id}`, parent)
      facts.domains++
      if (!id.startsWith('d4') && pick(3) === 0) {
        insertAssignment.run(`${id}-a`, `p${pick(size.people)}`, 'A', null, id, T0)
        facts.assignments++
      }
      if (depth === 4) leaves.push(id)
      else for (let c = 0; c < 5; c++) addDomain(`${id}.${c}`, id, depth + 1)
    }
    for (let r = 0; r < 5; r++) addDomain(`d${r}`, null, 1)

    const roles = ['R', 'C', 'I'] as const
    for (let i = 0; i < size.initiatives; i++) {
      const domain = leaves[i % leaves.length]!
      const status = i % 10 === 9 ? 'done' : i % 10 === 8 ? 'decided' : i % 3 === 0 ? 'proposed' : 'active'
      const rule = i % 50 === 1 ? 'unanimous' : i % 40 === 2 ? 'pool' : 'single'
      insertInitiative.run(`i${i}`, `Initiative ${i}`, domain, status, rule, i % 25 === 4 ? '2026-06-01T00:00:00.000Z' : LATER)
      facts.initiatives++
      // A: usually one; none on every 13th (inherits, or none under d4); two on every 29th (ambiguous); four on unanimous ones.
      const accountable = i % 13 === 0 ? 0 : i % 29 === 0 ? 2 : rule === 'unanimous' ? 4 : 1
      const base = pick(size.people)
      // The A's of a unanimous initiative are a manager and three of their reports (pm's reports are p8m+1..p8m+8).
      const manager = base % Math.floor(size.people / 8)
      const accountableId = (a: number): number => rule === 'unanimous' ? (a === 0 ? manager : 8 * manager + a) : (base + a * 8 + 1) % size.people
      for (let a = 0; a < accountable; a++) insertAssignment.run(`i${i}-a${a}`, `p${accountableId(a)}`, 'A', `i${i}`, null, T0)
      const cells = size.assignmentsPerInitiative - accountable
      const consulted = i % 60 === 7 ? cells : 0
      for (let c = 0; c < cells; c++) {
        const role = c < consulted ? 'C' : i % 17 === 3 ? 'I' : roles[c % 3]!
        insertAssignment.run(`i${i}-${c}`, `p${(base + 3 + c * 7) % size.people}`, role, `i${i}`, null, T0)
      }
      facts.assignments += accountable + Math.max(0, cells)
      if (status === 'decided') {
        insertDecision.run(`i${i}-dec`, `i${i}`, `p${i % 7 === 0 ? pick(size.people) : (base + 1) % size.people}`, '2026-03-01T00:00:00.000Z')
        facts.decisions++
      }
    }
    // Delegations: absent deciders hand over; some to inactive people; some in loops.
    for (let i = 0; i < size.people; i++) {
      if (i % 97 === 5) {
        // Half hand over to an active colleague, half to someone retired (p7, p96, … are retired).
        const to = i % 2 === 0 ? (i + 1) % size.people : (7 + 89 * ((i % 50) + 1)) % size.people
        insertDelegation.run(`del-${i}`, `p${i}`, `p${to}`, null, null, 1, T0, LATER)
        facts.delegations++
      }
      if (i % 997 === 13) {
        insertDelegation.run(`loop-${i}-a`, `p${i}`, `p${i + 1}`, null, null, 1, T0, LATER)
        insertDelegation.run(`loop-${i}-b`, `p${i + 1}`, `p${i}`, null, null, 1, T0, LATER)
        facts.delegations += 2
      }
    }
    // Influences: retired people and shareholders who still steer.
    for (let i = 0; i < size.people; i++) {
      if (i % 89 === 7 || i % 211 === 3) {
        insertInfluence.run(`inf-${i}`, `p${i}`, `i${(i * 31) % size.initiatives}`, null, null, i % 2 === 0 ? 'high' : 'medium', T0)
        facts.influences++
      }
    }
    writeCreations(sqlite)
  })()
  sqlite.pragma('journal_mode = WAL')
  sqlite.close()
  return facts
}
