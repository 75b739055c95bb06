// ?q= on the people, domains and initiatives lists: what it matches (case, accents, prefixes, words, email, id,
// title), the order and the pages, with the lists' filters, at a past time, kept in step with every write (and not
// with an aborted one), and bad q answered as a 400 naming q, never a 500.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import t from 'tap'
import { migrationsFolder } from '../src/config.js'
import { SYSTEM_ACTOR } from '../src/services/keys.js'
import { createDomain, listDomains } from '../src/services/domains.js'
import { createInitiative, listInitiatives } from '../src/services/initiatives.js'
import { createPerson, listPeople, updatePerson } from '../src/services/people.js'
import { transact } from '../src/store/change-log.js'
import { closeDatabase, openDatabase } from '../src/store/connection.js'
import { assertProblem, buildTestApp, type TestApp } from './helper.js'

type Call = TestApp['call']

const ok = async (res: ReturnType<Call>): Promise<any> => {
  const answer = await res
  if (answer.statusCode >= 300) throw new Error(`${answer.statusCode}: ${answer.body}`)
  return answer.statusCode === 204 ? undefined : answer.json()
}

/** The ids of one page of a list searched for q (extra: more of the query string). */
async function ids (call: Call, list: string, q: string, extra = ''): Promise<string[]> {
  const page = await ok(call({ url: `/v1/${list}?q=${encodeURIComponent(q)}${extra}`, as: 'reader' }))
  return page.items.map((i: { id: string }) => i.id)
}

/** An instant strictly between the write before and the write after it. */
async function instant (): Promise<string> {
  await sleep(3)
  const at = new Date().toISOString()
  await sleep(3)
  return at
}

const PEOPLE = [
  { id: 'p-jose', name: 'José Álvarez', email: 'jalvarez@acme.example', title: 'Head of Sales' },
  { id: 'p-mark', name: 'Mark Ruiz', email: 'mruiz@acme.example', title: 'Chief Financial Officer' },
  { id: 'p-nina', name: 'Nina Okafor', email: 'nina.okafor@acme.example', title: 'Marketing lead' },
  { id: 'p-zoe', name: 'Zoë Martin-Lefèvre', email: 'zoe@acme.example', title: null },
  { id: 'p-ann', name: 'Ann Lee', email: 'ann@acme.example', status: 'on_leave', title: 'Engineer' }
]

async function seed (call: Call): Promise<void> {
  for (const p of PEOPLE) await ok(call({ method: 'POST', url: '/v1/people', payload: p }))
  await ok(call({ method: 'POST', url: '/v1/domains', payload: { id: 'sales', name: 'Sales and pricing' } }))
  await ok(call({ method: 'POST', url: '/v1/domains', payload: { id: 'sales-eu', name: 'Europe', parentId: 'sales' } }))
  await ok(call({ method: 'POST', url: '/v1/domains', payload: { id: 'hiring', name: 'Hiring' } }))
  await ok(call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'crm', title: 'Roll out a CRM', domainId: 'sales', status: 'active' } }))
  await ok(call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'price-list', title: 'Nouvelle grille tarifaire', domainId: 'sales-eu' } }))
  await ok(call({ method: 'POST', url: '/v1/initiatives', payload: { id: 'hire-sales', title: 'Hire two sales leads', domainId: 'hiring', status: 'active' } }))
}

