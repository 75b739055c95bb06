// Search benchmark: ?q= on 10k people and 100k initiatives (FTS5, src/store/search.ts), p99 over many queries —
// prefixes, whole words, words without their accents, ids, two words, with a filter, and at a past time — against
// baselines measured in the same run: the same list without q, and a GET by id. Each query is the list service the
// route calls (listPeople, listInitiatives…: validation aside, the whole answer but its serialization), on an
// in-memory database: no app to start, whose start times out on a machine this loaded. Target: under 5 ms p99.
import { cpus, loadavg } from 'node:os'
import { listDomains } from '../src/services/domains.js'
import { getInitiative, listInitiatives } from '../src/services/initiatives.js'
import { listPeople } from '../src/services/people.js'
import { closeDatabase, openDatabase, type Db } from '../src/store/connection.js'

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000)
const INITIATIVES = Number(process.env.BENCH_INITIATIVES ?? 100_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2000)
const T0 = '2026-01-01T00:00:00.000Z'

/** Park–Miller: the same organization on every run. */
function random (seed: number): () => number {
  let state = seed
  return () => (state = (state * 48271) % 2147483647) / 2147483647
}

const FIRST = ['José', 'María', 'Mark', 'Nina', 'Zoë', 'Ann', 'Björn', 'Chloé', 'Dana', 'Émile', 'Farah', 'Grégoire', 'Hana', 'Ingrid',
  'Jürgen', 'Kim', 'Lee', 'Marta', 'Noël', 'Olga', 'Pál', 'Quentin', 'Renée', 'Søren', 'Tomás', 'Uma', 'Valérie', 'Wei', 'Xavier',
  'Yusuf', 'Zoltán', 'Amélie', 'Bruno', 'Céline', 'Diego', 'Elif', 'François', 'Gül', 'Hélène', 'Iñaki']
const LAST = ['Álvarez', 'Ruiz', 'Okafor', 'Müller', 'Martin-Lefèvre', 'Hale', 'Ode', 'Nakamura', 'Søndergaard', 'Dubois', 'García',
  'Kowalski', 'Nguyễn', 'Öztürk', 'Petrović', 'Rossi', 'Schäfer', 'Tanaka', 'Van der Berg', 'Wiśniewski', 'Łukasik', 'Ibáñez',
  'Jensen', 'Karlsson', 'Lindqvist', 'Moreau', 'Novák', 'O\'Brien', 'Pereira', 'Quispe', 'Richter', 'Silva', 'Thorsen', 'Ulloa',
  'Vasquez', 'Weiß', 'Yilmaz', 'Zieliński', 'Adeyemi', 'Bergström']
const JOBS = ['Chief Executive Officer', 'Chief Financial Officer', 'Head of Sales', 'Marketing lead', 'Engineer', 'Product manager',
  'HR partner', 'Operations director', 'Legal counsel', 'Data analyst']
const VERBS = ['Roll out', 'Replace', 'Automate', 'Consolidate', 'Launch', 'Migrate', 'Renegotiate', 'Standardise', 'Retire', 'Pilot',
  'Expand', 'Outsource', 'Insource', 'Redesign', 'Audit', 'Harmonise', 'Digitise', 'Review', 'Centralise', 'Open']
const ADJECTIVES = ['new', 'regional', 'global', 'shared', 'legacy', 'mobile', 'quarterly', 'customer', 'supplier', 'internal', 'nordic',
  'iberian', 'café', 'après-sales', 'premium', 'self-service', 'cloud', 'warehouse', 'payroll', 'partner']
const NOUNS = ['CRM', 'price list', 'warehouse', 'payroll', 'onboarding', 'data platform', 'call centre', 'fleet', 'website', 'ERP',
  'loyalty programme', 'returns process', 'invoicing', 'hiring funnel', 'trade show', 'office', 'logistics', 'tariffs', 'catalogue',
  'service desk', 'procurement', 'billing', 'forecasting', 'recruitment', 'réseau', 'pricing', 'support', 'analytics', 'security', 'budget']
const PLACES = ['for Europe', 'for the Nordics', 'in Iberia', 'in Zürich', 'in São Paulo', 'for key accounts', 'in Kraków', 'for 2027',
  'for retail', 'for wholesale', 'in Montréal', 'in Málaga', 'for partners', 'in Łódź', 'for the board', '']

