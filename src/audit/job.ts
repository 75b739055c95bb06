// One audit's work, the same whether it runs in the audit process or in-process: load the registry (or bring the one
// loaded before up to date with the change log), judge it, report. Contract: each read is one read transaction, so a
// registry always reflects one revision of the change log. Why: docs/audit-process.md.
import { lastRevision, readTransaction, registryChanges, registryChangesExceed, REREAD_AFTER, type ChangedRecords } from '../store/change-feed.js'
import type { Db } from '../store/connection.js'
import { createReadModel } from '../registry/read-model.js'
import { createSnapshot, type Snapshot } from '../registry/snapshot.js'
import { loadRegistryData } from '../store/registry-data.js'
import { refreshedData } from '../registry/snapshot-refresh.js'
import type { RegistryData } from '../registry/types.js'
import { shapeAt } from '../store/history.js'
import { runRules, type AuditScope, type EngineFinding, type RuleConfig } from './engine.js'
import { findingRow, type FindingRow } from './finding-row.js'

/** What the server hands over: plain data, so it crosses to the audit process by structured clone. */
export interface AuditJob {
  /** The effective configuration of every rule (disabled ones included: the engine skips them). */
  configs: Map<string, RuleConfig>
  scope: AuditScope
  /** The time the registry is judged at, canonical ISO UTC. */
  at: string
}

/** The whole registry as read once (or brought up to date since), and the change-log revision it reflects. */
export interface LoadedRegistry { revision: number, data: RegistryData, snapshot: Snapshot }

/** Reads the whole registry in one read transaction. */
export function loadRegistry (db: Db): LoadedRegistry {
  return readTransaction(db, () => {
    const revision = lastRevision(db)
    const data = loadRegistryData(db)
    return { revision, data, snapshot: createSnapshot(data) }
  })
}

/** The registry records the change log names after the revision, by entity; undefined past `limit` entries. */
export const changedSince = (db: Db, revision: number, limit = REREAD_AFTER): ChangedRecords | undefined => registryChanges(db, revision, limit)

/**
 * Whether so much changed after the revision that a loaded registry is better read again whole than refreshed
 * (changedSince would give undefined), without reading the changes themselves.
 */
export const needsFullRead = (db: Db, revision: number, limit = REREAD_AFTER): boolean => registryChangesExceed(db, revision, limit)

/**
 * The loaded registry as the registry stands now, in one read transaction: the same one when nothing in it
 * changed, the changed records read again (snapshot-refresh.ts) when a few did; undefined when too many did
 * (needsFullRead), for the caller to let it go before it reads the registry whole.
 */
export function refreshRegistry (db: Db, loaded: LoadedRegistry, limit = REREAD_AFTER): LoadedRegistry | undefined {
  return readTransaction(db, () => {
    const revision = lastRevision(db)
    const changed = changedSince(db, loaded.revision, limit)
    if (changed === undefined) return undefined
    if (changed.size === 0) return revision === loaded.revision ? loaded : { ...loaded, revision }
    const data = refreshedData(db, loaded.data, changed)
    return { revision, data, snapshot: createSnapshot(data) }
  })
}

/** Runs every enabled rule over the registry (read now unless given), shaped as it stood at the job's time. */
export function auditFindings (db: Db, job: AuditJob, loaded: LoadedRegistry = loadRegistry(db)): EngineFinding[] {
  const shaped = shapeAt(db, loaded.data, job.at)
  const snapshot = shaped === loaded.data ? loaded.snapshot : createSnapshot(shaped)
  return runRules(createReadModel(snapshot, job.at), job.configs, job.scope)
}

/** The job's findings as the rows a run stores (see finding-row.ts), in the engine's order. */
export const auditRows = (db: Db, job: AuditJob, loaded?: LoadedRegistry): FindingRow[] => auditFindings(db, job, loaded).map(findingRow)