t.test('what q matches: case, accents, prefixes, words inside names, email, id, title', async (t) => {
  const { call } = await buildTestApp(t)
  await seed(call)
  t.strictSame(await ids(call, 'people', 'jose'), ['p-jose'], 'no accent finds the accented name')
  t.strictSame(await ids(call, 'people', 'JOSÉ ÁLVAREZ'), ['p-jose'], 'upper case and accents')
  t.strictSame(await ids(call, 'people', 'alv'), ['p-jose'], 'a prefix of the second word')
  t.strictSame(await ids(call, 'people', 'zoe lefevre'), ['p-zoe'], 'ë and è, a word after a hyphen')
  t.strictSame(await ids(call, 'people', 'ruiz'), ['p-mark'], 'a word inside the name')
  t.strictSame(await ids(call, 'people', 'mar'), ['p-mark', 'p-zoe', 'p-nina'], '"mar" finds Mark, Martin and, by title, Marketing')
  t.strictSame(await ids(call, 'people', 'mruiz@acme.example'), ['p-mark'], 'an email')
  t.strictSame(await ids(call, 'people', 'nina.okafor'), ['p-nina'], 'the part of an email before the @')
  t.strictSame(await ids(call, 'people', 'p-ann'), ['p-ann'], 'an id')
  t.strictSame(await ids(call, 'people', 'financial'), ['p-mark'], 'a job title')
  t.strictSame(await ids(call, 'people', 'ruiz okafor'), [], 'every word must match the same person')
  t.strictSame(await ids(call, 'domains', 'pricing'), ['sales'], 'a domain by a word of its name')
  t.strictSame(await ids(call, 'domains', 'sales-eu'), ['sales-eu'], 'a domain by its id')
  t.strictSame(await ids(call, 'initiatives', 'crm'), ['crm'], 'an initiative by its title and id')
  t.strictSame(await ids(call, 'initiatives', 'grille tarif'), ['price-list'], 'an initiative by words of its title')
  const page = await ok(call({ url: '/v1/people?q=jose', as: 'reader' }))
  t.match(page, { items: [{ id: 'p-jose', name: 'José Álvarez', email: 'jalvarez@acme.example', version: 1 }], nextCursor: null },
    'the items are the records as the list shows them')
})

t.test('ranking: a match in the name before one in the title; equal matches in id order; pages by rank', async (t) => {
  const { call } = await buildTestApp(t)
  await ok(call({ method: 'POST', url: '/v1/people', payload: { id: 'b-title', name: 'Bea Stone', email: 'bea@x.example', title: 'Director of Carter Programs' } }))
  await ok(call({ method: 'POST', url: '/v1/people', payload: { id: 'z-name', name: 'Carter Wells', email: 'cw@x.example' } }))
  t.strictSame(await ids(call, 'people', 'carter'), ['z-name', 'b-title'], 'the name weighs more than the job title, whatever the ids')
  for (const id of ['t5', 't3', 't1', 't4', 't2']) {
    await ok(call({ method: 'POST', url: '/v1/people', payload: { id, name: 'Tess Twin', email: `${id}@twins.example` } }))
  }
  const all = await ids(call, 'people', 'tess twin')
  t.strictSame(all, ['t1', 't2', 't3', 't4', 't5'], 'equal matches in id order')
  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const page: { items: { id: string }[], nextCursor: string | null } =
      await ok(call({ url: `/v1/people?q=tess&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`, as: 'reader' }))
    t.ok(page.items.length <= 2)
    seen.push(...page.items.map((i) => i.id))
    cursor = page.nextCursor
    pages++
  } while (cursor !== null)
  t.equal(pages, 3, 'five matches in pages of two')
  t.strictSame(seen, all, 'the pages together are the whole list, in order, each once')

  const ranked = await ids(call, 'people', 'carter', '&limit=1')
  const next = (await ok(call({ url: '/v1/people?q=carter&limit=1', as: 'reader' }))).nextCursor as string
  t.strictSame([...ranked, ...await ids(call, 'people', 'carter', `&limit=1&cursor=${next}`)], ['z-name', 'b-title'], 'the second page continues after the first by rank')
  assertProblem(t, await call({ url: `/v1/people?cursor=${next}` }), 400, 'WHODECIDES_ERR_VALIDATION')
  const listCursor = (await ok(call({ url: '/v1/people?limit=1' }))).nextCursor as string
  const mixed = assertProblem(t, await call({ url: `/v1/people?q=tess&cursor=${listCursor}` }), 400, 'WHODECIDES_ERR_VALIDATION')
  t.match(mixed.errors, [{ in: 'query', path: '/cursor' }], 'a list cursor is not a search cursor')
  const forged = Buffer.from('rank:abc|t1').toString('base64url')
  assertProblem(t, await call({ url: `/v1/people?q=tess&cursor=${forged}` }), 400, 'WHODECIDES_ERR_VALIDATION')
})

