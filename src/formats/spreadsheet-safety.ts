// The guards every spreadsheet passes: a size limit on the way in, CSV-injection escaping on the way out.
import { fileProblem, type SheetProblem } from './sheet-problems.js'

/** The largest file read, by default: 50 MB. */
export const MAX_SPREADSHEET_BYTES = 50 * 1024 * 1024

/** The refusal of a file over `maxBytes`, naming the limit; undefined when it fits. */
export function sizeProblem (bytes: Uint8Array, maxBytes = MAX_SPREADSHEET_BYTES): SheetProblem | undefined {
  if (bytes.byteLength <= maxBytes) return undefined
  const size = formatSize(bytes.byteLength) === formatSize(maxBytes) ? `${bytes.byteLength} bytes` : formatSize(bytes.byteLength)
  return fileProblem('file-too-large', `The file is ${size}; the limit is ${formatSize(maxBytes)}`)
}

function formatSize (bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} kB`
  return `${bytes} bytes`
}

const FORMULA_START = /^[=+\-@\t\r]/

/**
 * A cell's text as exported: one starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`, so
 * that a spreadsheet program shows it as text instead of running it as a formula (OWASP, CSV injection). Imports
 * strip nothing: the `'` comes back as part of the text, and no formula is ever evaluated.
 */
export function escapeFormula (text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}
