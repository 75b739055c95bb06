// Where a database's audits run and their runs are stored: in its audit process for a database file
// (audit-process.ts); in this process for an in-memory database, which has no file to share. Contract: one runner per
// database, made with its options by the audit routes when the app is built (or, used without them, on the first
// audit, as usual); closing it fails the audits in flight. Why: docs/audit-process.md.
import type { Written } from '../change-log.js'
import type { Db } from '../database.js'
import type { AuditRun } from '../schemas/audits.js'
import { AuditProcess } from './audit-process.js'
import type { AuditRequest } from './audit-process-main.js'
import { auditRows, needsFullRead } from './job.js'
import { STORE_PACE, storeRun, type StorePace } from './run-store.js'

export interface AuditRunnerOptions {
  /**
   * How runs are stored, if not as usual (STORE_PACE in this process, AUDIT_PROCESS_PACE in the audit process):
   * tests slow it down to watch a run half stored.
   */
  pace?: StorePace
}

export interface AuditRunner {
  /** Runs the audit and stores its run; resolves with the run as stored. */
  run: (audit: AuditRequest) => Promise<Written<AuditRun>>
  /** Starts what audits will run in (the process), ahead of the first audit. */
  prestart: () => void
  close: () => Promise<void>
}

/** In this process: the run stored between requests, a step at a time. */
function inThisProcess (db: Db, pace: StorePace): AuditRunner {
  return {
    run: async ({ job, run, actor }) => await storeRun(db, actor, run, auditRows(db, job), pace),
    prestart: () => {},
    close: async () => {}
  }
}

const runners = new WeakMap<Db, AuditRunner>()

/** Makes the database's audit runner; for a file, its process starts on prestart() or with the first audit. */
export function openAuditRunner (db: Db, options: AuditRunnerOptions = {}): AuditRunner {
  if (runners.has(db)) throw new Error('the database has an audit runner already')
  const runner = db.$client.memory
    ? inThisProcess(db, options.pace ?? STORE_PACE)
    : new AuditProcess(db.$client.name, { fullRead: (revision) => needsFullRead(db, revision), ...(options.pace === undefined ? {} : { pace: options.pace }) })
  runners.set(db, runner)
  return runner
}

/** Runs the audit and stores its run, with the database's runner (made now, as usual, if it has none). */
export async function runAndStoreAudit (db: Db, audit: AuditRequest): Promise<Written<AuditRun>> {
  return await (runners.get(db) ?? openAuditRunner(db)).run(audit)
}

/** Closes the database's runner, if it has one: audits in flight fail. */
export async function closeAuditRunner (db: Db): Promise<void> {
  const runner = runners.get(db)
  runners.delete(db)
  await runner?.close()
}
