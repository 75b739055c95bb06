// The report page's one style sheet and the Content-Security-Policy that lets exactly it, and nothing else, apply.
import { createHash } from 'node:crypto'

export const PAGE_STYLE = `
:root { color-scheme: light; --error: #b00020; --warning: #9a5b00; --info: #1f5f8b; --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 1.7em; margin: 0 0 4px; } h2 { font-size: 1.3em; border-bottom: 2px solid var(--line); padding-bottom: 4px; margin-top: 2em; }
h3 { font-size: 1.05em; margin: 0 0 4px; } h4 { margin: 1.2em 0 4px; }
.meta, .muted { color: var(--muted); } .meta { margin: 0 0 16px; }
.lead { font-size: 1.1em; }
.counts { border-collapse: collapse; margin: 8px 0; } .counts td, .counts th { border: 1px solid var(--line); padding: 4px 12px; text-align: left; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: .8em; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.sev-error { color: var(--error); } .sev-warning { color: var(--warning); } .sev-info { color: var(--info); }
.group { border: 1px solid var(--line); border-left: 6px solid currentColor; border-radius: 6px; padding: 12px 16px; margin: 14px 0; break-inside: avoid-page; }
.group > * { color: #1f2328; } .group h3 .badge { margin-left: 6px; } .findings .badge { margin-right: 4px; }
.advice { background: #f6f8fa; border-radius: 4px; padding: 6px 10px; margin: 8px 0; }
.findings { margin: 8px 0 0; padding-left: 20px; } .findings li { margin: 4px 0; }
.findings li.waived { color: var(--muted); } .waiver { font-style: italic; }
.state-new { color: #0a7d32; } .state-waived { color: var(--muted); }
.grid-wrap { overflow-x: auto; max-width: 100%; border: 1px solid var(--line); margin: 6px 0 18px; }
table.grid { border-collapse: collapse; font-size: .85em; }
.grid th, .grid td { border: 1px solid var(--line); padding: 2px 6px; text-align: center; min-width: 2.2em; }
.grid thead th { vertical-align: bottom; background: #f6f8fa; position: sticky; top: 0; }
.grid thead th.person { writing-mode: vertical-rl; transform: rotate(180deg); text-align: left; max-height: 14em; white-space: nowrap; font-weight: 600; }
.grid th.initiative { text-align: left; font-weight: 500; min-width: 16em; position: sticky; left: 0; }
.grid th.initiative:not(.problem) { background: #fff; }
.grid th.person.gone, .grid th.person.away { color: var(--error); }
.grid td.inherited { font-style: italic; } .grid td.inherited:not(.problem) { color: var(--muted); }
.problem { background: #ffc7ce; color: #9c0006; font-weight: 700; }
.problem.warning { background: #ffeb9c; color: #7a4f00; }
.problem.info { background: #ddebf7; color: #1f4e79; }
.problem.waived { background: #eeeeee; color: var(--muted); text-decoration: underline dotted; }
.problem::after { content: " !"; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: .85em; margin: 6px 0; padding: 0; list-style: none; }
.swatch { display: inline-block; width: 2.2em; height: 0; vertical-align: middle; margin-right: 6px; border-top: 3px solid; }
.swatch.decides { border-color: #1f4e79; } .swatch.delegates { border-color: #6a3d9a; border-top-style: dashed; }
.swatch.alarm { border-color: #d62728; border-top-width: 4px; } .swatch.influence { border-color: #8c8c8c; border-top-style: dotted; }
.cell-key { display: inline-block; padding: 0 6px; border: 1px solid var(--line); }
.picture { overflow: auto; max-width: 100%; border: 1px solid var(--line); padding: 8px; }
.picture svg { display: block; height: auto; }
footer { margin-top: 3em; font-size: .85em; color: var(--muted); }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  .grid-wrap, .picture { overflow: visible; border: 0; }
  .grid thead th, .grid th.initiative { position: static; }
  .picture svg { max-width: 100%; }
  h2 { break-before: auto; break-after: avoid; } tr, .group { break-inside: avoid; }
}
`

/** What the page may load: its own style sheet (by hash), nothing else; no scripts, no framing. */
export const REPORT_CSP = [
  "default-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
  `style-src 'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`
].join('; ')
