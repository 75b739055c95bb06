// Who a "who decides?" question escalates to when the answer is not clear: a domain further up, or a common manager.
import { names } from '../audit/rule.js'
import { domainChain, MAX_DOMAIN_DEPTH, resolveDecider } from './resolver.js'
import type { DeciderAnswer, RegistrySource } from './types.js'
import { namedVia, type NamedViaStep } from './via-names.js'

export type NextUpStep =
  | { kind: 'domain', domainId: string, name: string, resolution: 'clear' | 'ambiguous' | 'absent' }
  | { kind: 'reports-to', personId: string, name: string, managerId: string, managerName: string }

export interface NextUp {
  personId: string
  name: string
  reason: 'domain-above' | 'common-manager' | 'role-holders-manager'
  summary: string
  via: NamedViaStep[]
  path: NextUpStep[]
}

const nameOf = (source: RegistrySource, personId: string): string => source.person(personId)?.name ?? personId

/** The domains above the level whose A's gave the answer, nearest first; empty when no level has any. */
function domainsAbove (source: RegistrySource, answer: DeciderAnswer, at: string): string[] {
  const { target } = answer
  const hasA = (domainId: string): boolean => source.holders({ kind: 'domain', id: domainId }, 'A', at).length > 0
  if (target.kind === 'initiative') {
    const chain = domainChain(source, source.initiative(target.id)?.domainId ?? null)
    if (source.holders(target, 'A', at).length > 0) return chain
    const level = chain.findIndex(hasA)
    return level < 0 ? [] : chain.slice(level + 1)
  }
  const chain = domainChain(source, target.id)
  const level = chain.findIndex(hasA)
  return level < 0 ? [] : chain.slice(level + 1)
}

/** The decider of the nearest domain above the answer's level whose own A's give a clear answer. */
function domainAbove (source: RegistrySource, answer: DeciderAnswer, at: string): NextUp | null {
  const path: NextUpStep[] = []
  for (const domainId of domainsAbove(source, answer, at)) {
    if (source.holders({ kind: 'domain', id: domainId }, 'A', at).length === 0) continue
    const above = resolveDecider(source, { kind: 'domain', id: domainId }, at)
    const domainName = source.domain(domainId)?.name ?? domainId
    // A level with an A resolves as clear, ambiguous or absent, never none.
    path.push({ kind: 'domain', domainId, name: domainName, resolution: above.resolution as 'clear' | 'ambiguous' | 'absent' })
    const [decider] = above.deciders
    if (above.resolution === 'clear' && decider !== undefined) {
      return {
        personId: decider.personId,
        name: decider.name,
        reason: 'domain-above',
        summary: `${decider.name} decides the ${domainName} domain, the nearest above with a decider who can act`,
        via: namedVia(source, decider.via),
        path
      }
    }
  }
  return null
}

/** The person and their managers upwards (people.managerId), a loop cut where it closes. */
function reportingLine (source: RegistrySource, personId: string): string[] {
  const line = [personId]
  for (let m = source.person(personId)?.managerId ?? null; m !== null && !line.includes(m) && line.length < MAX_DOMAIN_DEPTH; m = source.person(m)?.managerId ?? null) {
    line.push(m)
  }
  return line
}

/**
 * The nearest person active at `at` who is in the reporting line of every one of the people — one of them, if the
 * others report to them, unless `above` asks for a manager of all of them — with the links followed from each of
 * them up to that person.
 */
function commonManager (source: RegistrySource, personIds: readonly string[], at: string, above = false): { personId: string, name: string, path: NextUpStep[] } | null {
  const lines = personIds.map((id) => reportingLine(source, id))
  const common = lines[0]?.find((id) => !(above && personIds.includes(id)) && lines.every((line) => line.includes(id)) && source.statusAt(id, at) === 'active')
  if (common === undefined) return null
  const path: NextUpStep[] = []
  const linked = new Set<string>()
  for (const line of lines) {
    for (let i = 0; line[i] !== common; i++) {
      const personId = line[i]!
      if (linked.has(personId)) break
      linked.add(personId)
      const managerId = line[i + 1]!
      path.push({ kind: 'reports-to', personId, name: nameOf(source, personId), managerId, managerName: nameOf(source, managerId) })
    }
  }
  return { personId: common, name: nameOf(source, common), path }
}

/** The deciders' nearest active common manager. */
function deciderManager (source: RegistrySource, personIds: readonly string[], at: string): NextUp | null {
  const common = commonManager(source, personIds, at)
  if (common === null) return null
  const others = personIds.filter((id) => id !== common.personId).map((id) => nameOf(source, id))
  return { ...common, reason: 'common-manager', summary: `${common.name} is the nearest active manager of ${names(others)}`, via: [] }
}

const ROLE_WORDS = { R: 'Responsible', C: 'Consulted', I: 'Informed' } as const

/**
 * For an answer with no A anywhere up the tree: the nearest active manager above everyone Responsible for the target
 * (on it or on a domain it sits in), else everyone Consulted, else Informed — the person to name who is Accountable.
 */
function roleHoldersManager (source: RegistrySource, answer: DeciderAnswer, at: string): NextUp | null {
  const { target } = answer
  const levels = target.kind === 'initiative'
    ? [target, ...domainChain(source, source.initiative(target.id)?.domainId ?? null).map((id) => ({ kind: 'domain' as const, id }))]
    : domainChain(source, target.id).map((id) => ({ kind: 'domain' as const, id }))
  for (const role of ['R', 'C', 'I'] as const) {
    const holders = [...new Set(levels.flatMap((level) => source.holders(level, role, at).map((a) => a.personId)))]
    if (holders.length === 0) continue
    const common = commonManager(source, holders, at, true)
    if (common === null) return null
    const held = names(holders.map((id) => nameOf(source, id)))
    return {
      ...common,
      reason: 'role-holders-manager',
      summary: `${common.name} is the nearest active manager of ${held}, ${ROLE_WORDS[role]} for it, and can name who is Accountable`,
      via: []
    }
  }
  return null
}

/**
 * Who the question escalates to: for absent, the domain above (else the absent deciders' common manager); for
 * ambiguous, the deciders' common manager (else the domain above); for none (no A anywhere up the tree), the nearest
 * manager above the people who hold its other roles; null for clear, or when there is nobody.
 */
export function nextUp (source: RegistrySource, answer: DeciderAnswer): NextUp | null {
  const at = answer.at
  switch (answer.resolution) {
    case 'absent':
      return domainAbove(source, answer, at) ?? deciderManager(source, answer.absent.map((a) => a.personId), at)
    case 'ambiguous':
      return deciderManager(source, answer.deciders.map((d) => d.personId), at) ?? domainAbove(source, answer, at)
    case 'none':
      return roleHoldersManager(source, answer, at)
    default:
      return null
  }
}
