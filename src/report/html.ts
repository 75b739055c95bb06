// The audit report a change agent hands to leadership: one self-contained HTML page (inline style, no scripts, no
// external assets, printable) — the summary in words, the findings grouped by root cause with what to do, the RACI
// matrix with its problem cells, and the lines of authority as an SVG picture.
import type { AuditScope } from '../audit/engine.js'
import { names as wordList, type Rule } from '../audit/rule.js'
import { rules as allRules } from '../audit/rules/index.js'
import type { ReadModel } from '../registry/read-model.js'
import type { InitiativeRecord, Resolution, Severity } from '../registry/types.js'
import { authorityPictures, renderSvg } from './authority-graph.js'
import { count, html, trusted, type Markup } from './html-text.js'
import { domainPath, raciGrids, type Grid, type GridCell, type Mark } from './matrix.js'
import { findingsSection, resolvedSection } from './html-findings.js'
import { RecordNames, type ReportFinding, type ReportGroup } from './names.js'
import { PAGE_STYLE } from './page-style.js'

/** The run a report is about: a stored run (with its id), or an audit of a file. */
export interface ReportRun {
  id?: string
  at: string
  scope: AuditScope
  /** Findings that hold, by severity, waived ones not counted. */
  counts: Record<Severity, number>
  new: number
  persisting: number
  resolved: number
  waived: number
}

export interface ReportInput {
  /** The registry at the run's time. */
  model: ReadModel
  run: ReportRun
  /** The run's findings: those that hold and, with history, those resolved since the previous run. */
  findings: readonly ReportFinding[]
  /**
   * The findings that hold and are not waived, grouped by subject and ranked as src/services/finding-groups.ts groups
   * them (the one grouping of findings; src/services/audit-report.ts asks it).
   */
  groups: readonly ReportGroup[]
  rules?: readonly Rule[]
  /** What was audited, when not the registry (a file's name). */
  source?: string
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info']
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 }

/** A run's totals from its findings, for an audit that stored none (an audit of a file). */
export function summarizeFindings (findings: readonly ReportFinding[], at: string, scope: AuditScope = null): ReportRun {
  const run: ReportRun = { at, scope, counts: { error: 0, warning: 0, info: 0 }, new: 0, persisting: 0, resolved: 0, waived: 0 }
  for (const f of findings) {
    if (f.state !== undefined) run[f.state]++
    if (f.state === 'resolved') continue
    if (f.waived != null) run.waived++
    else run.counts[f.severity]++
  }
  return run
}

/** The live initiatives the run's scope covers, in id order. */
export function scopedInitiatives (model: ReadModel, scope: AuditScope): readonly InitiativeRecord[] {
  const live = model.liveInitiatives()
  if (scope === null) return live
  if ('initiativeIds' in scope) { const ids = new Set(scope.initiativeIds); return live.filter((i) => ids.has(i.id)) }
  const domains = model.domainSubtree(scope.domainId)
  return live.filter((i) => i.domainId !== null && domains.has(i.domainId))
}

function scopeWords (model: ReadModel, scope: AuditScope): string {
  if (scope === null) return 'the whole registry'
  if ('domainId' in scope) return `the domain ${domainPath(model, scope.domainId)} and everything under it`
  return count(scope.initiativeIds.length, 'chosen initiative')
}

function summary (model: ReadModel, run: ReportRun, initiatives: readonly InitiativeRecord[], withHistory: boolean, where: string): Markup {
  const by: Record<Resolution, number> = { clear: 0, ambiguous: 0, none: 0, absent: 0 }
  for (const i of initiatives) by[model.decider(i.id).resolution]++
  const haves = [
    `${by.clear} ${by.clear === 1 ? 'has' : 'have'} a clear final decider`,
    `${by.ambiguous} ${by.ambiguous === 1 ? 'has' : 'have'} two or more people who each think they decide`,
    `${by.none} ${by.none === 1 ? 'has' : 'have'} no final decider at all`,
    `${by.absent} ${by.absent === 1 ? 'has' : 'have'} a final decider who is away, with no one standing in`
  ]
  const holding = SEVERITIES.map((s) => count(run.counts[s], s === 'info' ? 'note' : s))
  return html`<section id="summary"><h2>In short</h2>
<p class="lead">Of ${count(initiatives.length, 'live initiative')} in ${where}, ${wordList(haves)}.</p>
<p>${wordList(holding)} need attention${run.waived > 0 ? html`; ${count(run.waived, 'more finding')} ${run.waived === 1 ? 'is' : 'are'} accepted by a waiver` : ''}.
${withHistory ? html` Since the last audit of the same scope, ${count(run.new, 'finding')} ${run.new === 1 ? 'is' : 'are'} new and ${run.resolved} ${run.resolved === 1 ? 'was' : 'were'} resolved.` : ''}</p>
<table class="counts"><thead><tr><th>Who decides?</th><th>Initiatives</th></tr></thead><tbody>
<tr><td>Clear</td><td>${by.clear}</td></tr><tr><td>Two or more final deciders</td><td>${by.ambiguous}</td></tr>
<tr><td>No final decider</td><td>${by.none}</td></tr><tr><td>Decider away, no one standing in</td><td>${by.absent}</td></tr>
</tbody></table>
<table class="counts"><thead><tr><th>Severity</th><th>Findings</th></tr></thead><tbody>
${SEVERITIES.map((s) => html`<tr><td><span class="badge sev-${s}">${s}</span></td><td>${run.counts[s]}</td></tr>`)}
<tr><td>waived</td><td>${run.waived}</td></tr>${withHistory ? html`<tr><td>new since the last audit</td><td>${run.new}</td></tr><tr><td>resolved since the last audit</td><td>${run.resolved}</td></tr>` : ''}
</tbody></table></section>`
}

