// One audit's work, the same whether it runs in a worker thread or in-process: load the registry, judge it, report.
import type { Db } from '../database.js'
import { createReadModel } from '../registry/read-model.js'
import { createSnapshot, loadRegistryData } from '../registry/snapshot.js'
import { shapeAt } from '../registry/versions.js'
import { runRules, type AuditScope, type EngineFinding, type RuleConfig } from './engine.js'

/** What the main thread hands over: plain data, so it crosses to a worker by structured clone. */
export interface AuditJob {
  /** The effective configuration of every rule (disabled ones included: the engine skips them). */
  configs: Map<string, RuleConfig>
  scope: AuditScope
  /** The time the registry is judged at, canonical ISO UTC. */
  at: string
}

/** Reads the whole registry, shaped as it stood at the job's time, and runs every enabled rule over it. */
export function auditFindings (db: Db, job: AuditJob): EngineFinding[] {
  const data = db.$client.transaction(() => shapeAt(db, loadRegistryData(db), job.at)).deferred()
  return runRules(createReadModel(createSnapshot(data), job.at), job.configs, job.scope)
}
