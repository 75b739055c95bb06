// A registry with every kind of trouble the report shows, names that try to break out of HTML, and its findings as
// a stored run would hold them (new, persisting, waived, resolved).
import { runRules } from '../../src/audit/engine.js'
import type { ReadModel } from '../../src/registry/read-model.js'
import { summarizeFindings, type ReportRun } from '../../src/report/html.js'
import type { ReportFinding, ReportGroup } from '../../src/report/names.js'
import { AT, registry, type RegistryBuilder } from '../audit/model-builder.js'

/** A name that would run a script, close an attribute or start a Graphviz escape if any of it were not escaped. */
export const HOSTILE = '<script>alert("x")</script> & "Bob" \'O\'Neil\' \\N \\l'

export function hostileRegistry (): RegistryBuilder {
  return registry()
    .person('founder', { name: 'Frank Founder', tags: ['founder'] }).status('founder', 'retired', '2024-01-01T00:00:00.000Z')
    .person('daughter', { name: 'Dana Founder', tags: ['executive'], managerId: null })
    .person('investor', { name: 'Ivo <img src=x onerror=alert(1)>', tags: ['shareholder'], stakePercent: 40 })
    .person('bob', { name: HOSTILE })
    .person('cyd', { name: 'Cyd Away' }).status('cyd', 'on_leave', '2025-06-01T00:00:00.000Z')
    .person('eve', { name: 'Eve Deputy' })
    .domain('commercial', { name: 'Commercial' })
    .domain('pricing', { name: 'Pricing & "Offers"', parentId: 'commercial' })
    .domain('hiring', { name: 'Hiring' })
    .initiative('two', { title: 'Two deciders', domainId: 'pricing' })
    .initiative('none', { title: 'Nobody decides', domainId: 'hiring' })
    .initiative('away', { title: 'Decider away', domainId: null })
    .initiative('inherits', { title: 'Inherits </td></tr></table>', domainId: 'pricing' })
    .initiative('covered', { title: 'Covered by a deputy', domainId: 'hiring' })
    .assign('daughter', 'A', { domain: 'commercial' })
    .assign('founder', 'R', { domain: 'commercial', id: 'a-founder-r' })
    .assign('daughter', 'A', { initiative: 'two' })
    .assign('bob', 'A', { initiative: 'two' })
    .assign('bob', 'R', { initiative: 'none' })
    .assign('cyd', 'A', { initiative: 'away' })
    .assign('cyd', 'A', { initiative: 'covered' })
    .assign('investor', 'C', { initiative: 'inherits' })
    .delegate('cyd', 'eve', { initiative: 'covered', validFrom: '2025-06-01T00:00:00.000Z' })
    .influence('founder', { over: 'daughter', strength: 'high' })
    .influence('investor', { initiative: 'inherits', strength: 'high' })
}

export interface ReportCase { model: ReadModel, findings: ReportFinding[], groups: ReportGroup[], run: ReportRun }

const RANK = { error: 0, warning: 1, info: 2 } as const

/**
 * The page's groups for findings that were never stored: those that hold and are not waived, by subject, ranked as the
 * service ranks them (severity, size, key). A stand-in for the page's own tests only: a stored run's page takes its
 * groups from src/services/finding-groups.ts (test/report/report-route.test.ts checks that page).
 */
export function groupsBySubject (findings: readonly ReportFinding[]): ReportGroup[] {
  const groups = new Map<string, ReportGroup & { findings: ReportFinding[] }>()
  for (const f of findings.filter((f) => f.state !== 'resolved' && f.waived == null)) {
    const key = `${f.subject.kind}\u0000${f.subject.id}`
    const group = groups.get(key) ?? { key: f.subject, severity: f.severity, count: 0, findings: [] }
    if (RANK[f.severity] < RANK[group.severity]) group.severity = f.severity
    group.count++
    group.findings.push(f)
    groups.set(key, group)
  }
  const order = (g: ReportGroup): string => `${g.key.kind}\u0000${g.key.id}`
  return [...groups.values()].sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.count - a.count || (order(a) < order(b) ? -1 : 1))
}

/**
 * The registry's findings as a stored run: the first of each rule new, the others persisting, the retired founder's
 * role waived, and one finding resolved since the previous run.
 */
export function reportCase (builder = hostileRegistry()): ReportCase {
  const model = builder.model(AT)
  const seen = new Set<string>()
  const findings: ReportFinding[] = runRules(model, new Map(), null).map((f) => {
    const state = seen.has(f.ruleId) ? 'persisting' as const : 'new' as const
    seen.add(f.ruleId)
    const waived = f.related.some((r) => r.id === 'a-founder-r') ? { waiverId: 'w1', reason: 'Founder <hands over> in June' } : null
    return { ...f, state, waived }
  })
  findings.push({
    fingerprint: 'f'.repeat(32), ruleId: 'no-responsible', severity: 'warning', state: 'resolved', waived: null,
    subject: { kind: 'initiative', id: 'two' }, related: [], message: 'Nobody is Responsible for "Two deciders"',
    remediation: 'Name someone Responsible for "Two deciders"'
  })
  return { model, findings, groups: groupsBySubject(findings), run: { ...summarizeFindings(findings, AT), id: 'run-1' } }
}
