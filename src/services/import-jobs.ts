// The import process (entered through import-worker.ts): parses the bundles the server hands over as bytes, and runs
// the imports on its own connection to the database file, one message at a time in the order they came.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { connect, type Db } from '../store/connection.js'
import type { Actor } from '../store/change-log.js'
import { importBundle, type ImportOptions, type ImportReport } from './import.js'
import { parseImportBody, toWire, type WireError } from './import-body.js'
import { importFile, type ImportFileOptions } from './spreadsheets/import-file.js'
import type { SpreadsheetImportReport } from './spreadsheets/spreadsheet-import.js'

/**
 * `parse`: the body's bytes, kept parsed under `id` until its `run` or `drop`; `run`: the import of the body parsed
 * under `body` (null: the request had none); `file`: the import of a spreadsheet's bytes (importFile), read, planned
 * and written here.
 */
export type ImportMessage =
  | { type: 'parse', id: number, raw: Uint8Array, digest: boolean }
  | { type: 'run', id: number, body: number | null, actor: Actor, options: ImportOptions }
  | { type: 'file', id: number, raw: Uint8Array, actor: Actor, options: ImportFileOptions }
  | { type: 'drop', id: number }

export type ImportReply =
  | { id: number, parsed: { sha256: string | undefined } }
  | { id: number, report: ImportReport }
  | { id: number, sheet: SpreadsheetImportReport }
  | { id: number, error: WireError }

const dbPath = process.argv[2]!

/** A full collection after each import: a large bundle leaves hundreds of MB that V8 would otherwise keep. */
setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

let connection: Db | undefined
const parsed = new Map<number, unknown>()

async function answer (message: ImportMessage): Promise<ImportReply | undefined> {
  try {
    switch (message.type) {
      case 'parse': {
        const { bundle, sha256 } = parseImportBody(message.raw, message.digest)
        parsed.set(message.id, bundle)
        return { id: message.id, parsed: { sha256 } }
      }
      case 'run': {
        if (message.body !== null && !parsed.has(message.body)) throw new Error(`no parsed body ${message.body} to import`)
        const bundle = message.body === null ? undefined : parsed.get(message.body)
        if (message.body !== null) parsed.delete(message.body)
        connection ??= connect(dbPath, { fileMustExist: true })
        return { id: message.id, report: importBundle(connection, message.actor, bundle, message.options) }
      }
      case 'file': {
        connection ??= connect(dbPath, { fileMustExist: true })
        return { id: message.id, sheet: await importFile(connection, message.actor, message.raw, message.options) }
      }
      case 'drop':
        parsed.delete(message.id)
        return undefined
    }
  } catch (error) {
    return { id: message.id, error: toWire(error) }
  }
}

/** Messages answered one at a time, in the order they came: a workbook is read asynchronously, and the next waits. */
let queue: Promise<void> = Promise.resolve()

process.on('message', (message: ImportMessage) => {
  queue = queue.then(async () => {
    const reply = await answer(message)
    if (reply !== undefined) process.send?.(reply)
    if (message.type !== 'parse' && parsed.size === 0) collectGarbage()
  })
})

// The server is gone (stopped, or killed without a word): nothing is left to import for.
process.on('disconnect', () => process.exit(0))
