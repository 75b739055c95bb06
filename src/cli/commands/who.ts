// `whodecides who INITIATIVE [--at TIME]`: who decides, in a sentence a manager can read, then the path that led
// there — the assignment, the domain it is inherited from, each delegation — by name, not only by id.
import type { Command } from 'commander'
import type { InitiativeDecider } from '../../schemas/deciders.js'
import { Output } from '../output.js'
import { parseTime } from '../options.js'
import { globalsOf, withTarget, type Target } from '../target.js'

type Step = InitiativeDecider['deciders'][number]['via'][number]

/** The names a sentence needs, looked up once each; an id stands for a record the target no longer knows. */
export interface Names {
  title: string
  person: (id: string) => string
  domain: (id: string) => string
}

const STATUS_WORDS: Record<string, string> = { active: 'active', on_leave: 'on leave', departed: 'departed', retired: 'retired' }

/** "A", "A and B", "A, B and C" (or "or"). */
function list (items: string[], last: 'and' | 'or' = 'and'): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1) ?? ''}`
}

/** How the assignment at the start of a path makes its holder a decider. */
function heldAs (step: Step | undefined, names: Names): string {
  if (step?.kind !== 'assignment') return 'as a decider'
  return step.level === 'initiative' || step.domainId === null
    ? 'as Accountable for the initiative itself'
    : `as Accountable for the ${names.domain(step.domainId)} domain (inherited)`
}

/** The reason one decider decides: the assignment, and whose delegation handed it on. */
function reason (via: Step[], names: Names): string {
  const delegation = via.find((s) => s.kind === 'delegation')
  const held = heldAs(via[0], names)
  return delegation === undefined ? held : `by delegation from ${names.person(delegation.from)}, who holds it ${held}`
}

/** What the answer says, without its time. */
function answerText (answer: InitiativeDecider, names: Names, when: string): string {
  const title = `'${names.title}'`
  const who = answer.deciders.map((d) => d.name)
  switch (answer.resolution) {
    case 'clear': {
      const [only] = answer.deciders
      if (answer.deciders.length === 1 && only !== undefined) {
        const rule = answer.decisionRule === 'single' ? '' : ` (decision rule: ${answer.decisionRule})`
        return `${only.name} decides ${title}, ${reason(only.via, names)}${rule}`
      }
      return answer.decisionRule === 'unanimous'
        ? `${list(who)} decide ${title} together: all of them must agree (decision rule: unanimous)`
        : `Any one of ${list(who, 'or')} may decide ${title} (decision rule: pool)`
    }
    case 'ambiguous':
      return `No one clearly decides ${title}: ${who.length} people hold the final decision (${list(who)}), where its rule asks for one`
    case 'absent': {
      const absent = answer.absent.map((a) => `${a.name} (${STATUS_WORDS[a.status] ?? a.status})`)
      return `No one can decide ${title} ${when}: ${answer.absent.length === 1 ? 'its decider' : 'its deciders'} ${list(absent)} cannot act, ` +
        'and no delegation reaches someone who can'
    }
    case 'none':
      return `No one decides ${title}: no one is Accountable for it or for a domain above it`
  }
}

/** The answer as one sentence; dated when a time was asked for. */
export function sentence (answer: InitiativeDecider, names: Names, asked: string | undefined): string {
  return asked === undefined ? `${answerText(answer, names, 'now')}.` : `At ${answer.at}: ${answerText(answer, names, 'then')}.`
}

/** One line per step of a path. */
function stepLine (step: Step, names: Names): string {
  if (step.kind === 'assignment') {
    return step.level === 'initiative' || step.domainId === null
      ? `assignment ${step.id}: Accountable for '${names.title}' itself`
      : `assignment ${step.id}: Accountable for the ${names.domain(step.domainId)} domain (${step.domainId}), inherited by '${names.title}'`
  }
  const until = step.validTo === null ? 'open-ended' : `until ${step.validTo}`
  return `delegation ${step.id}: ${names.person(step.from)} hands the decision to ${names.person(step.to)}, ${until}`
}

/** The path under the sentence: each decider and how they came to decide, or who cannot act. */
export function pathLines (answer: InitiativeDecider, names: Names): string[] {
  if (answer.resolution === 'none') return ['no Accountable assignment on the initiative or on any domain above it']
  const lines: string[] = []
  for (const d of answer.deciders) {
    lines.push(`${d.name} (${d.personId})`)
    for (const step of d.via) lines.push(`  ${stepLine(step, names)}`)
  }
  for (const a of answer.absent) lines.push(`${a.name} (${a.personId}): ${STATUS_WORDS[a.status] ?? a.status}, cannot act`)
  return lines
}

/** Looks up every name the answer's sentence and path use, once each. */
async function namesFor (target: Target, answer: InitiativeDecider, at: string | undefined): Promise<Names> {
  const people = new Map<string, string>()
  for (const d of [...answer.deciders, ...answer.absent]) people.set(d.personId, d.name)
  const personIds = new Set<string>()
  const domainIds = new Set<string>()
  for (const step of answer.deciders.flatMap((d) => d.via)) {
    if (step.kind === 'assignment' && step.domainId !== null) domainIds.add(step.domainId)
    if (step.kind === 'delegation') for (const id of [step.from, step.to]) if (!people.has(id)) personIds.add(id)
  }
  const domains = new Map<string, string>()
  const lookups = Promise.all([
    ...[...personIds].map(async (id) => { const p = await target.person(id, at); if (p !== undefined) people.set(id, p.name) }),
    ...[...domainIds].map(async (id) => { const d = await target.domain(id, at); if (d !== undefined) domains.set(id, d.name) })
  ])
  const [initiative] = await Promise.all([target.initiative(answer.initiativeId, at), lookups])
  return {
    title: initiative?.title ?? answer.initiativeId,
    person: (id) => people.get(id) ?? id,
    domain: (id) => domains.get(id) ?? id
  }
}

export function registerWho (program: Command): void {
  program.command('who')
    .description('who decides the initiative, in a sentence, then the path that led there')
    .argument('<initiative>', 'the initiative\'s id')
    .option('--at <time>', 'the time to answer for (ISO-8601, e.g. 2026-03-03T09:00:00Z, or a date); default now', parseTime)
    .action(async (initiativeId: string, options: { at?: string }, command: Command) => {
      const globals = globalsOf(command)
      const { answer, names } = await withTarget(globals, { mustExist: true }, async (target) => {
        const answer = await target.decider(initiativeId, options.at)
        return { answer, names: await namesFor(target, answer, options.at) }
      })
      const out = new Output(globals)
      out.line(sentence(answer, names, options.at))
      out.line()
      out.line(out.colors.bold('path'))
      for (const line of pathLines(answer, names)) out.line(`  ${line}`)
    })
}