/** The worst mark's class, and the rules behind a problem cell, for its tooltip. */
function markClass (marks: readonly Mark[]): string {
  if (marks.length === 0) return ''
  if (marks.every((m) => m.waived)) return 'problem waived'
  const worst = marks.filter((m) => !m.waived).reduce((a, b) => RANK[b.severity] < RANK[a.severity] ? b : a)
  return `problem ${worst.severity}`
}
const markTitle = (marks: readonly Mark[]): string => marks.map((m) => `${m.ruleId}${m.waived ? ' (waived)' : ''}: ${m.message}`).join('\n')

function cell (names: RecordNames, c: GridCell | undefined): Markup {
  if (c === undefined) return html`<td></td>`
  const through = c.roles.filter((r) => c.through[r] !== undefined).map((r) => `${r} through domain ${names.label({ kind: 'domain', id: c.through[r]! })}`)
  const classes = [through.length === c.roles.length ? 'inherited' : '', markClass(c.marks)].filter((x) => x !== '').join(' ')
  const title = [markTitle(c.marks), ...through].filter((t) => t !== '').join('\n')
  return html`<td${classes === '' ? '' : html` class="${classes}"`}${title === '' ? '' : html` title="${title}"`}>${c.roles.join('/')}</td>`
}

function grid (names: RecordNames, g: Grid): Markup {
  const head = g.columns.map((p) => {
    const away = p.status === 'retired' || p.status === 'departed' ? 'gone' : p.status === 'on_leave' ? 'away' : ''
    return html`<th scope="col" class="${['person', away].filter((x) => x !== '').join(' ')}">${p.name}${p.status === 'active' ? '' : ` (${p.status.replace('_', ' ')})`}</th>`
  })
  const rows = g.rows.map((row) => html`<tr><th scope="row" class="${['initiative', markClass(row.marks)].filter((x) => x !== '').join(' ')}"${row.marks.length === 0 ? '' : html` title="${markTitle(row.marks)}"`}>${row.initiative.title}</th>${g.columns.map((p) => cell(names, row.cells.get(p.personId)))}</tr>`)
  return html`<h3>${g.label} <span class="muted">(${count(g.rows.length, 'initiative')}, ${count(g.columns.length, 'person', 'people')})</span></h3>
<div class="grid-wrap"><table class="grid"><thead><tr><th class="initiative">Initiative</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>`
}

function matrixSection (names: RecordNames, grids: readonly Grid[]): Markup {
  return html`<section id="matrix"><h2>The RACI matrix</h2>
<p>Who is Responsible, Accountable (the final decider), Consulted and Informed on each live initiative, one table per domain.
Roles in <em>italics</em> are held through the initiative's domain. Marked cells are what the findings are about; hover a cell to read the rule.</p>
<ul class="legend"><li><span class="cell-key problem error">A</span> an error</li><li><span class="cell-key problem warning">A</span> a warning</li>
<li><span class="cell-key problem info">A</span> a note</li><li><span class="cell-key problem waived">A</span> waived</li></ul>
${grids.length === 0 ? html`<p>No live initiatives in scope.</p>` : grids.map((g) => grid(names, g))}</section>`
}

function pictureSection (pictures: ReadonlyArray<{ label?: string, svg: string }>): Markup {
  const figure = (svg: string, label: string): Markup => html`<figure class="picture" role="img" aria-label="${label}">${trusted(svg)}</figure>`
  return html`<section id="authority"><h2>Lines of authority</h2>
<p>Who holds the final decision on which domains and initiatives, who handed authority to whom, and who steers from outside the record${pictures.some((p) => p.label !== undefined) ? ', one picture per top-level domain' : ''}.</p>
<ul class="legend"><li><span class="swatch decides"></span>Accountable: decides</li><li><span class="swatch delegates"></span>delegates authority</li>
<li><span class="swatch alarm"></span>a retired person, or a shareholder outside management, holding a role or steering</li><li><span class="swatch influence"></span>other observed influence</li></ul>
${pictures.length === 0 ? html`<p>No lines of authority in scope.</p>` : pictures.map((p) => p.label === undefined
    ? figure(p.svg, 'Lines of authority')
    : html`<h3>${p.label}</h3>${figure(p.svg, `Lines of authority: ${p.label}`)}`)}</section>`
}

/** The whole page, in the order a reader needs it: the summary, the findings, what was resolved, the matrix, the picture. */
export async function renderAuditHtml (input: ReportInput): Promise<string> {
  const { model, run, findings } = input
  const names = new RecordNames(model)
  const initiatives = scopedInitiatives(model, run.scope)
  const withHistory = findings.some((f) => f.state !== undefined)
  const pictures: Array<{ label?: string, svg: string }> = []
  for (const { label, graph } of authorityPictures(model, initiatives, names)) pictures.push({ label, svg: await renderSvg(graph) })
  const where = input.source ?? scopeWords(model, run.scope)
  const title = `Who decides: audit of ${where}`
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${trusted(PAGE_STYLE)}</style></head>
<body><header><h1>${title}</h1>
<p class="meta">The registry as it stood at ${run.at}${run.id === undefined ? '' : html`; audit run ${run.id}`}.</p></header>
<main>${summary(model, run, initiatives, withHistory, where)}
${findingsSection(names, input.groups, findings, input.rules ?? allRules)}
${withHistory ? resolvedSection(names, findings) : ''}
${matrixSection(names, raciGrids(model, initiatives, findings, names))}
${pictureSection(pictures)}</main>
<footer>Made by whodecides. Findings are judged against the registry's record; a waived finding was accepted by someone, for the reason shown.</footer>
</body></html>
`
  return page.value
}