t.test('q with the lists\' filters', async (t) => {
  const { call } = await buildTestApp(t)
  await seed(call)
  await ok(call({ method: 'POST', url: '/v1/people', payload: { id: 'p-ann2', name: 'Ann Marsh', email: 'marsh@acme.example', tags: ['founder'] } }))
  t.strictSame(await ids(call, 'people', 'ann'), ['p-ann', 'p-ann2'])
  t.strictSame(await ids(call, 'people', 'ann', '&status=on_leave'), ['p-ann'], 'status')
  t.strictSame(await ids(call, 'people', 'ann', '&tag=founder'), ['p-ann2'], 'tag')
  t.strictSame(await ids(call, 'initiatives', 'sales'), ['hire-sales'])
  t.strictSame(await ids(call, 'initiatives', 'sales', '&domainId=sales'), [], 'domainId')
  t.strictSame(await ids(call, 'initiatives', 'roll', '&status=active&decisionRule=single'), ['crm'], 'status and rule')
  t.strictSame(await ids(call, 'initiatives', 'roll', '&status=proposed'), [])
  t.strictSame(await ids(call, 'domains', 'europe', '&parentId=sales'), ['sales-eu'], 'parentId')
  t.strictSame(await ids(call, 'domains', 'europe', '&parentId=hiring'), [])
})

t.test('?at=: a record is found by the name it had then, with the filters as they stood then', async (t) => {
  const { call } = await buildTestApp(t)
  await seed(call)
  const before = await instant()
  await ok(call({ method: 'PATCH', url: '/v1/people/p-mark', payload: { name: 'Mark Oduya', status: 'departed' } }))
  await ok(call({ method: 'PATCH', url: '/v1/domains/hiring', payload: { name: 'Talent' } }))
  await ok(call({ method: 'PATCH', url: '/v1/initiatives/crm', payload: { title: 'Replace the spreadsheets', status: 'on_hold' } }))
  await ok(call({ method: 'DELETE', url: '/v1/people/p-zoe' }))
  const after = await instant()
  const at = (time: string): string => `&at=${encodeURIComponent(time)}`

  t.strictSame(await ids(call, 'people', 'ruiz', at(before)), ['p-mark'], 'the old name at a time before the rename')
  t.strictSame(await ids(call, 'people', 'oduya', at(before)), [], 'not the new one')
  t.strictSame(await ids(call, 'people', 'ruiz'), [], 'now: not the old name')
  t.strictSame(await ids(call, 'people', 'oduya'), ['p-mark'], 'now: the new one')
  t.strictSame(await ids(call, 'people', 'oduya', at(after)), ['p-mark'], 'the new name after the rename')
  const then = await ok(call({ url: `/v1/people?q=ruiz${at(before)}`, as: 'reader' }))
  t.match(then.items[0], { name: 'Mark Ruiz', status: 'active', version: 1 }, 'the record as it stood then')
  t.strictSame(await ids(call, 'people', 'mark ruiz', `&status=active${at(before)}`), ['p-mark'], 'the status held then')
  t.strictSame(await ids(call, 'people', 'mark', `&status=departed${at(before)}`), [])
  t.strictSame(await ids(call, 'people', 'zoe', at(before)), ['p-zoe'], 'a person deleted since, at a time they existed')
  t.strictSame(await ids(call, 'people', 'zoe', at(after)), [], 'and not once deleted')
  t.strictSame(await ids(call, 'domains', 'hiring', at(before)), ['hiring'])
  t.strictSame(await ids(call, 'domains', 'talent', at(before)), [])
  t.strictSame(await ids(call, 'domains', 'talent'), ['hiring'])
  t.strictSame(await ids(call, 'initiatives', 'roll crm', `&status=active${at(before)}`), ['crm'], 'title and status then')
  t.strictSame(await ids(call, 'initiatives', 'spreadsheets', at(before)), [])
  t.strictSame(await ids(call, 'initiatives', 'spreadsheets', `&status=on_hold${at(after)}`), ['crm'])
  t.strictSame(await ids(call, 'people', 'ann', '&at=2000-01-01T00:00:00Z'), [], 'before anything was recorded')

  for (const id of ['t3', 't1', 't2']) await ok(call({ method: 'POST', url: '/v1/people', payload: { id, name: 'Tess Twin', email: `${id}@twins.example` } }))
  const now = await instant()
  const first = await ok(call({ url: `/v1/people?q=twin&limit=2${at(now)}`, as: 'reader' }))
  t.strictSame(first.items.map((i: { id: string }) => i.id), ['t1', 't2'])
  t.strictSame(await ids(call, 'people', 'twin', `&limit=2&cursor=${first.nextCursor as string}${at(now)}`), ['t3'], 'pages at a time')
})

