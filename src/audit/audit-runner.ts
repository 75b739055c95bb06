// Where a database's audits run and their runs are stored: in its audit process for a database file
// (audit-process.ts); in this process for an in-memory database, which has no file to share — the same job and the
// same store either way. Contract: one runner per database, held by the runtime (src/runtime.ts); closing it fails
// the audits in flight. Why: docs/audit-process.md.
import type { Written } from '../store/change-log.js'
import type { Db } from '../store/connection.js'
import type { AuditRun } from '../schemas/audits.js'
import { AuditProcess } from './audit-process.js'
import type { AuditRequest } from './audit-process-main.js'
import { databaseFile } from '../store/connection.js'
import { auditRows, needsFullRead } from './job.js'
import { RunStore, STORE_PACE, type StorePace } from './run-store.js'

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
  const runs = new RunStore(db)
  return {
    run: async ({ job, run, actor }) => await runs.store(actor, run, auditRows(db, job), pace),
    prestart: () => {},
    close: async () => {}
  }
}

/** The database's audit runner; for a file, its process starts on prestart() or with the first audit. */
export function openAuditRunner (db: Db, options: AuditRunnerOptions = {}): AuditRunner {
  const file = databaseFile(db)
  return file === undefined
    ? inThisProcess(db, options.pace ?? STORE_PACE)
    : new AuditProcess(file, { fullRead: (revision) => needsFullRead(db, revision), ...(options.pace === undefined ? {} : { pace: options.pace }) })
}
