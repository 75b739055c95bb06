// Use cases of "who decides?": one initiative or domain, a person's authority, many initiatives at once.
import { now, toInstant } from '../clock.js'
import type { Db } from '../store/connection.js'
import { notFound, ProblemError, type FieldError } from '../errors.js'
import { summaryOf } from '../registry/answer-words.js'
import { findAuthority } from '../registry/authority.js'
import type { DeciderIndex } from '../registry/decider-index.js'
import { nextUp } from '../registry/next-up.js'
import { domainChain, resolveDecider, UnknownTargetError } from '../registry/resolver.js'
import type { DeciderAnswer, DelegationRecord, RegistrySource, Target } from '../registry/types.js'
import { namedVia } from '../registry/via-names.js'
import type { Authority, DomainDecider, InitiativeDecider, ResolveDecidersBody, ResolvedDeciders } from '../schemas/deciders.js'
import { exists } from '../store/records.js'
import { caveatsOf, type CaveatContext } from './caveats.js'

/** The time answered for: the one asked, in canonical UTC, or now. */
const instantOf = (at: string | undefined): string => at === undefined ? now() : toInstant(at)

/** The answer at `instant` from the source, or not found. */
function resolve (source: RegistrySource, target: Target, instant: string): DeciderAnswer {
  try {
    return resolveDecider(source, target, instant)
  } catch (error) {
    if (error instanceof UnknownTargetError) throw notFound(target.kind === 'initiative' ? 'initiatives' : 'domains', target.id)
    throw error
  }
}

/**
 * Everything an answer says besides its target's id: the resolution with names on every step of the paths, its
 * caveats, who is next up, and the sentence. `asked`: the time asked for (undefined: now).
 */
function answerView (context: CaveatContext, source: RegistrySource, a: DeciderAnswer, asked: string | undefined) {
  const deciders = a.deciders.map((d) => ({ ...d, via: namedVia(source, d.via) }))
  const caveats = caveatsOf(context, source, a, asked)
  // A delegation whose scope covers the target: the initiative, a domain it sits in, or everything.
  const initiativeId = a.target.kind === 'initiative' ? a.target.id : null
  const chain = domainChain(source, initiativeId === null ? a.target.id : source.initiative(a.target.id)?.domainId ?? null)
  const covers = (d: DelegationRecord): boolean =>
    d.allScopes || (d.initiativeId !== null && d.initiativeId === initiativeId) || (d.domainId !== null && chain.includes(d.domainId))
  const title = a.target.kind === 'initiative'
    ? `'${source.initiative(a.target.id)?.title ?? a.target.id}'`
    : `the ${source.domain(a.target.id)?.name ?? a.target.id} domain`
  const summary = summaryOf({ ...a, deciders }, {
    title,
    domainId: a.target.kind === 'domain' ? a.target.id : null,
    asked: asked === undefined ? undefined : a.at,
    past: asked !== undefined && a.at < now(),
    statusAt: (personId) => source.statusAt(personId, a.at),
    delegates: (personId) => source.delegationsFrom(personId, a.at).some(covers),
    caveats: caveats.filter((c) => c.waived === null).map((c) => c.summary)
  })
  return {
    at: a.at, decisionRule: a.decisionRule, resolution: a.resolution, summary, deciders, absent: a.absent, caveats, nextUp: nextUp(source, a)
  }
}

export function resolveInitiativeDecider (context: CaveatContext, id: string, at?: string): InitiativeDecider {
  const instant = instantOf(at)
  const source = context.deciders.sourceAt(instant)
  return { initiativeId: id, ...answerView(context, source, resolve(source, { kind: 'initiative', id }, instant), at) }
}

export function resolveDomainDecider (context: CaveatContext, id: string, at?: string): DomainDecider {
  const instant = instantOf(at)
  const source = context.deciders.sourceAt(instant)
  return { domainId: id, ...answerView(context, source, resolve(source, { kind: 'domain', id }, instant), at) }
}

/**
 * The initiatives in the order asked, at one time. Unknown ids are listed with their index beside the answers for
 * the known ones; with `strict`, any unknown id refuses the whole batch instead (422, each named by its index).
 */
export function resolveDeciders (context: CaveatContext, body: ResolveDecidersBody): ResolvedDeciders {
  // One instant for the whole answer, whether given or now.
  const at = instantOf(body.at)
  const source = context.deciders.sourceAt(at)
  const results: InitiativeDecider[] = []
  const unknown: ResolvedDeciders['unknown'] = []
  body.initiativeIds.forEach((id, index) => {
    try {
      results.push({ initiativeId: id, ...answerView(context, source, resolveDecider(source, { kind: 'initiative', id }, at), body.at) })
    } catch (error) {
      if (!(error instanceof UnknownTargetError)) throw error
      unknown.push({ index, initiativeId: id })
    }
  })
  if (body.strict === true && unknown.length > 0) {
    const errors: FieldError[] = unknown.map(({ index, initiativeId }) =>
      ({ in: 'body', path: `/initiativeIds/${index}`, message: `no initiatives record with id "${initiativeId}"` }))
    throw new ProblemError('WHODECIDES_ERR_UNKNOWN_REFERENCE', errors.map((e) => `${e.path.slice(1)}: ${e.message}`).join('; '), { errors })
  }
  return { at, results, unknown }
}

export function getPersonAuthority (db: Db, index: DeciderIndex, id: string, at?: string): Authority {
  if (!exists(db, 'people', id)) throw notFound('people', id)
  const instant = instantOf(at)
  const source = index.sourceAt(instant)
  const authority: Authority = { personId: id, at: instant, initiatives: [], domains: [] }
  for (const { target, how, via } of findAuthority(db, index, id, instant)) {
    if (target.kind === 'initiative') authority.initiatives.push({ initiativeId: target.id, how, via: namedVia(source, via) })
    else authority.domains.push({ domainId: target.id, how, via: namedVia(source, via) })
  }
  return authority
}
