// "Who decides?" in one sentence a manager can read: the words of an answer, its caveats counted, its time in words.
import type { DecisionRule, DelegationKind, PersonStatus } from '../../db/schema.js'
import { dateWords, names, statusWord } from '../audit/rule.js'
import type { Resolution } from './types.js'

/** A step of a decider's path, with the names the sentence uses. */
export type NamedStep =
  | { kind: 'assignment', level: 'initiative' | 'domain', domainId: string | null, domainName: string | null }
  | { kind: 'delegation', from: string, fromName: string, validTo: string | null, delegationKind: DelegationKind }

export interface WordedAnswer {
  decisionRule: DecisionRule
  resolution: Resolution
  deciders: readonly { name: string, via: readonly NamedStep[] }[]
  absent: readonly { personId: string, name: string, status: PersonStatus }[]
}

/** What the sentence needs besides the answer. */
export interface Wording {
  /** The target as the sentence names it: "'Roll out a CRM'", or "the Sales domain". */
  title: string
  /** A domain asked about directly: its id (an A held on it is "its" A); null for an initiative. */
  domainId: string | null
  /** The time asked for, or undefined: the answer is for now. */
  asked: string | undefined
  /** The time asked for is before now: the sentence is in the past tense. */
  past: boolean
  /** The person's status at the time answered. */
  statusAt: (personId: string) => PersonStatus
  /** Whether the person has a delegation valid at the time answered whose scope covers the target. */
  delegates: (personId: string) => boolean
  /** The summaries of the caveats that count (not waived), first first. */
  caveats: readonly string[]
}

/** Present or past tense of the verbs the sentences use. */
const TENSES = {
  present: { decides: 'decides', decide: 'decide', is: 'is', are: 'are', has: 'has', can: 'can', may: 'may', must: 'must', cannot: 'cannot', stands: 'stands' },
  past: { decides: 'decided', decide: 'decided', is: 'was', are: 'were', has: 'had', can: 'could', may: 'could', must: 'had to', cannot: 'could not', stands: 'stood' }
} as const

type Tense = typeof TENSES.present | typeof TENSES.past

/** A delegation of a path as its words need it. */
export interface DelegationStep { delegationKind: DelegationKind, fromName: string, toName: string, validTo: string | null }

/** ", until 1 April 2026", or nothing for a delegation without an end. */
const untilWords = (validTo: string | null | undefined): string => validTo === null || validTo === undefined ? '' : `, until ${dateWords(validTo)}`

/**
 * Why the delegator does not decide: a transfer's delegator "has handed it over" (whatever their status: a transfer
 * holds while they are at their desk too); a deputy's "is on leave" (a deputy stands in only while they cannot act).
 * `status` undefined: not known to the caller ("is away").
 */
function delegatorWords (kind: DelegationKind, status: PersonStatus | undefined, v: Tense): string {
  if (kind === 'transfer') return `who ${v.has} handed it over`
  return `who ${v.is} ${status === undefined ? 'away' : statusWord(status)}`
}

/**
 * One delegation of a path in words, as the summary says it: a deputy "Grace Hopper stands in for Ada Lovelace, who
 * is on leave, until 1 April 2026"; a transfer "Ada Lovelace has handed the decision over to Grace Hopper, until
 * 1 April 2026". `fromStatus`: the delegator's status at the time answered, if known; `past`: that time has passed.
 */
export function delegationWords (step: DelegationStep, fromStatus: PersonStatus | undefined, past: boolean): string {
  const v = past ? TENSES.past : TENSES.present
  return step.delegationKind === 'transfer'
    ? `${step.fromName} ${v.has} handed the decision over to ${step.toName}${untilWords(step.validTo)}`
    : `${step.toName} ${v.stands} in for ${step.fromName}, ${delegatorWords('deputy', fromStatus, v)}${untilWords(step.validTo)}`
}

/** How the assignment at the start of a path makes its holder a decider. */
function heldAs (step: NamedStep | undefined, wording: Wording): string {
  if (step?.kind !== 'assignment' || step.level === 'initiative' || step.domainId === null) return 'as its Accountable'
  if (step.domainId === wording.domainId) return 'as its Accountable'
  return `as Accountable for the ${step.domainName ?? step.domainId} domain`
}

/** Why one decider decides: the assignment they hold, or whose decision they hold by delegation and until when. */
function reason (via: readonly NamedStep[], wording: Wording, v: Tense): string {
  const delegations = via.filter((s) => s.kind === 'delegation')
  const first = delegations[0]
  if (first === undefined) return `, ${heldAs(via[0], wording)}`
  const ends = delegations.map((d) => d.validTo).filter((t) => t !== null).sort()[0]
  return ` for ${first.fromName}, ${delegatorWords(first.delegationKind, wording.statusAt(first.from), v)}${untilWords(ends)}`
}

/** The caveats that count, added to a clear answer. */
function caveatWords (caveats: readonly string[]): string {
  if (caveats.length === 0) return ''
  return caveats.length === 1 ? `; 1 caveat: ${caveats[0]!}` : `; ${caveats.length} caveats, the first: ${caveats[0]!}`
}

/**
 * The answer in one sentence, ending with a full stop. Dates are in words (dateWords: en-GB, UTC); an answer for
 * now says "now", one for a time asked says "on 3 March 2026" (in the past tense when that time has passed).
 */
export function summaryOf (answer: WordedAnswer, wording: Wording): string {
  const v = wording.past ? TENSES.past : TENSES.present
  const title = wording.title
  const on = wording.asked === undefined ? '' : ` on ${dateWords(wording.asked)}`
  const when = wording.asked === undefined ? 'now' : `on ${dateWords(wording.asked)}`
  const who = answer.deciders.map((d) => d.name)
  switch (answer.resolution) {
    case 'clear': {
      const [only] = answer.deciders
      let words: string
      if (answer.deciders.length === 1 && only !== undefined) {
        const rule = answer.decisionRule === 'single' ? '' : ` (decision rule: ${answer.decisionRule})`
        words = `${only.name} ${v.decides} ${title}${on}${reason(only.via, wording, v)}${rule}`
      } else {
        words = answer.decisionRule === 'unanimous'
          ? `${names(who)} ${v.decide} ${title}${on} together: all of them ${v.must} agree`
          : `Any one of ${who.slice(0, -1).join(', ')} or ${who[who.length - 1]!} ${v.may} decide ${title}${on}`
      }
      return `${words}${caveatWords(wording.caveats)}.`
    }
    case 'ambiguous':
      return `Nobody clearly ${v.decides} ${title} ${when}: ${names(who)} ${v.are} ${who.length === 2 ? 'both' : 'all'} Accountable, where its rule asks for one.`
    case 'absent': {
      if (answer.absent.length === 1) {
        const [a] = answer.absent
        const deputy = wording.delegates(a!.personId) ? `no deputy who ${v.can} act` : 'no deputy'
        return `Nobody ${v.can} decide ${title} ${when}: ${a!.name}, its decider, ${v.is} ${statusWord(a!.status)} and ${v.has} ${deputy}.`
      }
      const away = answer.absent.map((a) => `${a.name} (${statusWord(a.status)})`)
      return `Nobody ${v.can} decide ${title} ${when}: its deciders ${names(away)} ${v.cannot} act, and none of them ${v.has} a deputy who can.`
    }
    case 'none':
      return `Nobody ${v.decides} ${title}${on}: nobody ${v.is} Accountable for it or for any domain above it.`
  }
}
