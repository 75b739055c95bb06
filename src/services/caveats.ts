// The caveats of a "who decides?" answer: the live findings of the audit rules that touch it.
import { runRules } from '../audit/engine.js'
import { now } from '../clock.js'
import type { Db } from '../store/connection.js'
import type { DeciderIndex } from '../registry/decider-index.js'
import { loadDomainFocus } from '../registry/domain-focus.js'
import { loadFocusedData } from '../registry/focus.js'
import { sliceRowsFor } from '../registry/memory-focus-rows.js'
import { createReadModel } from '../registry/read-model.js'
import { domainChain } from '../registry/resolver.js'
import { createSnapshot } from '../registry/snapshot.js'
import { sameShape } from '../registry/same-shape.js'
import { sliceKeys } from '../registry/slice-keys.js'
import type { DeciderAnswer, RegistrySource, Target } from '../registry/types.js'
import type { Caveat } from '../schemas/deciders.js'
import { spanOf, type CaveatCache, type Judged } from './caveat-cache.js'
import { ruleConfigs } from './rule-settings.js'

/** What caveats read: the connection, the decider index and the cache of judgements (the runtime has all three). */
export interface CaveatContext { db: Db, deciders: DeciderIndex, caveats: CaveatCache }

/** Every enabled rule run over the target's slice (registry/focus.ts, registry/domain-focus.ts) at `at`. */
function judge (context: CaveatContext, target: Target, at: string): Judged {
  const { db, deciders } = context
  const current = deciders.current()
  const shape = current?.asOf(at)
  const rows = sliceRowsFor(current)
  const data = target.kind === 'initiative' ? loadFocusedData(db, target.id, shape, rows) : loadDomainFocus(db, target.id, shape, rows)
  // People, their lines, statuses and delegations from the index: as of the revision it holds.
  const readAt = current?.heldRevision
  // The resolver found the target in the same registry: only a record deleted in between leaves no slice.
  if (data === undefined) return { findings: [], from: at, until: undefined, reads: [`${target.kind === 'initiative' ? 'i' : 'd'}:${target.id}`], readAt }
  return { findings: runRules(createReadModel(createSnapshot(data), at), ruleConfigs(db), null), ...spanOf(data, at), reads: sliceKeys(data), readAt }
}

/** The cache's key of a target: the decider index's targetKeys() gives the same. */
const cacheKey = (target: Target): string => `${target.kind}/${target.id}`

/** The judgement of the target of a cache key ('initiative/<id>' or 'domain/<id>') at `at`, as a lookup then would judge it. */
export function judgeTarget (context: CaveatContext, key: string, at: string): Judged {
  const slash = key.indexOf('/')
  return judge(context, { kind: key.slice(0, slash) as Target['kind'], id: key.slice(slash + 1) }, at)
}

/**
 * The live findings at the answer's time that name the target, a domain it sits in (or the domain itself and those
 * above it), or a person of the answer (a decider, an absent decider, either side of a delegation followed), by
 * severity, rule and subject as an audit orders them. Each carries the waiver that accepts it now, if any: a waived
 * finding is still listed, so that a reader sees it was accepted, but the summary does not count it.
 * `asked`: the time asked for (undefined: now), which decides how long the judgement is reused.
 */
export function caveatsOf (context: CaveatContext, source: RegistrySource, answer: DeciderAnswer, asked: string | undefined): Caveat[] {
  const { target, at } = answer
  const index = asked === undefined ? undefined : context.deciders.current()
  const judged = context.caveats.judged(cacheKey(target), at, asked, () => judge(context, target, at),
    index === undefined ? undefined : (reads) => sameShape(index, index.asOf(at), reads))
  if (judged.findings.length === 0) return []
  const start = target.kind === 'initiative' ? source.initiative(target.id)?.domainId ?? null : target.id
  const domains = new Set(domainChain(source, start))
  const people = new Set<string>(answer.absent.map((a) => a.personId))
  for (const d of answer.deciders) {
    people.add(d.personId)
    for (const step of d.via) if (step.kind === 'delegation') people.add(step.from).add(step.to)
  }
  const touches = (r: { kind: string, id: string }): boolean =>
    (r.kind === target.kind && r.id === target.id) || (r.kind === 'domain' && domains.has(r.id)) || (r.kind === 'person' && people.has(r.id))
  const found = judged.findings.filter((f) => touches(f.subject) || f.related.some(touches))
  if (found.length === 0) return []
  const waivers = context.caveats.liveWaivers(now())
  return found.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    summary: f.message,
    fingerprint: f.fingerprint,
    subject: f.subject,
    remediation: f.remediation ?? null,
    waived: waivers.get(f.fingerprint) ?? null
  }))
}
