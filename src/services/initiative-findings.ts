// Use case behind "is this boundary clear?": the rules run live over one initiative's slice of the registry, nothing stored.
import { runRules } from '../audit/engine.js'
import { liveWaivers } from '../audit/live-waivers.js'
import { now, toInstant } from '../clock.js'
import type { Db } from '../store/connection.js'
import { notFound } from '../errors.js'
import type { DeciderIndex } from '../registry/decider-index.js'
import { loadFocusedData } from '../registry/focus.js'
import { sliceRowsFor } from '../registry/memory-focus-rows.js'
import { createReadModel } from '../registry/read-model.js'
import { createSnapshot } from '../registry/snapshot.js'
import type { InitiativeFindings } from '../schemas/audits.js'
import { ruleConfigs } from './rule-settings.js'

/**
 * The findings of every enabled rule about the initiative at `at` (default now), each marked with the waiver that
 * accepts it now, if any. Reads only the initiative's slice (see loadFocusedData), so it stays fast on any registry.
 */
export function getInitiativeFindings (db: Db, index: DeciderIndex, initiativeId: string, at?: string): InitiativeFindings {
  const time = now()
  const judgedAt = at === undefined ? time : toInstant(at)
  const current = index.current()
  const data = loadFocusedData(db, initiativeId, current?.asOf(judgedAt), sliceRowsFor(current))
  if (data === undefined) throw notFound('initiatives', initiativeId)
  const findings = runRules(createReadModel(createSnapshot(data), judgedAt), ruleConfigs(db), { initiativeIds: [initiativeId] })
  const waivers = liveWaivers(db, time)
  return {
    initiativeId,
    at: judgedAt,
    findings: findings.map((f) => ({
      fingerprint: f.fingerprint,
      ruleId: f.ruleId,
      severity: f.severity,
      subject: f.subject,
      related: f.related,
      message: f.message,
      remediation: f.remediation,
      data: f.data ?? null,
      waived: waivers.get(f.fingerprint) ?? null
    }))
  }
}
