// Spreadsheets over HTTP: a file's bytes read within the spreadsheet limit, and the form a matrix is answered in.
import type { FastifyRequest } from 'fastify'
import { ProblemError } from '../errors.js'
import { MAX_SPREADSHEET_BYTES } from '../formats/spreadsheet-safety.js'
import { CSV_MEDIA_TYPE, RACI_FORMATS, XLSX_MEDIA_TYPE } from '../schemas/spreadsheets.js'

const MB = 1024 * 1024

function tooLarge (bytes: number | undefined): ProblemError {
  const size = bytes === undefined ? '' : ` (${bytes} bytes)`
  return new ProblemError('WHODECIDES_ERR_BODY_TOO_LARGE',
    `The file${size} is over the limit: a spreadsheet may be at most ${MAX_SPREADSHEET_BYTES / MB} MB (${MAX_SPREADSHEET_BYTES} bytes). Split it, or send the registry as a bundle`)
}

/**
 * The body's bytes, refused with a 413 naming the 50 MB limit as soon as its Content-Length, or what has come of it,
 * is over: the rest is never held.
 */
export async function readSpreadsheetBody (request: FastifyRequest, payload: FastifyRequest['raw']): Promise<Buffer> {
  const declared = Number(request.headers['content-length'])
  if (declared > MAX_SPREADSHEET_BYTES) throw tooLarge(declared)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of payload) {
    size += (chunk as Buffer).byteLength
    if (size > MAX_SPREADSHEET_BYTES) throw tooLarge(undefined)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks, size)
}

type RaciFormat = typeof RACI_FORMATS[number]

const BY_MEDIA_TYPE = new Map<string, RaciFormat>([['application/json', 'json'], [CSV_MEDIA_TYPE, 'csv'], [XLSX_MEDIA_TYPE, 'xlsx']])

/** The form asked for: ?format= first, then the first type of Accept offered (q=0 refuses one), else JSON. */
export function replyFormat (asked: RaciFormat | undefined, accept: string | undefined): RaciFormat {
  if (asked !== undefined) return asked
  for (const range of (accept ?? '').split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase())
    if (params.some((param) => /^q=0(\.0*)?$/.test(param))) continue
    const format = BY_MEDIA_TYPE.get(type)
    if (format !== undefined) return format
  }
  return 'json'
}
