// A CSV file as a table of text cells and back: UTF-8 with or without a BOM, `,` or `;` between cells.
import { CsvError, parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { fileProblem, type SheetProblem } from './sheet-problems.js'
import { escapeFormula, sizeProblem } from './spreadsheet-safety.js'

export type CsvDelimiter = ',' | ';'

export interface ReadOptions {
  /** The largest file read (default 50 MB). */
  maxBytes?: number
}

/**
 * Row i of `rows` is the spreadsheet's row i + 1; a blank line is a row of one empty cell. A file that cannot be
 * read gives no rows and one problem.
 */
export interface CsvTable {
  rows: string[][]
  delimiter: CsvDelimiter
  problems: SheetProblem[]
}

const BOM = '\ufeff'

/** The table of a CSV file, or the one problem that makes it unreadable; never throws for a bad file. */
export function readCsvTable (bytes: Uint8Array, options: ReadOptions = {}): CsvTable {
  const unreadable = (problem: SheetProblem): CsvTable => ({ rows: [], delimiter: ',', problems: [problem] })
  const tooLarge = sizeProblem(bytes, options.maxBytes)
  if (tooLarge !== undefined) return unreadable(tooLarge)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return unreadable(fileProblem('unreadable-file', 'The file is not UTF-8 text: save it as "CSV UTF-8"'))
  }
  if (text.startsWith(BOM)) text = text.slice(1)
  if (text.includes('\u0000')) return unreadable(fileProblem('unreadable-file', 'The file is not a CSV file: it holds binary data'))
  if (text.trim() === '') return unreadable(fileProblem('empty-file', 'The file is empty'))
  const delimiter = detectDelimiter(text)
  try {
    const rows = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false }) as string[][]
    return { rows, delimiter, problems: [] }
  } catch (error) {
    if (error instanceof CsvError) return unreadable(csvProblem(error, text, delimiter))
    throw error
  }
}

const DELIMITERS: readonly CsvDelimiter[] = [',', ';']
const SAMPLE_CHARS = 65_536
const SAMPLE_RECORDS = 20

/**
 * The delimiter that splits the header and the first rows alike: the one under which more of them have the
 * header's number of cells (a header of one cell counts for nothing), then the one giving the header more cells,
 * then `,`. A header such as `Initiative;Müller, Hans` is told apart by the rows under it.
 */
export function detectDelimiter (text: string): CsvDelimiter {
  const cut = text.length > SAMPLE_CHARS ? text.lastIndexOf('\n', SAMPLE_CHARS) + 1 : 0
  const sample = text.slice(0, cut > 0 ? cut : SAMPLE_CHARS)
  let best = { delimiter: DELIMITERS[0] as CsvDelimiter, rows: -1, width: 0 }
  for (const delimiter of DELIMITERS) {
    let records: string[][]
    try {
      records = parse(sample, { delimiter, relax_column_count: true, skip_empty_lines: true, to: SAMPLE_RECORDS }) as string[][]
    } catch {
      continue
    }
    const width = records[0]?.length ?? 0
    const rows = width > 1 ? records.filter((record) => record.length === width).length : 0
    if (rows > best.rows || (rows === best.rows && width > best.width)) best = { delimiter, rows, width }
  }
  return best.delimiter
}

/** csv-parse's error as one problem naming the line, in words for the person who saved the file. */
function csvProblem (error: CsvError, text: string, delimiter: CsvDelimiter): SheetProblem {
  const info = error as CsvError & { lines?: number, records?: number, index?: number }
  switch (error.code) {
    case 'INVALID_OPENING_QUOTE':
      return notCsv(`a quote in the middle of cell ${(info.index ?? 0) + 1} at line ${info.lines}: quote the whole cell and double the quote ("")`, info.lines)
    case 'CSV_INVALID_CLOSING_QUOTE':
      return notCsv(`text follows a closing quote at line ${info.lines}: inside a quoted cell, write a quote as ""`, info.lines)
    case 'CSV_QUOTE_NOT_CLOSED': {
      const line = recordStartLine(text, delimiter, info.records ?? 0)
      return notCsv(`the quote opened at line ${line} is never closed`, line)
    }
    default:
      return notCsv(error.message, info.lines)
  }
}

function notCsv (detail: string, line: number | undefined): SheetProblem {
  return fileProblem('unreadable-file', `The file is not a readable CSV file: ${detail}`, line)
}

/** The line on which the record after the first `records` starts (csv-parse reports where the file ended). */
function recordStartLine (text: string, delimiter: CsvDelimiter, records: number): number {
  if (records === 0) return 1
  const read = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false, to: records, info: true }) as unknown as Array<{ info: { lines: number } }>
  return (read.at(-1)?.info.lines ?? 0) + 1
}

export interface WriteOptions {
  delimiter?: CsvDelimiter
  /** A byte-order mark first (default true): Excel then reads the file as UTF-8 rather than its locale's code page. */
  bom?: boolean
}

/**
 * A table as CSV bytes, rows ended by CRLF (RFC 4180), every cell escaped against formula injection. A cell holding
 * either delimiter is quoted, so that the file's delimiter is never in doubt when it is read back.
 */
export function writeCsvTable (rows: readonly (readonly string[])[], options: WriteOptions = {}): Buffer {
  const escaped = rows.map((row) => row.map(escapeFormula))
  const text = stringify(escaped, { delimiter: options.delimiter ?? ',', record_delimiter: 'windows', quoted_match: /[,;]/ })
  return Buffer.from((options.bom ?? true) ? BOM + text : text, 'utf8')
}
