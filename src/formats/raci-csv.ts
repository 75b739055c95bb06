// The RACI matrix as a CSV file, in and out.
import { readCsvTable, writeCsvTable, type CsvDelimiter, type ReadOptions, type WriteOptions } from './csv-table.js'
import { raciMatrixTable, type RaciMatrix } from './raci-matrix.js'
import { readRaciMatrix, type RaciMatrixRead } from './read-raci-matrix.js'

/** The matrix of a CSV file and every problem in it, with the delimiter the file uses (to write it back alike). */
export function parseRaciCsv (bytes: Uint8Array, options: ReadOptions = {}): RaciMatrixRead & { delimiter: CsvDelimiter } {
  const table = readCsvTable(bytes, options)
  return { ...readRaciMatrix(table.rows, table.problems), delimiter: table.delimiter }
}

/** The matrix as CSV bytes (UTF-8 with a BOM, `,` unless told `;`); cells that could run as formulas escaped. */
export function writeRaciCsv (matrix: RaciMatrix, options: WriteOptions = {}): Buffer {
  return writeCsvTable(raciMatrixTable(matrix), options)
}
