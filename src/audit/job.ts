// One audit's work, the same whether it runs in a worker thread or in-process: load the registry (or reuse the
// one loaded before, while the change log shows no change to it), judge it, report.
import type { Db } from '../database.js'
import { createReadModel } from '../registry/read-model.js'
import { statement } from '../database.js'
import { createSnapshot, loadRegistryData, type Snapshot } from '../registry/snapshot.js'
import type { RegistryData } from '../registry/types.js'
import { shapeAt } from '../registry/versions.js'
import { runRules, type AuditScope, type EngineFinding, type RuleConfig } from './engine.js'
import { findingRow, type FindingRow } from './finding-row.js'

/** What the main thread hands over: plain data, so it crosses to a worker by structured clone. */
export interface AuditJob {
  /** The effective configuration of every rule (disabled ones included: the engine skips them). */
  configs: Map<string, RuleConfig>
  scope: AuditScope
  /** The time the registry is judged at, canonical ISO UTC. */
  at: string
}

/** The whole registry as read once, and the change-log revision it reflects. */
export interface LoadedRegistry { revision: number, data: RegistryData, snapshot: Snapshot }

const REGISTRY_ENTITIES = ['people', 'domains', 'initiatives', 'assignments', 'delegations', 'influences', 'decisions']
const LAST_REVISION = 'SELECT coalesce(max(revision), 0) FROM changes'
// Served by the primary key: only the entries after the revision are read. Audit runs, keys and waivers are not
// the registry, and leave a loaded registry current.
const CHANGED_SINCE = `SELECT 1 FROM changes WHERE revision > ? AND entity IN (${REGISTRY_ENTITIES.map((e) => `'${e}'`).join(', ')}) LIMIT 1`

/** Reads the whole registry in one read transaction. */
export function loadRegistry (db: Db): LoadedRegistry {
  return db.$client.transaction(() => {
    const revision = statement(db, LAST_REVISION).pluck().get() as number
    const data = loadRegistryData(db)
    return { revision, data, snapshot: createSnapshot(data) }
  }).deferred()
}

/** Whether the change log holds a change of the registry after the revision. */
export const registryChangedSince = (db: Db, revision: number): boolean => statement(db, CHANGED_SINCE).get(revision) !== undefined

/** Whether the registry is as it was when this was loaded; if so, the loaded registry is moved on to the last revision. */
export function stillCurrent (db: Db, loaded: LoadedRegistry): boolean {
  if (registryChangedSince(db, loaded.revision)) return false
  loaded.revision = statement(db, LAST_REVISION).pluck().get() as number
  return true
}

/** Runs every enabled rule over the registry (read now unless given), shaped as it stood at the job's time. */
export function auditFindings (db: Db, job: AuditJob, loaded: LoadedRegistry = loadRegistry(db)): EngineFinding[] {
  const shaped = shapeAt(db, loaded.data, job.at)
  const snapshot = shaped === loaded.data ? loaded.snapshot : createSnapshot(shaped)
  return runRules(createReadModel(snapshot, job.at), job.configs, job.scope)
}

/** The job's findings as the rows a run stores (see finding-row.ts), in the engine's order. */
export const auditRows = (db: Db, job: AuditJob, loaded?: LoadedRegistry): FindingRow[] => auditFindings(db, job, loaded).map(findingRow)