/** Writes the organization straight into the app's database: the triggers index every row as it goes in. */
function seed (sqlite: Db['$client']): { seconds: number } {
  const rnd = random(7)
  const pick = <T> (list: T[]): T => list[Math.floor(rnd() * list.length)]!
  const started = performance.now()
  sqlite.transaction(() => {
    const meta = `1, '${T0}', '${T0}'`
    const person = sqlite.prepare(`INSERT INTO people (id, version, created_at, updated_at, name, email, title, status, tags) VALUES (?, ${meta}, ?, ?, ?, 'active', '[]')`)
    const domain = sqlite.prepare(`INSERT INTO domains (id, version, created_at, updated_at, name, parent_id) VALUES (?, ${meta}, ?, ?)`)
    const initiative = sqlite.prepare(`INSERT INTO initiatives (id, version, created_at, updated_at, title, domain_id, status, decision_rule) VALUES (?, ${meta}, ?, ?, ?, 'single')`)
    for (let i = 0; i < PEOPLE; i++) {
      const first = pick(FIRST)
      const last = pick(LAST)
      person.run(`p${i}`, `${first} ${last}`, `${first}.${last}.${i}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, ''), pick(JOBS))
    }
    for (let d = 0; d < 100; d++) domain.run(`d${d}`, `${pick(ADJECTIVES)} ${pick(NOUNS)} ${d}`, d < 10 ? null : `d${d % 10}`)
    for (let i = 0; i < INITIATIVES; i++) {
      initiative.run(`i${i}`, `${pick(VERBS)} the ${pick(ADJECTIVES)} ${pick(NOUNS)} ${pick(PLACES)}`.trim(), `d${i % 100}`, i % 3 === 0 ? 'active' : 'proposed')
    }
    // The change log and history the services write beside each record, so that a search at a past time has versions.
    for (const [entity, fields] of [
      ['people', `'name', name, 'email', email, 'title', title, 'status', status, 'statusSince', status_since, 'tags', json(tags),
        'stakePercent', stake_percent, 'managerId', manager_id, 'externalId', external_id`],
      ['domains', `'name', name, 'description', description, 'parentId', parent_id`],
      ['initiatives', `'title', title, 'destination', destination, 'description', description, 'domainId', domain_id, 'status', status,
        'decisionRule', decision_rule, 'decisionDueAt', decision_due_at`]]) {
      sqlite.prepare(`INSERT INTO changes (at, actor_label, action, entity, entity_id, after) SELECT created_at, 'bench', 'create', '${entity}', id,
        json_object('id', id, ${fields!}, 'version', version, 'createdAt', created_at, 'updatedAt', updated_at) FROM ${entity} ORDER BY rowid`).run()
    }
    sqlite.prepare('INSERT INTO history (revision, entity, entity_id, sys_from) SELECT revision, entity, entity_id, at FROM changes WHERE action = \'create\' AND actor_label = \'bench\'').run()
  })()
  return { seconds: (performance.now() - started) / 1000 }
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!

async function main (): Promise<void> {
  {
    const db = openDatabase(':memory:')
    const seeded = seed(db.$client)
    const services: Record<string, (q: Record<string, string>) => unknown> = {
      people: (q) => listPeople(db, q), domains: (q) => listDomains(db, q), initiatives: (q) => listInitiatives(db, q)
    }
    // A URL as the route takes it, answered by the service the route calls.
    const answer = (url: string): unknown => {
      const parsed = new URL(url, 'http://bench')
      const [, , list, id] = parsed.pathname.split('/')
      if (id !== undefined) return getInitiative(db, id)
      return services[list!]!(Object.fromEntries(parsed.searchParams))
    }
    const rnd = random(11)
    const pick = <T> (list: T[]): T => list[Math.floor(rnd() * list.length)]!
    const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
    // A word of the phrase, not a short one that nearly every title has ("the", "for"); the phrase if it has none.
    const word = (phrase: string): string => {
      const words = phrase.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 3)
      return words.length === 0 ? phrase : pick(words)
    }

    // Each kind of query, drawn afresh for every round. The broad ones match thousands of records: a letter, a
    // two-letter prefix, a word most titles share; past RANKED_MATCHES matches they are answered newest first.
    const LETTERS = ['a', 'm', 'r', 's', 'c', 'p', 'e', 'l']
    const BROAD = ['roll', 'migr', 'ware', 'pay', 'cloud', 'europe', 're', 'pr']
    const kinds: Record<string, () => string> = {
      'people, one letter': () => `/v1/people?q=${pick(LETTERS)}`,
      'people, prefix (2-4 letters)': () => `/v1/people?q=${encodeURIComponent(fold(pick(LAST)).slice(0, 2 + Math.floor(rnd() * 3)))}`,
      'people, whole name without accents': () => `/v1/people?q=${encodeURIComponent(fold(`${pick(FIRST)} ${pick(LAST)}`))}`,
      'people, accented word': () => `/v1/people?q=${encodeURIComponent(pick(LAST))}`,
      'people, id': () => `/v1/people?q=p${Math.floor(rnd() * PEOPLE)}`,
      'people, email': () => `/v1/people?q=${encodeURIComponent(`${fold(pick(FIRST))}.${fold(pick(LAST)).replace(/[^a-z0-9]/g, '')}`)}`,
      'initiatives, one letter': () => `/v1/initiatives?q=${pick(LETTERS)}`,
      'initiatives, broad prefix': () => `/v1/initiatives?q=${pick(BROAD)}`,
      'initiatives, prefix (2-4 letters)': () => `/v1/initiatives?q=${encodeURIComponent(fold(word(pick(NOUNS) + ' ' + pick(PLACES) + ' x')).slice(0, 2 + Math.floor(rnd() * 3)))}`,
      'initiatives, word': () => `/v1/initiatives?q=${encodeURIComponent(fold(word(pick(NOUNS) + ' ' + pick(VERBS))))}`,
      'initiatives, two words': () => `/v1/initiatives?q=${encodeURIComponent(`${fold(word(pick(VERBS)))} ${fold(word(pick(NOUNS)))}`)}`,
      'initiatives, three words': () => `/v1/initiatives?q=${encodeURIComponent(`${fold(word(pick(VERBS)))} ${fold(word(pick(ADJECTIVES)))} ${fold(word(pick(NOUNS)))}`)}`,
      'initiatives, id': () => `/v1/initiatives?q=i${Math.floor(rnd() * INITIATIVES)}`,
      'initiatives, word + status filter': () => `/v1/initiatives?status=active&q=${encodeURIComponent(fold(word(pick(NOUNS) + ' ' + pick(PLACES) + ' x')))}`,
      'initiatives, broad + domain filter': () => `/v1/initiatives?domainId=d${Math.floor(rnd() * 100)}&q=${pick(BROAD)}`,
      'domains, prefix': () => `/v1/domains?q=${encodeURIComponent(fold(word(pick(NOUNS) + ' x')).slice(0, 3))}`
    }
    const baselines: Record<string, () => string> = {
      'baseline: people list, no q': () => '/v1/people',
      'baseline: initiatives list, no q': () => '/v1/initiatives',
      'baseline: GET initiative by id': () => `/v1/initiatives/i${Math.floor(rnd() * INITIATIVES)}`
    }
    const at = `&at=${encodeURIComponent(new Date().toISOString())}`
    const past: Record<string, () => string> = {
      'at: initiatives list, no q (baseline)': () => `/v1/initiatives?${at.slice(1)}`,
      'at: people, one letter': () => `${kinds['people, one letter']!()}${at}`,
      'at: people, whole name': () => `${kinds['people, whole name without accents']!()}${at}`,
      'at: people, email': () => `${kinds['people, email']!()}${at}`,
      'at: initiatives, one letter': () => `${kinds['initiatives, one letter']!()}${at}`,
      'at: initiatives, broad prefix': () => `${kinds['initiatives, broad prefix']!()}${at}`,
      'at: initiatives, word': () => `${kinds['initiatives, word']!()}${at}`,
      'at: initiatives, two words': () => `${kinds['initiatives, two words']!()}${at}`,
      'at: initiatives, id': () => `${kinds['initiatives, id']!()}${at}`,
      'at: initiatives, word + status filter': () => `${kinds['initiatives, word + status filter']!()}${at}`
    }
    const all = { ...baselines, ...kinds, ...past }
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(all).map((k) => [k, []]))
    const matches: Record<string, number> = Object.fromEntries(Object.keys(all).map((k) => [k, 0]))
    // Warm-up, then rounds interleaving every kind, so that load on the machine falls on all of them alike.
    for (const make of Object.values(all)) for (let i = 0; i < 20; i++) answer(make())
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, make] of Object.entries(all)) {
        const url = make()
        const started = performance.now()
        const res = answer(url) as { items?: unknown[] }
        times[name]!.push(performance.now() - started)
        if (res.items === undefined || res.items.length > 0) matches[name]!++
      }
    }
    closeDatabase(db)

    const p99Of = (name: string): number => percentile([...times[name]!].sort((a, b) => a - b), 0.99)
    const base = p99Of('baseline: initiatives list, no q')
    // Each query against the plain list it searches: the people list, the initiatives list (domains too), or at a past time the initiatives list then.
    const baseOf = (name: string): number => name.startsWith('at:') ? p99Of('at: initiatives list, no q (baseline)')
      : name.startsWith('people') ? p99Of('baseline: people list, no q') : base
    console.log(`search benchmark — ${PEOPLE} people, ${INITIATIVES} initiatives, ${ROUNDS} rounds of each query, through the list services`)
    console.log(`node ${process.version}, ${new Date().toISOString()}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores`)
    console.log(`seeding with the search triggers: ${seeded.seconds.toFixed(2)} s`)
    console.log('query'.padEnd(42), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'p99 / list p99'.padStart(15), 'found'.padStart(7))
    let worst = 0
    for (const [name, samples] of Object.entries(times)) {
      const sorted = [...samples].sort((a, b) => a - b)
      const p99 = percentile(sorted, 0.99)
      if (!name.includes('baseline')) worst = Math.max(worst, p99)
      console.log(name.padEnd(42), percentile(sorted, 0.5).toFixed(2).padStart(8), p99.toFixed(2).padStart(8),
        (p99 / baseOf(name)).toFixed(2).padStart(15), `${Math.round(100 * matches[name]! / samples.length)}%`.padStart(7))
    }
    console.log(`worst search p99: ${worst.toFixed(2)} ms (${(worst / base).toFixed(2)} × the list's) — target under 5 ms: ${worst < 5 ? 'met' : 'NOT met'}`)
  }
}

await main()
