// `whodecides who INITIATIVE [--at TIME]`: who decides, in the answer's own sentence, then its caveats, who is next up
// when nobody (or more than one) can decide, and the path that led there — each step by name, not only by id.
import type { Command } from 'commander'
import { dateWords } from '../../audit/rule.js'
import type { InitiativeDecider } from '../../schemas/deciders.js'
import { Output } from '../output.js'
import { parseTime } from '../options.js'
import { globalsOf, withTarget } from '../target.js'

type Step = InitiativeDecider['deciders'][number]['via'][number]

const STATUS_WORDS: Record<string, string> = { active: 'active', on_leave: 'on leave', departed: 'departed', retired: 'retired' }

/** One line per step of a path. */
function stepLine (step: Step): string {
  if (step.kind === 'assignment') {
    return step.level === 'initiative' || step.domainId === null
      ? `assignment ${step.id}: Accountable for the initiative itself`
      : `assignment ${step.id}: Accountable for the ${step.domainName ?? step.domainId} domain (${step.domainId})`
  }
  const until = step.validTo === null ? 'open-ended' : `until ${dateWords(step.validTo)}`
  return `delegation ${step.id}: ${step.fromName} hands the decision to ${step.toName}, ${until}`
}

/** The path: each decider and how they came to decide, or who cannot act. */
export function pathLines (answer: InitiativeDecider): string[] {
  if (answer.resolution === 'none') return ['no Accountable assignment on the initiative or on any domain above it']
  const lines: string[] = []
  for (const d of answer.deciders) {
    lines.push(`${d.name} (${d.personId})`)
    for (const step of d.via) lines.push(`  ${stepLine(step)}`)
  }
  for (const a of answer.absent) lines.push(`${a.name} (${a.personId}): ${STATUS_WORDS[a.status] ?? a.status}, cannot act`)
  return lines
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
  if (next === null) return ['nobody: no domain above has a decider who can act, and no manager is common to those in question']
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
      const answer = await withTarget(globals, { mustExist: true }, async (target) => await target.decider(initiativeId, options.at))
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
      for (const line of pathLines(answer)) out.line(`  ${line}`)
    })
}
