// `whodecides who INITIATIVE [--at TIME]`: who decides, in the answer's own sentence, then its caveats, who is next up
// when nobody (or more than one) can decide, and the path that led there — each step by name, not only by id.
import type { Command } from 'commander'
import type { PersonStatus } from '../../../db/schema.js'
import { now } from '../../clock.js'
import { delegationWords } from '../../registry/answer-words.js'
import type { InitiativeDecider } from '../../schemas/deciders.js'
import { Output } from '../output.js'
import { parseTime } from '../options.js'
import { globalsOf, withTarget, type Target } from '../target.js'

type Step = InitiativeDecider['deciders'][number]['via'][number]

const STATUS_WORDS: Record<string, string> = { active: 'active', on_leave: 'on leave', departed: 'departed', retired: 'retired' }

/** What the path's words need besides the answer: whether its time has passed, and delegators' statuses then. */
export interface PathContext {
  past: boolean
  /** The status at the answer's time of a deputy's delegator (the one a deputy stands in for); undefined if unknown. */
  statusOf: (personId: string) => PersonStatus | undefined
}

const NOW: PathContext = { past: false, statusOf: () => undefined }

/** One line per step of a path; a delegation in the summary's words for its kind (registry/answer-words.ts). */
function stepLine (step: Step, context: PathContext): string {
  if (step.kind === 'assignment') {
    return step.level === 'initiative' || step.domainId === null
      ? `assignment ${step.id}: Accountable for the initiative itself`
      : `assignment ${step.id}: Accountable for the ${step.domainName ?? step.domainId} domain (${step.domainId})`
  }
  return `${step.delegationKind} ${step.id}: ${delegationWords(step, context.statusOf(step.from), context.past)}`
}

/** The path: each decider and how they came to decide, or who cannot act. */
export function pathLines (answer: InitiativeDecider, context: PathContext = NOW): string[] {
  if (answer.resolution === 'none') return ['no Accountable assignment on the initiative or on any domain above it']
  const lines: string[] = []
  for (const d of answer.deciders) {
    lines.push(`${d.name} (${d.personId})`)
    for (const step of d.via) lines.push(`  ${stepLine(step, context)}`)
  }
  for (const a of answer.absent) lines.push(`${a.name} (${a.personId}): ${STATUS_WORDS[a.status] ?? a.status}, cannot act`)
  return lines
}

/** The deputies' delegators of the answer's paths, each with their status at its time, as the target has them. */
async function delegatorStatuses (target: Target, answer: InitiativeDecider): Promise<Map<string, PersonStatus>> {
  const ids = new Set(answer.deciders.flatMap((d) => d.via.flatMap((s) => s.kind === 'delegation' && s.delegationKind === 'deputy' ? [s.from] : [])))
  const statuses = new Map<string, PersonStatus>()
  for (const id of ids) {
    const person = await target.person(id, answer.at)
    if (person !== undefined) statuses.set(id, person.status)
  }
  return statuses
}

/** One line per caveat: severity, rule, what it says, and the waiver that accepts it. */
export function caveatLines (answer: InitiativeDecider): string[] {
  if (answer.caveats.length === 0) return ['none']
  return answer.caveats.map((c) => `${c.severity} ${c.ruleId}: ${c.summary}${c.waived === null ? '' : ` (waived: ${c.waived.reason})`}`)
}

/** Who the question goes to next, and the way there; undefined for a clear answer. */
export function nextUpLines (answer: InitiativeDecider): string[] | undefined {
  if (answer.resolution === 'clear') return undefined
  const next = answer.nextUp
  if (next === null) {
    return [answer.resolution === 'none'
      ? 'nobody: no one holds a role on it with an active manager above them to name who is Accountable'
      : 'nobody: no domain above has a decider who can act, and no manager is common to those in question']
  }
  const lines = [`${next.summary} (${next.personId})`]
  for (const step of next.path) {
    lines.push(step.kind === 'domain'
      ? `  domain ${step.domainId}: ${step.name}, ${step.resolution}`
      : `  ${step.name} reports to ${step.managerName}`)
  }
  return lines
}

export function registerWho (program: Command): void {
  program.command('who')
    .description('who decides the initiative, in a sentence; then its caveats, who is next up, and the path that led there')
    .argument('<initiative>', 'the initiative\'s id')
    .option('--at <time>', 'the time to answer for (ISO-8601, e.g. 2026-03-03T09:00:00Z, or a date); default now', parseTime)
    .action(async (initiativeId: string, options: { at?: string }, command: Command) => {
      const globals = globalsOf(command)
      const { answer, statuses } = await withTarget(globals, { mustExist: true }, async (target) => {
        const answer = await target.decider(initiativeId, options.at)
        return { answer, statuses: await delegatorStatuses(target, answer) }
      })
      const out = new Output(globals)
      out.line(answer.summary)
      out.line()
      out.line(out.colors.bold('caveats'))
      for (const line of caveatLines(answer)) out.line(`  ${line}`)
      const next = nextUpLines(answer)
      if (next !== undefined) {
        out.line(out.colors.bold('next up'))
        for (const line of next) out.line(`  ${line}`)
      }
      out.line(out.colors.bold('path'))
      const context: PathContext = { past: options.at !== undefined && answer.at < now(), statusOf: (id) => statuses.get(id) }
      for (const line of pathLines(answer, context)) out.line(`  ${line}`)
    })
}