t.test('the index follows every write in its transaction: create, rename, delete, import; an aborted write leaves it as it was', async (t) => {
  const { app, call } = await buildTestApp(t)
  await seed(call)
  await ok(call({ method: 'PATCH', url: '/v1/people/p-nina', payload: { name: 'Nina Adeyemi' } }))
  t.strictSame(await ids(call, 'people', 'adeyemi'), ['p-nina'], 'a rename is found at once')
  t.strictSame(await ids(call, 'people', 'okafor'), ['p-nina'], 'the old name left the index; the email still holds it')
  await ok(call({ method: 'PATCH', url: '/v1/people/p-nina', payload: { email: 'nina@acme.example' } }))
  t.strictSame(await ids(call, 'people', 'okafor'), [], 'nor the old email')
  await ok(call({ method: 'PATCH', url: '/v1/people/p-nina', payload: { status: 'retired' } }))
  t.strictSame(await ids(call, 'people', 'adeyemi'), ['p-nina'], 'a change of other fields keeps the entry')
  await ok(call({ method: 'DELETE', url: '/v1/initiatives/price-list' }))
  t.strictSame(await ids(call, 'initiatives', 'grille'), [], 'a deleted record is not found')

  const db = app.runtime.db
  t.throws(() => transact(db, () => {
    createPerson(db, SYSTEM_ACTOR, { id: 'p-ghost', name: 'Gus Ghost', email: 'gus@acme.example' })
    updatePerson(db, SYSTEM_ACTOR, 'p-jose', { name: 'Joseph Alvarado' })
    throw new Error('abort')
  }), /abort/)
  t.strictSame(await ids(call, 'people', 'ghost'), [], 'a rolled-back create is not found')
  t.strictSame(await ids(call, 'people', 'alvarado'), [], 'nor a rolled-back rename')
  t.strictSame(await ids(call, 'people', 'alvarez'), ['p-jose'], 'the name before it is still found')
  transact(db, () => {
    t.throws(() => transact(db, () => {
      createPerson(db, SYSTEM_ACTOR, { id: 'p-ghost', name: 'Gus Ghost', email: 'gus@acme.example' })
      throw new Error('abort')
    }), /abort/)
    createPerson(db, SYSTEM_ACTOR, { id: 'p-kept', name: 'Kim Kept', email: 'kim@acme.example' })
  })
  t.strictSame(await ids(call, 'people', 'ghost'), [], 'a write rolled back to its savepoint (the group commit) is not found')
  t.strictSame(await ids(call, 'people', 'kept'), ['p-kept'], 'the write beside it is')

  const imported = await call({
    method: 'POST', url: '/v1/import', payload: {
      people: [
        { id: 'p-jose', name: 'José Álvarez Prieto', email: 'jalvarez@acme.example', title: 'Head of Sales' },
        { id: 'p-imp', name: 'Ingrid Bergström', email: 'ingrid@acme.example' }
      ],
      domains: [{ id: 'ops', name: 'Operations' }],
      initiatives: [{ id: 'wh', title: 'Automate the warehouse', domainId: 'ops' }]
    }
  })
  t.equal(imported.statusCode, 200, imported.body)
  t.strictSame(await ids(call, 'people', 'bergstrom'), ['p-imp'], 'an imported person')
  t.strictSame(await ids(call, 'people', 'prieto'), ['p-jose'], 'a name changed by an import')
  t.strictSame(await ids(call, 'domains', 'operations'), ['ops'])
  t.strictSame(await ids(call, 'initiatives', 'warehouse'), ['wh'])
  t.strictSame(await ids(call, 'people', 'prieto', `&at=${encodeURIComponent(new Date().toISOString())}`), ['p-jose'], 'and its version, at a time')
})

