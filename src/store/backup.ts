// Online backup of the service's database: SQLite's backup API copies one consistent snapshot while the service writes.
import { randomBytes } from 'node:crypto'
import { closeSync, constants, existsSync, fchmodSync, fstatSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, type Stats } from 'node:fs'
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

/** The files SQLite keeps beside a database, named after it. */
const COMPANIONS = ['-wal', '-shm', '-journal'] as const

/**
 * Copies the database at `source` to `destination`, checks the copy with `PRAGMA integrity_check`, and only then
 * gives it the destination's name: a file found there afterwards is a whole, checked copy, readable by its owner only.
 * The source is opened read-only: the backup never changes the live database, nor any of its companion files.
 */
export async function backupDatabase (source: string, destination: string, options: { overwrite?: boolean } = {}): Promise<BackupResult> {
  if (source === ':memory:') throw new BackupError('the database is in memory (":memory:"): there is no file to back up')
  const from = resolve(source)
  const to = resolve(destination)
  if (!existsSync(from)) throw new BackupError(`no database at ${from}: set WHODECIDES_DB to the file the service uses`)
  const refused = refusal(from, to)
  if (refused !== undefined) throw new BackupError(refused)
  if (existsSync(to) && options.overwrite !== true) throw new BackupError(`${to} already exists: name a new file, or add --force to replace it`)
  try {
    mkdirSync(dirname(to), { recursive: true })
  } catch (err) {
    throw new BackupError(`cannot create the folder of ${to}: ${(err as Error).message}`)
  }
  const partial = createPartial(to)
  try {
    const pages = await copyPages(from, partial.path)
    const integrity = checkCopy(partial.path)
    if (integrity.length !== 1 || integrity[0] !== 'ok') {
      throw new BackupError(`the copy fails integrity_check (${integrity.slice(0, 3).join('; ')}): the database itself may be damaged, nothing was written to ${to}`)
    }
    // SQLite wrote it by its name: it must still be the file made for it, not one put in its place meanwhile.
    const now = lstatSync(partial.path, { throwIfNoEntry: false })
    if (now === undefined || !now.isFile() || now.dev !== partial.dev || now.ino !== partial.ino) {
      throw new BackupError(`the temporary copy ${partial.path} was replaced while it was written: nothing was written to ${to}`)
    }
    publish(partial.path, to, options.overwrite === true)
    return { source: from, destination: to, integrity, bytes: statSync(to).size, pages }
  } finally {
    closeSync(partial.fd)
    rmSync(partial.path, { force: true })
  }
}

/**
 * Why the backup must not be written at `to`, or undefined: it is the database or one of its companion files (by
 * name, through a symbolic or hard link, or as a -wal or -shm the replacement of `to` would remove), a folder, a link,
 * or not a regular file. Such a destination is refused with or without --force: a copy renamed over the -wal would
 * replace the live log (new connections then read "not a database", and acknowledged writes are lost), and one
 * renamed over a device or FIFO would replace that.
 */
function refusal (from: string, to: string): string | undefined {
  const realFrom = realpathSync(from)
  const files = ['', ...COMPANIONS].flatMap((suffix) => [from, realFrom].map((base) => ({ path: base + suffix, suffix })))
  const what = (suffix: string): string => suffix === '' ? 'the database itself' : `the database's ${suffix} file`
  const named = files.find(({ path }) => path === to)
  if (named !== undefined) return `${to} is ${what(named.suffix)}: name another file`

  const link = lstatSync(to, { throwIfNoEntry: false })
  const target = link?.isSymbolicLink() === true ? statSync(to, { throwIfNoEntry: false }) : link
  const real = realName(to)
  const same = files.find(({ path }) => path === real || (target !== undefined && isFile(path, target)))
  if (same !== undefined) return `${to} is ${what(same.suffix)} (through a link): name another file`
  if ([`${to}-wal`, `${to}-shm`, `${real}-wal`, `${real}-shm`].some((path) => files.some((file) => file.path === path))) {
    return `${to} would take the database's files with it (its -wal or -shm is the database): name another file`
  }

  if (target?.isDirectory() === true) return `${to} is a folder: name the backup file, e.g. ${join(to, 'whodecides-backup.db')}`
  if (target !== undefined && !target.isFile()) return `${to} is not a regular file (${kind(target)}): name another file`
  if (link?.isSymbolicLink() === true) return `${to} is a symbolic link: name the file it points to, or another file`
  return undefined
}

/** The path with every link resolved: of the file if it exists, else of its folder, else as given. */
function realName (path: string): string {
  try {
    return realpathSync(path)
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path))
    } catch {
      return path
    }
  }
}

/** Whether the file at path is the one stat describes. */
function isFile (path: string, stat: Stats): boolean {
  const other = statSync(path, { throwIfNoEntry: false })
  return other !== undefined && other.dev === stat.dev && other.ino === stat.ino
}

function kind (stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO'
  if (stat.isCharacterDevice()) return 'a character device'
  if (stat.isBlockDevice()) return 'a block device'
  if (stat.isSocket()) return 'a socket'
  return 'not a file'
}

/**
 * The file the copy is written to before it gets its name: in the destination's folder (a rename stays within one
 * file system), under a random name, created by this call (O_EXCL: never a file or link already there, O_NOFOLLOW),
 * readable by its owner only whatever the umask. SQLite gives the journal it keeps beside it the same mode. Its
 * descriptor stays open, and its identity is checked before it is published.
 */
function createPartial (to: string): { path: string, fd: number, dev: number, ino: number } {
  const path = join(dirname(to), `.${basename(to)}.${randomBytes(12).toString('base64url')}.partial`)
  let fd: number
  try {
    fd = openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, 0o600)
  } catch (err) {
    throw new BackupError(`cannot create a temporary file beside ${to}: ${(err as Error).message}`)
  }
  try {
    fchmodSync(fd, 0o600)
    const { dev, ino } = fstatSync(fd)
    return { path, fd, dev, ino }
  } catch (err) {
    closeSync(fd)
    rmSync(path, { force: true })
    throw err
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
