// Where a problem in a spreadsheet is: rows and columns 1-based as a spreadsheet shows them, and the A1 name.

/** What went wrong, for a program; `message` says it for a person. */
export type SheetProblemKind =
  | 'file-too-large' | 'unreadable-file' | 'empty-file'
  | 'empty-header' | 'duplicate-header' | 'misplaced-column' | 'extra-cell' | 'formula-without-value'
  | 'bad-cell' | 'bad-decision-rule' | 'missing-initiative' | 'duplicate-initiative'
  | 'unknown-column' | 'unknown-field' | 'missing-column'
  | 'missing-name' | 'bad-email' | 'bad-status' | 'bad-stake' | 'bad-tag' | 'bad-id'
  | 'duplicate-id' | 'duplicate-email' | 'duplicate-external-id'

/**
 * One client mistake in a file. A problem about a cell carries its row, column and A1 name; one about the whole
 * file carries none, or only the `line` of a text file where the reader stopped.
 */
export interface SheetProblem {
  kind: SheetProblemKind
  row?: number
  column?: number
  cell?: string
  line?: number
  message: string
}

/** The letters of a 1-based column: 1 → A, 26 → Z, 27 → AA. */
export function columnLetter (column: number): string {
  let letters = ''
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters
  return letters
}

/** The A1 name of a cell. */
export function cellName (row: number, column: number): string {
  return `${columnLetter(column)}${row}`
}

/** A problem at one cell; the message is prefixed with the cell's name so that it reads on its own. */
export function problemAt (kind: SheetProblemKind, row: number, column: number, message: string): SheetProblem {
  const cell = cellName(row, column)
  return { kind, row, column, cell, message: `${cell}: ${message}` }
}

/** A problem about the whole file. */
export function fileProblem (kind: SheetProblemKind, message: string, line?: number): SheetProblem {
  return line === undefined ? { kind, message } : { kind, line, message }
}
