// RACI spreadsheet benchmark: parse and write a matrix of 5000 initiatives × 40 people (200k cells) as CSV and XLSX,
// beside the bare libraries on the same table in the same run (csv-parse/csv-stringify, exceljs), so the figures
// show what the model and its checks add; each figure is the best of BENCH_ROUNDS (3) after a warm-up.
// BENCH_INITIATIVES and BENCH_PEOPLE change the size.
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import ExcelJS from 'exceljs'
import { parseRaciCsv, writeRaciCsv } from '../src/formats/raci-csv.js'
import { raciMatrixTable } from '../src/formats/raci-matrix.js'
import { parseRaciXlsx, writeRaciXlsx } from '../src/formats/raci-xlsx.js'
import { syntheticMatrix } from '../test/formats/matrix-fixture.js'

const INITIATIVES = Number(process.env.BENCH_INITIATIVES ?? 5000)
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 40)

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

/** The best of ROUNDS runs after one to warm up. */
async function timed<T> (work: () => T | Promise<T>): Promise<{ ms: number, value: T }> {
  let value = await work()
  let ms = Infinity
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now()
    value = await work()
    ms = Math.min(ms, performance.now() - start)
  }
  return { ms, value }
}

const matrix = syntheticMatrix(INITIATIVES, PEOPLE)
const table = raciMatrixTable(matrix)
const cells = matrix.rows.reduce((sum, row) => sum + row.cells.length, 0)
console.log(`RACI matrix: ${INITIATIVES} initiatives × ${PEOPLE} people = ${INITIATIVES * PEOPLE} cells, ${cells} holding roles`)

const csvWrite = await timed(() => writeRaciCsv(matrix))
const csvParse = await timed(() => parseRaciCsv(csvWrite.value))
const bareCsvWrite = await timed(() => stringify(table))
const bareCsvParse = await timed(() => parse(bareCsvWrite.value, { relax_column_count: true }))
if (csvParse.value.problems.length > 0) throw new Error('the CSV did not read back cleanly')

const xlsxWrite = await timed(() => writeRaciXlsx(matrix))
const xlsxParse = await timed(() => parseRaciXlsx(xlsxWrite.value))
const bareXlsxWrite = await timed(async () => {
  const book = new ExcelJS.Workbook()
  book.addWorksheet('RACI').addRows(table)
  return Buffer.from(await book.xlsx.writeBuffer())
})
const bareXlsxParse = await timed(async () => new ExcelJS.Workbook().xlsx.load(bareXlsxWrite.value as unknown as ExcelJS.Buffer))
if (xlsxParse.value.problems.length > 0) throw new Error('the XLSX did not read back cleanly')

const row = (what: string, ours: { ms: number }, bare: { ms: number }, bytes: number): string =>
  `${what.padEnd(12)} ${ours.ms.toFixed(0).padStart(7)} ms   bare library ${bare.ms.toFixed(0).padStart(7)} ms   ×${(ours.ms / bare.ms).toFixed(2)}   ${(bytes / 1024 / 1024).toFixed(1)} MB`
console.log(row('CSV write', csvWrite, bareCsvWrite, csvWrite.value.length))
console.log(row('CSV parse', csvParse, bareCsvParse, csvWrite.value.length))
console.log(row('XLSX write', xlsxWrite, bareXlsxWrite, xlsxWrite.value.length))
console.log(row('XLSX parse', xlsxParse, bareXlsxParse, xlsxWrite.value.length))
