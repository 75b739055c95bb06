// The report page's findings: those that need attention in groups by root cause, each group with its count and what
// to do; then those accepted by a waiver; then (with history) those resolved since the last audit.
import type { Rule } from '../audit/rule.js'
import { count, html, type Markup } from './html-text.js'
import type { RecordNames, ReportFinding, ReportGroup } from './names.js'

/** "multiple-final-deciders" → "Multiple final deciders". */
export const ruleTitle = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1).replaceAll('-', ' ')

/** The records a finding names, subject first, each once, by name. */
function involved (names: RecordNames, f: ReportFinding): Markup {
  const refs = [f.subject, ...f.related].filter((r, i, all) => all.findIndex((x) => x.kind === r.kind && x.id === r.id) === i)
  return html`<span class="muted">Involves ${refs.map((r, i) => html`${i === 0 ? '' : ', '}<strong>${names.label(r)}</strong> (${r.kind})`)}.</span>`
}

/** What a group's reader should do: its findings' one next step when they share it, else each rule's advice. */
function groupAdvice (group: ReportGroup, catalogue: readonly Rule[]): { advice: Markup, each: boolean } {
  const steps = new Set(group.findings.map((f) => f.remediation))
  if (steps.size === 1) return { advice: html`<p class="advice"><strong>What to do:</strong> ${[...steps][0]}.</p>`, each: false }
  const ruleIds = [...new Set(group.findings.map((f) => f.ruleId))]
  const advice = ruleIds.map((id) => {
    const rule = catalogue.find((r) => r.id === id)
    return rule === undefined ? '' : html`<p class="advice"><strong>What to do${ruleIds.length > 1 ? html` (${ruleTitle(id)})` : ''}:</strong> ${rule.remediation}</p>`
  })
  return { advice: html`${advice}`, each: true }
}

function findingItem (names: RecordNames, f: ReportFinding, withStep: boolean): Markup {
  const state = f.state === 'new' ? html`<span class="badge state-new">new</span> ` : ''
  const step = withStep ? html` <span class="next-step"><strong>Next step:</strong> ${f.remediation}.</span>` : ''
  return html`<li>${state}<span class="badge sev-${f.severity}">${ruleTitle(f.ruleId)}</span> ${f.message}. ${involved(names, f)}${step}</li>`
}

function groupSection (names: RecordNames, group: ReportGroup, n: number, catalogue: readonly Rule[]): Markup {
  const { advice, each } = groupAdvice(group, catalogue)
  const shown = group.findings.length
  return html`<section class="group sev-${group.severity}" id="group-${n}">
<h3>${names.label(group.key)} <span class="muted">(${group.key.kind})</span><span class="badge sev-${group.severity}">${group.severity}</span> <span class="muted">${count(group.count, 'finding')}</span></h3>
${advice}
<ul class="findings">${group.findings.map((f) => findingItem(names, f, each))}</ul>${shown < group.count ? html`<p class="muted">…and ${group.count - shown} more.</p>` : ''}</section>`
}

/**
 * The findings that hold, grouped by the record each is about (its subject): worst severity first, then the largest
 * group. Subject is the grouping a leadership audience reads as a root cause: the retired founder who steers five
 * initiatives is one person to talk to, one group of five; by rule would mix unrelated people under one heading, and
 * by person would repeat a finding under every person it names (both deciders of one initiative, say).
 */
export function findingsSection (names: RecordNames, groups: readonly ReportGroup[], findings: readonly ReportFinding[], catalogue: readonly Rule[]): Markup {
  const waived = findings.filter((f) => f.state !== 'resolved' && f.waived != null)
  const open = groups.reduce((n, g) => n + g.count, 0)
  return html`<section id="findings"><h2>Findings by root cause</h2>
${groups.length === 0
    ? html`<p>${waived.length === 0 ? 'No rule found anything to fix.' : 'Nothing needs attention: every finding is accepted by a waiver.'}</p>`
    : html`<p>${count(open, 'finding')} ${open === 1 ? 'needs' : 'need'} attention, about ${count(groups.length, 'record')}: each group is one person, initiative or record to act on, the worst and the largest first.</p>
${groups.map((g, i) => groupSection(names, g, i + 1, catalogue))}`}
${waived.length === 0 ? '' : html`<h3 id="waived">Accepted by a waiver</h3>
<ul class="findings">${waived.map((f) => html`<li class="waived"><span class="badge state-waived">waived</span> ${f.message}. ${involved(names, f)} <span class="waiver">Waived: ${f.waived!.reason}</span></li>`)}</ul>`}</section>`
}

export function resolvedSection (names: RecordNames, findings: readonly ReportFinding[]): Markup {
  const resolved = findings.filter((f) => f.state === 'resolved')
  return html`<section id="resolved"><h2>Resolved since the last audit</h2>
${resolved.length === 0 ? html`<p>Nothing was resolved since the last audit of the same scope.</p>`
    : html`<ul class="findings">${resolved.map((f) => html`<li><span class="badge sev-${f.severity}">${f.ruleId}</span> ${f.message}. ${involved(names, f)}</li>`)}</ul>`}</section>`
}
