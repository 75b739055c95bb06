// The RACI matrix as an XLSX workbook, in and out; the export marks problem cells and lists the findings.
import ExcelJS from 'exceljs'
import { raciMatrixTable, type RaciMatrix } from './raci-matrix.js'
import { readRaciMatrix, type RaciMatrixRead } from './read-raci-matrix.js'
import { addTableSheet, readXlsxTable, type ReadOptions } from './xlsx-table.js'

/** The matrix of the workbook's first sheet and every problem in it. */
export async function parseRaciXlsx (bytes: Uint8Array, options: ReadOptions = {}): Promise<RaciMatrixRead> {
  const table = await readXlsxTable(bytes, options)
  return readRaciMatrix(table.rows, table.problems)
}

/** A cell of the written matrix that breaks a rule, at the row and column the matrix gives it. */
export interface ProblemCell { row: number, column: number, ruleId: string, message: string }

/** A finding as listed on the "Findings" sheet. */
export interface MatrixFinding { ruleId: string, severity: string, summary: string, initiative?: string, person?: string }

export interface MatrixMarks { problemCells?: readonly ProblemCell[], findings?: readonly MatrixFinding[] }

export const MATRIX_SHEET = 'RACI'
export const FINDINGS_SHEET = 'Findings'
const PROBLEM_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } }
const PROBLEM_FONT: Partial<ExcelJS.Font> = { color: { argb: 'FF9C0006' } }

/**
 * The matrix as an XLSX workbook: sheet "RACI" with the header row and the initiative column frozen, each problem
 * cell filled and carrying a comment that names its rules; sheet "Findings" with one row per finding.
 */
export async function writeRaciXlsx (matrix: RaciMatrix, marks: MatrixMarks = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const table = raciMatrixTable(matrix)
  const widths = (table[0] ?? []).map((_, index) => index === 0 ? 40 : 16)
  const sheet = addTableSheet(workbook, MATRIX_SHEET, table, { frozenColumns: 1, widths })
  const notes = new Map<string, { row: number, column: number, lines: string[] }>()
  for (const { row, column, ruleId, message } of marks.problemCells ?? []) {
    const key = `${row}:${column}`
    const note = notes.get(key) ?? { row, column, lines: [] }
    note.lines.push(`${ruleId}: ${message}`)
    notes.set(key, note)
  }
  for (const { row, column, lines } of notes.values()) {
    const cell = sheet.getCell(row, column)
    cell.fill = PROBLEM_FILL
    cell.font = { ...cell.font, ...PROBLEM_FONT }
    cell.note = lines.join('\n')
  }
  const findings = (marks.findings ?? []).map((f) => [f.ruleId, f.severity, f.summary, f.initiative ?? '', f.person ?? ''])
  const findingsSheet = addTableSheet(workbook, FINDINGS_SHEET, [['Rule', 'Severity', 'Summary', 'Initiative', 'Person'], ...findings], { widths: [28, 10, 80, 30, 30] })
  findingsSheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: 5 } }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
