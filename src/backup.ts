// Online backup of the service's database: SQLite's backup API copies one consistent snapshot while the service writes.
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import Database from 'better-sqlite3'

/** A backup that could not be made; the message is one line for the person running it. */
export class BackupError extends Error {}

export interface BackupResult {
  source: string
  destination: string
  /** What `PRAGMA integrity_check` said of the copy: ['ok'] when sound. */
  integrity: string[]
  bytes: number
  pages: number
}

// Copies every page in one backup step. In steps of a few pages, each write of the service between two steps would
// restart the copy from the first page, so under steady writes it might never finish. One step reads one snapshot,
// and in WAL mode that read blocks no writer.
const ALL_PAGES = 0x7fffffff

/**
 * Copies the database at `source` to `destination`, checks the copy with `PRAGMA integrity_check`, and only then
 * gives it the destination's name: a file found there afterwards is a whole, checked copy. The source is opened
 * read-only: the backup never changes the live database.
 */
export async function backupDatabase (source: string, destination: string, options: { overwrite?: boolean } = {}): Promise<BackupResult> {
  if (source === ':memory:') throw new BackupError('the database is in memory (":memory:"): there is no file to back up')
  const from = resolve(source)
  const to = resolve(destination)
  if (!existsSync(from)) throw new BackupError(`no database at ${from}: set WHODECIDES_DB to the file the service uses`)
  if (existsSync(to)) {
    if (statSync(to).isDirectory()) throw new BackupError(`${to} is a folder: name the backup file, e.g. ${join(to, 'whodecides-backup.db')}`)
    if (realpathSync(to) === realpathSync(from)) throw new BackupError(`${to} is the database itself: name another file`)
    if (options.overwrite !== true) throw new BackupError(`${to} already exists: name a new file, or add --force to replace it`)
  }
  try {
    mkdirSync(dirname(to), { recursive: true })
  } catch (err) {
    throw new BackupError(`cannot create the folder of ${to}: ${(err as Error).message}`)
  }
  const partial = join(dirname(to), `.${basename(to)}.${process.pid}.partial`)
  try {
    const pages = await copyPages(from, partial)
    const integrity = checkCopy(partial)
    if (integrity.length !== 1 || integrity[0] !== 'ok') {
      throw new BackupError(`the copy fails integrity_check (${integrity.slice(0, 3).join('; ')}): the database itself may be damaged, nothing was written to ${to}`)
    }
    publish(partial, to, options.overwrite === true)
    return { source: from, destination: to, integrity, bytes: statSync(to).size, pages }
  } finally {
    rmSync(partial, { force: true })
  }
}

async function copyPages (from: string, partial: string): Promise<number> {
  let sqlite: Database.Database
  try {
    sqlite = new Database(from, { readonly: true, fileMustExist: true })
  } catch (err) {
    throw new BackupError(`cannot open ${from}: ${(err as Error).message}`)
  }
  try {
    // The service holds the write lock only for the length of one transaction: wait for it rather than fail.
    sqlite.pragma('busy_timeout = 5000')
    const progress = await sqlite.backup(partial, { progress: () => ALL_PAGES })
    return progress.totalPages
  } catch (err) {
    throw new BackupError(`backup of ${from} failed: ${(err as Error).message}`)
  } finally {
    sqlite.close()
  }
}

/** Makes the copy one self-contained file (no -wal beside it), then checks it; returns what integrity_check said. */
function checkCopy (partial: string): string[] {
  const copy = new Database(partial, { fileMustExist: true })
  try {
    // The copy carries the source's WAL mode; a rollback journal leaves nothing beside the file once closed, and the
    // service switches a restored file back to WAL when it opens it.
    copy.pragma('journal_mode = DELETE')
    return (copy.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check)
  } finally {
    copy.close()
  }
}

/** Gives the checked copy its name: never over an existing file unless asked, then makes the name durable. */
function publish (partial: string, to: string, overwrite: boolean): void {
  if (overwrite) {
    // A -wal or -shm left beside the old file would be read as part of the new one.
    rmSync(`${to}-wal`, { force: true })
    rmSync(`${to}-shm`, { force: true })
    renameSync(partial, to)
  } else {
    try {
      // A hard link fails if the name was taken meanwhile, where a rename would silently replace that file.
      linkSync(partial, to)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EEXIST') throw new BackupError(`${to} already exists: name a new file, or add --force to replace it`)
      throw new BackupError(`cannot write ${to}: ${(err as Error).message}`)
    }
  }
  const dir = openSync(dirname(to), 'r')
  try { fsyncSync(dir) } finally { closeSync(dir) }
}
