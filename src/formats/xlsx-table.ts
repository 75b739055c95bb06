// The first sheet of an XLSX workbook as a table of text cells, and a sheet written from one.
import ExcelJS from 'exceljs'
import { fileProblem, problemAt, type SheetProblem } from './sheet-problems.js'
import { escapeFormula, sizeProblem } from './spreadsheet-safety.js'

export interface ReadOptions {
  /** The largest file read (default 50 MB). */
  maxBytes?: number
}

/** Row i of `rows` is the sheet's row i + 1, cell j its column j + 1; a file that cannot be read gives no rows. */
export interface XlsxTable {
  rows: string[][]
  problems: SheetProblem[]
}

/**
 * The first sheet's cells as text, never evaluating anything: a formula gives the result the file saved with it,
 * rich text its plain text, a number its shortest decimal form, a date its ISO-8601 form, an error cell its code.
 */
export async function readXlsxTable (bytes: Uint8Array, options: ReadOptions = {}): Promise<XlsxTable> {
  const tooLarge = sizeProblem(bytes, options.maxBytes)
  if (tooLarge !== undefined) return { rows: [], problems: [tooLarge] }
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer)
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return { rows: [], problems: [fileProblem('unreadable-file', `The file is not a readable XLSX workbook (${detail})`)] }
  }
  const sheet = workbook.worksheets[0]
  if (sheet === undefined) return { rows: [], problems: [fileProblem('empty-file', 'The workbook has no sheet')] }
  const rows: string[][] = []
  const problems: SheetProblem[] = []
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = []
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      const text = cellText(cell.value)
      if (text === undefined) problems.push(problemAt('formula-without-value', rowNumber, column, 'a formula without a saved result: open the file in a spreadsheet program and save it again'))
      cells[column - 1] = text ?? ''
    })
    rows[rowNumber - 1] = Array.from(cells, (text) => text ?? '')
  })
  if (rows.length === 0) return { rows: [], problems: [fileProblem('empty-file', 'The first sheet is empty')] }
  return { rows: Array.from(rows, (row) => row ?? []), problems }
}

/** A cell's value as text; undefined for a formula saved without its result. */
function cellText (value: ExcelJS.CellValue): string | undefined {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (value instanceof Date) return value.toISOString()
  if ('richText' in value) return value.richText.map((run) => run.text).join('')
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue)
  if ('error' in value) return value.error
  if ('formula' in value || 'sharedFormula' in value) return value.result === undefined ? undefined : cellText(value.result)
  return ''
}

export interface SheetLayout {
  /** Freeze the header row and this many leading columns (default 0). */
  frozenColumns?: number
  /** Column widths in characters, first column first. */
  widths?: number[]
}

/** A sheet holding `rows` as text (escaped against formula injection), the first row bold and frozen. */
export function addTableSheet (workbook: ExcelJS.Workbook, name: string, rows: readonly (readonly string[])[], layout: SheetLayout = {}): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: layout.frozenColumns ?? 0, ySplit: 1 }] })
  rows.forEach((cells, index) => {
    if (cells.length > 0) sheet.getRow(index + 1).values = cells.map((text) => text === '' ? null : escapeFormula(text))
  })
  sheet.getRow(1).font = { bold: true }
  layout.widths?.forEach((width, index) => { sheet.getColumn(index + 1).width = width })
  return sheet
}
