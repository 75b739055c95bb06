// The report page: its sections, the summary in words, findings grouped by root cause with what to do, problem cells, the picture, and
// every user-written text escaped.
import t from 'tap'
import { graphLabel } from '../../src/report/authority-graph.js'
import { escapeHtml, html } from '../../src/report/html-text.js'
import { renderAuditHtml } from '../../src/report/html.js'
import { REPORT_CSP, PAGE_STYLE } from '../../src/report/page-style.js'
import { createHash } from 'node:crypto'
import { AT, registry } from '../audit/model-builder.js'
import { HOSTILE, reportCase } from './report-fixture.js'

t.test('escaping: every interpolated value is text; markup made here passes', async (t) => {
  t.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
  t.equal(html`<p title="${'"><b>'}">${['<i>', html`<b>ok</b>`, null, undefined, 3]}${false}</p>`.value, '<p title="&quot;&gt;&lt;b&gt;">&lt;i&gt;<b>ok</b>3</p>')
  t.equal(graphLabel('a\\N b'), 'a\\\\N b', 'a backslash is doubled, so \\N is not a Graphviz escape')
  t.equal(graphLabel('one two three four five six seven', 10), 'one two\\nthree four\\nfive six\\nseven', 'wrapped at words')
})

t.test('the page: sections in order, the summary in words, no scripts, no external assets', async (t) => {
  const c = reportCase()
  const page = await renderAuditHtml(c)
  t.match(page, /^<!doctype html>/)
  const at = (id: string): number => page.indexOf(`id="${id}"`)
  const order = ['summary', 'findings', 'resolved', 'matrix', 'authority'].map(at)
  t.ok(order.every((i) => i > 0), 'every section is there')
  t.strictSame([...order].sort((a, b) => a - b), order, 'summary first, then findings, resolved, matrix, picture')
  t.match(page, 'Of 5 live initiatives in the whole registry, 2 have a clear final decider, 1 has two or more people who each think they decide, 1 has no final decider at all and 1 has a final decider who is away, with no one standing in.')
  t.match(page, /1 finding is new and 1 was resolved|findings are new and 1 was resolved/)
  t.match(page, 'accepted by a waiver')
  t.notMatch(page, /<script/i, 'no script element, not even from a name')
  t.notMatch(page, /<img/i, 'no element from a name')
  // Attribute values are escaped text (a name may read 'src=x'): look at the attributes' names only.
  const tags = [...page.matchAll(/<[a-z][^>]*>/gi)].map((m) => m[0].replace(/"[^"]*"/g, '""'))
  t.ok(tags.length > 100, 'the page\'s tags, read')
  t.notOk(tags.some((tag) => /\s(src|href|xlink:href|srcset|data|action|poster)=/i.test(tag)), 'nothing loaded from anywhere')
  t.notOk(tags.some((tag) => /\son[a-z]+=/i.test(tag)), 'no event handler, not even from a name')
  t.notOk(/url\(|@import/i.test(page), 'the style sheet loads nothing either')
  t.notMatch(page, /<link/i)
  t.match(page, escapeHtml(HOSTILE), 'the hostile name is shown, as text')
  t.match(page, 'Founder &lt;hands over&gt; in June', 'a waiver\'s reason is shown, escaped')
  t.match(page, 'Inherits &lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;', 'an initiative title cannot close the matrix')
})

t.test('findings in groups by root cause: count, what to do, each finding\'s next step; waived and resolved apart', async (t) => {
  const c = reportCase()
  const page = await renderAuditHtml(c)
  const section = page.slice(page.indexOf('id="findings"'), page.indexOf('id="resolved"'))
  t.match(section, '<h2>Findings by root cause</h2>')
  t.match(section, '7 findings need attention, about 6 records')
  const heads = [...section.matchAll(/<section class="group sev-\w+" id="group-(\d+)">\n<h3>([^<]*) <span class="muted">\((\w+)\)<\/span><span class="badge sev-(\w+)">\w+<\/span> <span class="muted">(\d+ findings?)<\/span><\/h3>/g)]
  t.strictSame(heads.map((m) => [m[1], m[2], m[3], m[4], m[5]]), c.groups.map((g, i) => [String(i + 1), c.model.initiative(g.key.id)?.title ?? c.model.person(g.key.id)?.name,
    g.key.kind, g.severity, `${g.count} finding${g.count === 1 ? '' : 's'}`]).map((row) => row.map((v) => String(v).replaceAll('<', '&lt;').replaceAll('>', '&gt;'))),
  'one heading per group, in the order given: its record by name, its kind, its worst severity and its count')
  t.match(section, /id="group-1">\n<h3>Decider away [^]*?2 findings[^]*?<strong>What to do \(Absent decider\):<\/strong> Record a delegation[^]*?<strong>What to do \(No responsible\):<\/strong>/,
    'a group of two rules: each rule\'s advice')
  t.match(section, /id="group-1">[^]*?<span class="badge sev-error">Absent decider<\/span> No one can decide &quot;Decider away&quot;[^]*?Next step:<\/strong> Record a delegation from Cyd Away to an active deputy/,
    'and each finding with its own next step, naming the people')
  t.match(section, /<h3>Two deciders [^]*?1 finding<\/span><\/h3>\n<p class="advice"><strong>What to do:<\/strong> Make one of Dana Founder and [^<]+ Accountable for &quot;Two deciders&quot;/,
    'a group whose findings share one next step: said once, as what to do')
  t.notMatch(section.slice(section.indexOf('<h3>Two deciders'), section.indexOf('</section>', section.indexOf('<h3>Two deciders'))), 'Next step:', 'and not again')
  t.match(section, /<strong>Two deciders<\/strong> \(initiative\)/, 'initiatives by title')
  t.match(section, /<strong>Dana Founder<\/strong> \(person\)/, 'people by name')
  t.match(section, /<h3 id="waived">Accepted by a waiver<\/h3>\n<ul class="findings"><li class="waived"><span class="badge state-waived">waived<\/span>[^]*?Waived: Founder &lt;hands over&gt; in June/, 'the waived finding apart, with its reason')
  t.equal(section.match(/still holds Responsible on domain/g)?.length, 1, 'and in no group')
  t.match(page, /id="resolved"[^]*Nobody is Responsible for &quot;Two deciders&quot;/, 'the resolved finding')
  t.match(section, /<span class="badge state-new">new<\/span>/)
})

t.test('a group lists what it is given and says how many more it has', async (t) => {
  const c = reportCase()
  const [first, ...rest] = c.groups
  const page = await renderAuditHtml({ ...c, groups: [{ ...first!, count: 7 }, ...rest] })
  t.match(page, /id="group-1">\n<h3>Decider away [^]*?7 findings[^]*?<p class="muted">…and 5 more\.<\/p><\/section>/)
})

t.test('everything waived: nothing needs attention, said so', async (t) => {
  const c = reportCase()
  const findings = c.findings.map((f) => ({ ...f, waived: { waiverId: 'w', reason: 'agreed' } }))
  const page = await renderAuditHtml({ ...c, findings, groups: [] })
  t.match(page, 'Nothing needs attention: every finding is accepted by a waiver.')
  t.notMatch(page, 'class="group')
})

t.test('the matrix: one grid per domain, roles through domains in italics, problem cells marked with their rule', async (t) => {
  const page = await renderAuditHtml(reportCase())
  const matrix = page.slice(page.indexOf('id="matrix"'), page.indexOf('id="authority"'))
  t.equal(matrix.match(/<table class="grid">/g)?.length, 3, 'Commercial › Pricing, Hiring and the initiatives without a domain')
  t.match(matrix, 'Commercial › Pricing &amp; &quot;Offers&quot;')
  t.ok(matrix.indexOf('Without a domain') > matrix.indexOf('Hiring'), 'those without a domain last')
  t.match(matrix, /<td class="problem error" title="multiple-final-deciders: [^"]*">A<\/td>/, 'both A cells of the row with two deciders')
  t.equal(matrix.match(/title="multiple-final-deciders/g)?.length, 2)
  t.match(matrix, /<th scope="row" class="initiative problem error" title="no-final-decider: [^"]*">Nobody decides<\/th>/, 'a row without an A is marked whole')
  t.match(matrix, /<td class="problem error" title="absent-decider: [^"]*">A<\/td>/, 'the absent decider\'s cell')
  t.match(matrix, /<td class="inherited problem waived" title="retired-influence \(waived\): [^"]*R through domain Commercial">R<\/td>/, 'the retired founder\'s role, waived, held through Commercial')
  t.match(matrix, /<th scope="col" class="person gone">Frank Founder \(retired\)<\/th>/)
  t.match(matrix, /<td class="inherited problem warning" title="retired-influence: Frank Founder [^"]*\nA through domain Commercial">A<\/td>/,
    'the daughter\'s A, held through Commercial, steered by her retired father')
  t.match(matrix, /<td class="problem warning" title="shareholder-overreach: [^"]*">C<\/td>/, 'the shareholder\'s cell')
  t.match(matrix, /<td>R<\/td>/, 'a cell without a problem')
})

t.test('the picture: Graphviz SVG inline, clusters by domain, influence in the alarm colour, names escaped', async (t) => {
  const page = await renderAuditHtml(reportCase())
  const picture = page.slice(page.indexOf('id="authority"'))
  t.match(picture, /<figure class="picture" role="img" aria-label="Lines of authority"><svg /)
  t.notMatch(picture, /<\?xml|<!DOCTYPE/, 'no XML prologue inside the page')
  t.equal(picture.match(/class="cluster"/g)?.length, 3, 'Commercial with Pricing inside, and Hiring')
  t.match(picture, /stroke="#d62728"/, 'retired and shareholder influence drawn in red')
  t.match(picture, /stroke-dasharray/, 'a delegation, dashed')
  t.match(picture, 'Frank Founder')
  t.match(picture, '&lt;script&gt;', 'a name in the picture is text')
  t.match(picture, '\\N', 'a backslash in a name is shown as written')
})

t.test('the picture raises the alarm for the retired and for shareholders outside management, not for an owner who runs the firm', async (t) => {
  const model = registry()
    .person('olga', { name: 'Olga Owner', tags: ['shareholder', 'executive'], stakePercent: 60 })
    .person('sam', { name: 'Sam Silent', tags: ['shareholder'], stakePercent: 30 })
    .person('rita', { name: 'Rita Retired' }).status('rita', 'retired', '2024-01-01T00:00:00.000Z')
    .person('ken', { name: 'Ken Keen' })
    .initiative('plant', { title: 'Second plant', domainId: null })
    .assign('olga', 'A', { initiative: 'plant' })
    .assign('ken', 'R', { initiative: 'plant' })
    .influence('sam', { over: 'olga', strength: 'high' })
    .influence('rita', { initiative: 'plant', strength: 'low' })
    .model(AT)
  const page = await renderAuditHtml({ model, findings: [], groups: [], run: { at: AT, scope: null, counts: { error: 0, warning: 0, info: 0 }, new: 0, persisting: 0, resolved: 0, waived: 0 } })
  const node = (name: string): string => page.match(new RegExp(`<g id="[^"]*" class="node">(?:(?!</g>)[^])*?${name}[^]*?</g>`))?.[0] ?? ''
  t.match(node('Olga Owner'), '(shareholder)', 'the owner is labelled a shareholder')
  t.notMatch(node('Olga Owner'), '#d62728', 'but drawn as any decider')
  t.match(node('Sam Silent'), /stroke="#d62728"/, 'a shareholder outside management stands out')
  t.match(node('Rita Retired'), /stroke="#d62728"/, 'so does a retired person')
  t.notMatch(node('Ken Keen'), '#d62728')
  const edges = [...page.matchAll(/<g id="[^"]*" class="edge">[^]*?<\/g>/g)].map((m) => m[0])
  t.ok(edges.some((e) => e.includes('steers (high)') && e.includes('stroke="#d62728"')), 'the shareholder steering the owner, in red')
  t.ok(edges.some((e) => e.includes('steers (low)') && e.includes('stroke="#d62728"')), 'the retired person steering the initiative, in red')
  t.notOk(edges.some((e) => e.includes('influence (')), 'no influence drawn as ordinary here')
})

t.test('a run without history (an audit of a file) says nothing about new and resolved', async (t) => {
  const c = reportCase()
  const findings = c.findings.filter((f) => f.state !== 'resolved').map(({ state: _, ...f }) => f)
  const page = await renderAuditHtml({ ...c, findings, source: 'matrix.xlsx' })
  t.notMatch(page, 'id="resolved"')
  t.notMatch(page, 'since the last audit')
  t.match(page, '<title>Who decides: audit of matrix.xlsx</title>')
  t.match(page, 'Of 5 live initiatives in matrix.xlsx, 2 have a clear final decider', 'the summary names the file')
})

t.test('an empty registry still makes a page', async (t) => {
  const page = await renderAuditHtml({ model: registry().model(AT), findings: [], groups: [], run: { at: AT, scope: null, counts: { error: 0, warning: 0, info: 0 }, new: 0, persisting: 0, resolved: 0, waived: 0 } })
  t.match(page, 'No rule found anything to fix.')
  t.match(page, 'No live initiatives in scope.')
  t.match(page, 'No lines of authority in scope.')
})

t.test('100 initiatives × 40 people: the matrix splits by domain, the picture lays them all out', async (t) => {
  const b = registry()
  for (let p = 0; p < 40; p++) b.person(`p${p}`, { name: `Person ${p}` })
  for (let d = 0; d < 8; d++) b.domain(`d${d}`, { name: `Domain ${d}` })
  for (let i = 0; i < 100; i++) {
    b.initiative(`i${i}`, { title: `Initiative ${i}`, domainId: `d${i % 8}` })
    b.assign(`p${i % 40}`, 'A', { initiative: `i${i}` })
    b.assign(`p${(i + 1) % 40}`, 'R', { initiative: `i${i}` })
    b.assign(`p${(i + 7) % 40}`, 'C', { initiative: `i${i}` })
  }
  const page = await renderAuditHtml({ model: b.model(AT), findings: [], groups: [], run: { at: AT, scope: { domainId: 'd1' }, counts: { error: 0, warning: 0, info: 0 }, new: 0, persisting: 0, resolved: 0, waived: 0 } })
  t.equal(page.match(/<table class="grid">/g)?.length, 1, 'a domain scope shows its own grid')
  const all = await renderAuditHtml({ model: b.model(AT), findings: [], groups: [], run: { at: AT, scope: null, counts: { error: 0, warning: 0, info: 0 }, new: 0, persisting: 0, resolved: 0, waived: 0 } })
  t.equal(all.match(/<table class="grid">/g)?.length, 8, 'one grid per domain')
  t.equal(all.match(/<th scope="row"/g)?.length, 100, 'every initiative has its row')
  const first = all.slice(all.indexOf('<h3>Domain 0 '), all.indexOf('<h3>Domain 1 '))
  t.strictSame([...first.matchAll(/<th scope="row" class="initiative">([^<]*)<\/th>/g)].map((m) => m[1]),
    Array.from({ length: 13 }, (_, k) => `Initiative ${k * 8}`), 'rows in the order a reader counts: 8 before 16')

  const pictures = all.slice(all.indexOf('id="authority"'))
  t.strictSame([...pictures.matchAll(/<h3>([^<]*)<\/h3><figure class="picture" role="img" aria-label="Lines of authority: ([^"]*)">/g)].map((m) => [m[1], m[2]]),
    Array.from({ length: 8 }, (_, d) => [`Domain ${d}`, `Domain ${d}`]), 'past 24 initiatives, one picture per top-level domain, each named')
  t.equal(pictures.match(/class="cluster"/g)?.length, 8, 'each picture holds its own domain')
  for (let i = 0; i < 100; i++) t.equal(pictures.split(`>Initiative ${i}</text>`).length - 1, 1, `initiative ${i} drawn once`)
  t.equal(new Set(pictures.match(/>Person \d+<\/text>/g)).size, 40, 'every person who decides is drawn')
  const scoped = page.slice(page.indexOf('id="authority"'))
  t.equal(scoped.match(/<figure /g)?.length, 1, 'a domain\'s 13 initiatives make one picture')
  t.notMatch(scoped, /<h3>/, 'with no heading of its own')
})

t.test('the page\'s Content-Security-Policy allows its style sheet by hash and nothing else', async (t) => {
  t.match(REPORT_CSP, `style-src 'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`)
  t.match(REPORT_CSP, "default-src 'none'")
  t.notMatch(REPORT_CSP, 'script-src')
})
