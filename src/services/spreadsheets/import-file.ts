// A spreadsheet to import (POST /v1/import runs it in the import process, import-runner.ts): which kind of file it
// is, then the import of that kind on the connection, in one transaction.
import { invalidField } from '../../errors.js'
import { personField } from '../../formats/people-columns.js'
import type { Actor } from '../../store/change-log.js'
import type { Db } from '../../store/connection.js'
import { importPeopleCsv, type PeopleImportOptions } from './people-import.js'
import { importRaciMatrix } from './raci-import.js'
import type { ApplyBundle, SpreadsheetImportOptions, SpreadsheetImportReport } from './spreadsheet-import.js'

export interface ImportFileOptions extends SpreadsheetImportOptions {
  format: 'csv' | 'xlsx'
  /** What a CSV file holds; by default people when its header names an email column, else a RACI matrix. */
  kind?: 'raci' | 'people'
  /** People: the file's header → a person field, or "ignore" (the command line's --map column=field). */
  map?: PeopleImportOptions['map']
}

const HEADER_SAMPLE = 65_536

/** Whether a CSV file's first line names an email column, as a people file does (a matrix names people by value). */
export function looksLikePeople (bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, HEADER_SAMPLE)).toString('utf8').replace(/^\ufeff/, '')
  const header = text.split(/\r?\n/, 1)[0] ?? ''
  return header.split(/[,;]/).some((cell) => personField(cell.trim().replace(/^"|"$/g, '')) === 'email')
}

/**
 * Imports a file of either kind (see importRaciMatrix and importPeopleCsv), written by `apply` (default: importBundle
 * on `db`, as `actor`): a report of what it created, changed, ended and left as it was; a 422 naming every problem by
 * row and column, nothing written, when the file has any; a 400 at /kind for people in a workbook.
 */
export async function importFile (db: Db, actor: Actor, bytes: Uint8Array, options: ImportFileOptions, apply?: ApplyBundle): Promise<SpreadsheetImportReport> {
  if (options.format === 'xlsx' && options.kind === 'people') throw invalidField('/kind', 'a workbook is read as a RACI matrix: send people as a CSV file (text/csv)', 'query')
  const kind = options.format === 'xlsx' ? 'raci' : options.kind ?? (looksLikePeople(bytes) ? 'people' : 'raci')
  return kind === 'people'
    ? await importPeopleCsv(db, actor, bytes, options, apply)
    : await importRaciMatrix(db, actor, bytes, { ...options, kind: options.format }, apply)
}
