// Use cases of "who decides?": one initiative or domain, a person's authority, many initiatives at once.
import { now, toInstant } from '../clock.js'
import type { Db } from '../store/connection.js'
import { notFound, ProblemError, type FieldError } from '../errors.js'
import { findAuthority } from '../registry/authority.js'
import type { DeciderIndex } from '../registry/decider-index.js'
import { resolveDecider, UnknownTargetError } from '../registry/resolver.js'
import type { DeciderAnswer, Target } from '../registry/types.js'
import type { Authority, DomainDecider, InitiativeDecider, ResolveDecidersBody, ResolvedDeciders } from '../schemas/deciders.js'
import { exists } from '../store/records.js'

/** The answer at `at`, or now. */
function answer (index: DeciderIndex, target: Target, at: string | undefined): DeciderAnswer {
  try {
    const instant = at === undefined ? now() : toInstant(at)
    return resolveDecider(index.sourceAt(instant), target, instant)
  } catch (error) {
    if (error instanceof UnknownTargetError) throw notFound(target.kind === 'initiative' ? 'initiatives' : 'domains', target.id)
    throw error
  }
}

const initiativeView = (a: DeciderAnswer): InitiativeDecider => ({
  initiativeId: a.target.id, at: a.at, decisionRule: a.decisionRule, resolution: a.resolution, deciders: a.deciders, absent: a.absent
})

export const resolveInitiativeDecider = (index: DeciderIndex, id: string, at?: string): InitiativeDecider =>
  initiativeView(answer(index, { kind: 'initiative', id }, at))

export function resolveDomainDecider (index: DeciderIndex, id: string, at?: string): DomainDecider {
  const a = answer(index, { kind: 'domain', id }, at)
  return { domainId: id, at: a.at, decisionRule: a.decisionRule, resolution: a.resolution, deciders: a.deciders, absent: a.absent }
}

/** The initiatives in the order asked, at one time; every unknown id is named by its index. */
export function resolveDeciders (index: DeciderIndex, body: ResolveDecidersBody): ResolvedDeciders {
  // One instant for the whole answer, whether given or now.
  const at = body.at === undefined ? now() : toInstant(body.at)
  const source = index.sourceAt(at)
  const results: InitiativeDecider[] = []
  const unknown: FieldError[] = []
  body.initiativeIds.forEach((id, i) => {
    const target: Target = { kind: 'initiative', id }
    try {
      results.push(initiativeView(resolveDecider(source, target, at)))
    } catch (error) {
      if (!(error instanceof UnknownTargetError)) throw error
      unknown.push({ in: 'body', path: `/initiativeIds/${i}`, message: `no initiatives record with id "${id}"` })
    }
  })
  if (unknown.length > 0) {
    throw new ProblemError('WHODECIDES_ERR_UNKNOWN_REFERENCE', unknown.map((e) => `${e.path.slice(1)}: ${e.message}`).join('; '), { errors: unknown })
  }
  return { at, results }
}

export function getPersonAuthority (db: Db, index: DeciderIndex, id: string, at?: string): Authority {
  if (!exists(db, 'people', id)) throw notFound('people', id)
  const instant = at === undefined ? now() : toInstant(at)
  const authority: Authority = { personId: id, at: instant, initiatives: [], domains: [] }
  for (const { target, how, via } of findAuthority(db, index, id, instant)) {
    if (target.kind === 'initiative') authority.initiatives.push({ initiativeId: target.id, how, via })
    else authority.domains.push({ domainId: target.id, how, via })
  }
  return authority
}
