// Full-text search for ?q= on the people, domains and initiatives lists: FTS5 indexes kept in step by triggers
// (db/migrations/0009_search.sql), ranked by bm25, paged by (rank, id).
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

/** Where a page of search results starts: after this rank, or at this rank after this id. */
interface RankAfter { rank: number, id: string }

function rankAfter (cursor: string | undefined): RankAfter | undefined {
  if (cursor === undefined) return undefined
  const value = decodeCursor(cursor, 'rank')
  const bar = value.indexOf('|')
  const rank = Number(value.slice(0, bar))
  if (bar < 1 || !Number.isFinite(rank)) throw invalidField('/cursor', 'not a cursor this service returned', 'query')
  return { rank, id: value.slice(bar + 1) }
}

function toRankPage<T> (rows: Array<{ item: T, id: string, rank: number }>, limit: number): Page<T> {
  const items = rows.slice(0, limit).map((r) => r.item)
  if (rows.length <= limit) return { items, nextCursor: null }
  const last = rows[limit - 1]!
  return { items, nextCursor: encodeCursor('rank', `${last.rank}|${last.id}`) }
}

/** Equality conditions on columns of the current table (as `t`); undefined values are skipped. Names come from code. */
export const equalsNow = (columns: Record<string, string | undefined>): Condition[] => Object.entries(columns)
  .filter(([, value]) => value !== undefined).map(([column, value]) => ({ sql: `t.${column} = @${column}`, params: { [column]: value } }))

/** Equality conditions on fields of the version (history.ts versionField); undefined values are skipped. */
export const equalsAt = (fields: Record<string, string | undefined>): Condition[] => Object.entries(fields)
  .filter(([, value]) => value !== undefined).map(([field, value]) => ({ sql: `${versionField(field)} = @f_${field}`, params: { [`f_${field}`]: value } }))

const AFTER = (rank: string, id: string): string => `(${rank} > @rank OR (${rank} = @rank AND ${id} > @after))`

/**
 * The current records matching q and every condition (SQL over the table as `t`), best first, ties by id; `find`
 * reads a record by id. The match is by words and prefixes of id, name, title and email, whatever their case and
 * accents.
 */
export function searchPage<R> (db: Db, entity: Searchable, q: string, page: PageRequest, where: Condition[], find: (id: string) => R): Page<R> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE
  const after = rankAfter(page.cursor)
  const fts = `${entity}_search`
  const conditions = [`${fts} MATCH @match`, ...where.map((c) => c.sql)]
  const ranked = `SELECT t.id AS id, ${bm25(fts, entity)} AS rank FROM ${fts} CROSS JOIN ${entity} t ON t.rowid = ${fts}.rowid
    WHERE ${conditions.join(' AND ')}`
  const sql = `SELECT id, rank FROM (${ranked}) ${after === undefined ? '' : `WHERE ${AFTER('rank', 'id')}`} ORDER BY rank, id LIMIT @limit`
  const params: Record<string, unknown> = Object.assign({}, ...where.map((c) => c.params), { match: matchExpression(q), limit: limit + 1 })
  if (after !== undefined) Object.assign(params, { rank: after.rank, after: after.id })
  const rows = run(() => statement(db, sql).all(params) as Array<{ id: string, rank: number }>)
  return toRankPage(rows.map((r) => ({ ...r, item: find(r.id) })), limit)
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
 * not its new one), best first, ties by id. Ranked over every version ever indexed.
 */
export function searchPageAt<R> (db: Db, entity: Searchable, time: string, q: string, page: PageRequest, filter: SearchAtFilter<R>): Page<R> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE
  const after = rankAfter(page.cursor)
  const at = toInstant(time)
  const fts = `${entity}_versions_search`
  const conditions = [
    `${fts} MATCH @match`, `h.entity = '${entity}'`, 'h.sys_from <= @at', '(h.sys_to IS NULL OR h.sys_to > @at)',
    ...filter.where.map((c) => c.sql)
  ]
  const ranked = `SELECT c.after AS after, h.sys_to IS NULL AS current, c.entity_id AS id, ${bm25(fts, entity)} AS rank
    FROM ${fts} CROSS JOIN history h ON h.revision = ${fts}.rowid CROSS JOIN changes c ON c.revision = h.revision WHERE ${conditions.join(' AND ')}`
  // CROSS JOIN: the index's matches drive the loop (each version found by its revision), never a walk of the history.
  const sql = `SELECT after, current, id, rank FROM (${ranked}) ${after === undefined ? '' : `WHERE ${AFTER('rank', 'id')}`} ORDER BY rank, id`
  const params: Record<string, unknown> = Object.assign({}, ...filter.where.map((c) => c.params), { match: matchExpression(q), at })
  if (after !== undefined) Object.assign(params, { rank: after.rank, after: after.id })
  const rows: Array<{ item: R, id: string, rank: number }> = []
  run(() => {
    // Versions until a page and one more pass the check; breaking out closes the cursor.
    for (const row of statement(db, sql).iterate(params) as IterableIterator<{ after: string, current: 0 | 1, id: string, rank: number }>) {
      const version = JSON.parse(row.after) as R
      const item = filter.asOf === undefined ? version : filter.asOf(db, version, at, row.current === 1)
      if (filter.keep !== undefined && !filter.keep(item)) continue
      rows.push({ item, id: row.id, rank: row.rank })
      if (rows.length > limit) break
    }
  })
  return toRankPage(rows, limit)
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
