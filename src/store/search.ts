// Full-text search for ?q= on the people, domains and initiatives lists: FTS5 indexes kept in step by triggers
// (db/migrations/0009_search.sql, 0010), ranked by bm25 — or newest first past RANKED_MATCHES matches — and paged.
import { invalidField, ProblemError } from '../errors.js'
import { toInstant } from '../clock.js'
import { statement, type Db } from './connection.js'
import { versionField, type AsOf, type Condition } from './history.js'
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, type Page, type PageRequest } from './records.js'

export type Searchable = 'people' | 'domains' | 'initiatives'

/** The most words one q may hold: each is a prefix query over the index. */
export const MAX_SEARCH_WORDS = 8

/**
 * The indexed columns of each collection in the order of its FTS5 tables, with their bm25 weights: a word in the
 * name (title, for an initiative) counts most, then the id, the email, and a person's job title.
 */
const COLUMNS: Record<Searchable, Array<[string, number]>> = {
  people: [['id', 8], ['name', 10], ['title', 2], ['email', 5]],
  domains: [['id', 8], ['name', 10]],
  initiatives: [['id', 8], ['title', 10]]
}

const bm25 = (table: string, entity: Searchable): string => `bm25(${table}, ${COLUMNS[entity].map(([, w]) => w).join(', ')})`

/*
 * A word is what the index's unicode61 tokenizer keeps: a run of letters, digits and private-use characters.
 * Everything else separates words, so FTS5's syntax (quotes, *, -, :, ^, parentheses) never reaches MATCH, and
 * each word goes in double quotes, so AND, OR, NOT and NEAR are words like any other.
 */
const WORD = /[\p{L}\p{N}\p{Co}]+/gu

/**
 * The FTS5 query for a user's text: every word, as a prefix ("mar" finds "Mark"), must appear in some indexed
 * column. A 400 naming q when the text has no word, or more than MAX_SEARCH_WORDS.
 */
export function matchExpression (q: string): string {
  const words = q.match(WORD) ?? []
  if (words.length === 0) throw invalidField('/q', 'must contain a letter or a digit', 'query')
  if (words.length > MAX_SEARCH_WORDS) throw invalidField('/q', `must have at most ${MAX_SEARCH_WORDS} words`, 'query')
  return words.map((w) => `"${w}"*`).join(' ')
}

/**
 * Past this many matches of q (before the filters), ranking them all would cost more than the answer may take (bm25
 * reads each match: ~1.5 µs a match here, two words more): the answer is then in recency order (docs/search.md).
 */
export const RANKED_MATCHES = 250

/**
 * The orders of a search's answer. `rank`: best first by bm25, equal ranks by id. `recent`: newest first by the
 * index's rowid — for the current records the order they were created in, at a past time the order their matching
 * versions were written in; FTS5 walks its index in rowid order and stops after a page, whatever the matches number.
 */
type After = { order: 'rank', rank: number, id: string } | { order: 'recent', position: number }

/** A cursor's value: `<rank>|<id>` in rank order, `~<position>` in recency order. */
function pageAfter (cursor: string | undefined): After | undefined {
  if (cursor === undefined) return undefined
  const value = decodeCursor(cursor, 'rank')
  if (value.startsWith('~')) {
    const position = Number(value.slice(1))
    if (!/^~\d{1,15}$/.test(value)) throw badCursor()
    return { order: 'recent', position }
  }
  const bar = value.indexOf('|')
  const rank = Number(value.slice(0, bar))
  if (bar < 1 || !Number.isFinite(rank)) throw badCursor()
  return { order: 'rank', rank, id: value.slice(bar + 1) }
}

const badCursor = (): ProblemError => invalidField('/cursor', 'not a cursor this service returned', 'query')

/** The order of a first page: by rank unless q matches more than RANKED_MATCHES records (or versions) of the index. */
function orderFor (db: Db, fts: string, match: string): 'rank' | 'recent' {
  const { n } = statement(db, `SELECT count(*) AS n FROM (SELECT 1 FROM ${fts} WHERE ${fts} MATCH ? LIMIT ${RANKED_MATCHES + 1})`).get(match) as { n: number }
  return n > RANKED_MATCHES ? 'recent' : 'rank'
}

interface Found<T> { item: T, cursor: string }

function toPage<T> (rows: Array<Found<T>>, limit: number): Page<T> {
  const items = rows.slice(0, limit).map((r) => r.item)
  if (rows.length <= limit) return { items, nextCursor: null }
  return { items, nextCursor: encodeCursor('rank', rows[limit - 1]!.cursor) }
}

const cursorOf = (row: { rank: number, id: string } | { position: number }): string =>
  'position' in row ? `~${row.position}` : `${row.rank}|${row.id}`

/** Equality conditions on columns of the current table (as `t`); undefined values are skipped. Names come from code. */
export const equalsNow = (columns: Record<string, string | undefined>): Condition[] => Object.entries(columns)
  .filter(([, value]) => value !== undefined).map(([column, value]) => ({ sql: `t.${column} = @${column}`, params: { [column]: value } }))