t.test('bad q: a 400 naming q, never a 500; FTS5 syntax is only text', async (t) => {
  const { call } = await buildTestApp(t)
  await seed(call)
  await ok(call({ method: 'POST', url: '/v1/people', payload: { id: 'p-near', name: 'Near Andor', email: 'near@acme.example' } }))
  for (const list of ['people', 'domains', 'initiatives']) {
    for (const q of ['', 'x'.repeat(201), '-', '"', '*', ':', '"*-:^()+', 'a b c d e f g h i']) {
      for (const at of ['', '&at=2030-01-01T00:00:00Z']) {
        const res = await call({ url: `/v1/${list}?q=${encodeURIComponent(q)}${at}` })
        const problem = assertProblem(t, res, 400, 'WHODECIDES_ERR_VALIDATION')
        t.match(problem.errors, [{ in: 'query', path: '/q' }], `${list} q=${JSON.stringify(q.slice(0, 20))}${at}: names q`)
      }
    }
  }
  t.equal((await call({ url: `/v1/people?q=${'x'.repeat(200)}` })).statusCode, 200, '200 characters are allowed')
  const operators: Array<[string, string[]]> = [
    ['"ruiz', ['p-mark']], ['ruiz"', ['p-mark']], ['ruiz*', ['p-mark']], ['-ruiz', ['p-mark']], ['name:ruiz', []],
    ['ruiz:mark', ['p-mark']], ['NEAR', ['p-near']], ['NEAR(mark ruiz)', []], ['mark AND ruiz', []], ['ruiz OR nina', []],
    ['near NOT andor', []], ['near andor', ['p-near']], ['^ruiz', ['p-mark']], ['mark+ruiz', ['p-mark']], ['(ruiz)', ['p-mark']],
    ['{name}: ruiz', []], ['ruiz\u0000', ['p-mark']], ['🙂 ruiz', ['p-mark']]
  ]
  for (const [q, expected] of operators) {
    const res = await call({ url: `/v1/people?q=${encodeURIComponent(q)}` })
    t.equal(res.statusCode, 200, `${JSON.stringify(q)}: ${res.body.slice(0, 200)}`)
    if (res.statusCode === 200) t.strictSame(res.json().items.map((i: { id: string }) => i.id), expected, `${JSON.stringify(q)} is words, not syntax`)
  }
})

t.test('migration 0009 indexes what a database at 0008 already holds, current and past versions', async (t) => {
  // On the store and services alone: a file database without the server's helper processes, which are not under test.
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-search-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const dbPath = join(dir, 'registry.db')
  const first = openDatabase(dbPath)
  createPerson(first, SYSTEM_ACTOR, { id: 'p-mark', name: 'Mark Ruiz', email: 'mruiz@acme.example' })
  createDomain(first, SYSTEM_ACTOR, { id: 'sales', name: 'Sales and pricing' })
  createInitiative(first, SYSTEM_ACTOR, { id: 'price-list', title: 'Nouvelle grille tarifaire', domainId: 'sales' })
  const before = await instant()
  updatePerson(first, SYSTEM_ACTOR, 'p-mark', { name: 'Mark Oduya' })
  closeDatabase(first)

  // Back to 0008: the search tables and triggers gone, the migration not applied.
  const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string, when: number }> }
  const since = journal.entries.find((e) => e.tag === '0009_search')!.when
  const sqlite = new Database(dbPath)
  for (const kind of ['people', 'domains', 'initiatives']) {
    sqlite.exec(`DROP TRIGGER ${kind}_search_insert; DROP TRIGGER ${kind}_search_update; DROP TRIGGER ${kind}_search_delete;
      DROP TRIGGER ${kind}_search_defer; DROP TRIGGER ${kind}_versions_search_insert; DROP TABLE ${kind}_search; DROP TABLE ${kind}_versions_search`)
  }
  sqlite.exec('DROP TABLE search_pending')
  sqlite.exec(`DELETE FROM __drizzle_migrations WHERE created_at >= ${since}`)
  t.equal((sqlite.prepare('SELECT count(*) AS n FROM sqlite_master WHERE name LIKE \'%search%\'').get() as { n: number }).n, 0, 'the database is as at 0008')
  sqlite.close()

  const db = openDatabase(dbPath)
  t.teardown(() => closeDatabase(db))
  const found = (page: { items: Array<{ id: string }> }): string[] => page.items.map((i) => i.id)
  t.strictSame(found(listPeople(db, { q: 'oduya' })), ['p-mark'], 'a current row')
  t.strictSame(found(listPeople(db, { q: 'ruiz' })), [])
  t.strictSame(found(listPeople(db, { q: 'ruiz', at: before })), ['p-mark'], 'a past version')
  t.strictSame(found(listDomains(db, { q: 'pricing' })), ['sales'])
  t.strictSame(found(listInitiatives(db, { q: 'grille' })), ['price-list'])
  updatePerson(db, SYSTEM_ACTOR, 'p-mark', { name: 'Mark Quinn' })
  t.strictSame(found(listPeople(db, { q: 'quinn' })), ['p-mark'], 'and follows writes from then on')
  t.strictSame(found(listPeople(db, { q: 'oduya' })), [])
  t.strictSame(found(listPeople(db, { q: 'oduya', at: new Date().toISOString() })), [])
})
