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
  reason: 'domain-above' | 'common-manager'
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
 * The nearest person active at `at` who is in the reporting line of every one of the people (one of them, if the
 * others report to them), with the links followed from each of them up to that person.
 */
function commonManager (source: RegistrySource, personIds: readonly string[], at: string): NextUp | null {
  const lines = personIds.map((id) => reportingLine(source, id))
  const common = lines[0]?.find((id) => lines.every((line) => line.includes(id)) && source.statusAt(id, at) === 'active')
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
  const name = nameOf(source, common)
  const others = personIds.filter((id) => id !== common).map((id) => nameOf(source, id))
  return {
    personId: common,
    name,
    reason: 'common-manager',
    summary: `${name} is the nearest active manager of ${names(others)}`,
    via: [],
    path
  }
}

/**
 * Who the question escalates to: for absent, the domain above (else the absent deciders' common manager); for
 * ambiguous, the deciders' common manager (else the domain above); null for clear, and for none (no A anywhere up
 * the tree: nobody above to ask) or when there is nobody.
 */
export function nextUp (source: RegistrySource, answer: DeciderAnswer): NextUp | null {
  const at = answer.at
  switch (answer.resolution) {
    case 'absent':
      return domainAbove(source, answer, at) ?? commonManager(source, answer.absent.map((a) => a.personId), at)
    case 'ambiguous':
      return commonManager(source, answer.deciders.map((d) => d.personId), at) ?? domainAbove(source, answer, at)
    default:
      return null
  }
}