/** Equality conditions on fields of the version (history.ts versionField); undefined values are skipped. */
export const equalsAt = (fields: Record<string, string | undefined>): Condition[] => Object.entries(fields)
  .filter(([, value]) => value !== undefined).map(([field, value]) => ({ sql: `${versionField(field)} = @f_${field}`, params: { [`f_${field}`]: value } }))

/**
 * The SELECT of one page's candidates over `from` (the FTS table `fts` joined to what the conditions read), in the
 * page's order, from where the cursor left off. In rank order every match is ranked, then sorted; in recency order
 * FTS5 consumes ORDER BY rowid and the walk stops once the page is full.
 */
function ordered (fts: string, entity: Searchable, columns: string, from: string, conditions: string[], order: 'rank' | 'recent', after: After | undefined): string {
  if (order === 'recent') {
    const where = after === undefined ? conditions : [...conditions, `${fts}.rowid < @position`]
    return `SELECT ${columns}, ${fts}.rowid AS position FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${fts}.rowid DESC`
  }
  const ranked = `SELECT ${columns}, ${bm25(fts, entity)} AS rank FROM ${from} WHERE ${conditions.join(' AND ')}`
  return `SELECT * FROM (${ranked}) ${after === undefined ? '' : 'WHERE (rank > @rank OR (rank = @rank AND id > @after))'} ORDER BY rank, id`
}

function afterParams (after: After | undefined): Record<string, unknown> {
  if (after === undefined) return {}
  return after.order === 'recent' ? { position: after.position } : { rank: after.rank, after: after.id }
}

/**
 * The current records matching q and every condition (SQL over the table as `t`), in the order of RANKED_MATCHES;
 * `find` reads a record by id. The match is by words and prefixes of id, name, title and email, whatever their case
 * and accents. A cursor keeps the order of the first page.
 */
export function searchPage<R> (db: Db, entity: Searchable, q: string, page: PageRequest, where: Condition[], find: (id: string) => R): Page<R> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE
  const after = pageAfter(page.cursor)
  const match = matchExpression(q)
  const fts = `${entity}_search`
  return run(() => {
    const order = after?.order ?? orderFor(db, fts, match)
    const sql = `${ordered(fts, entity, 't.id AS id', `${fts} CROSS JOIN ${entity} t ON t.rowid = ${fts}.rowid`,
      [`${fts} MATCH @match`, ...where.map((c) => c.sql)], order, after)} LIMIT @limit`
    const params = Object.assign({}, ...where.map((c) => c.params), afterParams(after), { match, limit: limit + 1 })
    const rows = statement(db, sql).all(params) as Array<{ id: string, rank: number } | { id: string, position: number }>
    return toPage(rows.map((r) => ({ item: find(r.id), cursor: cursorOf(r) })), limit)
  })
}

export interface SearchAtFilter<R> {
  /** Conditions in SQL over the version (src/store/history.ts versionField). */
  where: Condition[]
  /** A check on the record once asOf has made it the record at `at`, for what SQL cannot see. */
  keep?: (record: R) => boolean
  asOf?: AsOf<R>
}

/**
 * The records as they stood at `at` whose version then matches q (a record renamed since is found by its old name,
 * not its new one), in the order of RANKED_MATCHES counted over every version ever indexed.
 */
export function searchPageAt<R> (db: Db, entity: Searchable, time: string, q: string, page: PageRequest, filter: SearchAtFilter<R>): Page<R> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE
  const after = pageAfter(page.cursor)
  const at = toInstant(time)
  const match = matchExpression(q)
  const fts = `${entity}_versions_search`
  const conditions = [
    `${fts} MATCH @match`, `h.entity = '${entity}'`, 'h.sys_from <= @at', '(h.sys_to IS NULL OR h.sys_to > @at)',
    ...filter.where.map((c) => c.sql)
  ]
  // CROSS JOIN: the index's matches drive the loop (each version found by its revision), never a walk of the history.
  const from = `${fts} CROSS JOIN history h ON h.revision = ${fts}.rowid CROSS JOIN changes c ON c.revision = h.revision`
  const params = Object.assign({}, ...filter.where.map((c) => c.params), afterParams(after), { match, at })
  const rows: Array<Found<R>> = []
  run(() => {
    const order = after?.order ?? orderFor(db, fts, match)
    const sql = ordered(fts, entity, 'c.after AS after, h.sys_to IS NULL AS current, c.entity_id AS id', from, conditions, order, after)
    // Versions until a page and one more pass the check; breaking out closes the cursor.
    for (const row of statement(db, sql).iterate(params) as IterableIterator<{ after: string, current: 0 | 1, id: string } & ({ rank: number } | { position: number })>) {
      const version = JSON.parse(row.after) as R
      const item = filter.asOf === undefined ? version : filter.asOf(db, version, at, row.current === 1)
      if (filter.keep !== undefined && !filter.keep(item)) continue
      rows.push({ item, cursor: cursorOf(row) })
      if (rows.length > limit) break
    }
  })
  return toPage(rows, limit)
}

/**
 * Runs a search. matchExpression leaves FTS5 nothing to misread; should it still refuse a query, the caller gets a
 * 400 naming q, never a 500.
 */
function run<T> (fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    if (err instanceof ProblemError || !/fts5/i.test((err as Error).message)) throw err
    throw invalidField('/q', 'cannot be searched for', 'query')
  }
}
