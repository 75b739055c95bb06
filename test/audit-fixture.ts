// A small registry with known boundary problems, imported in one bundle, for the rule, audit and waiver suites.
import type { Test } from 'tap'
import type { TestApp } from './helper.js'

export const T0 = '2026-01-01T00:00:00.000Z'
/** The time the suites audit at: after every record below started to hold. */
export const AT = '2026-03-01T00:00:00.000Z'

const person = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: id.toUpperCase(), email: `${id}@example.com`, ...extra })
const initiative = (id: string, domainId: string | null, extra: Record<string, unknown> = {}) =>
  ({ id, title: `Initiative ${id}`, domainId, status: 'active', ...extra })
let n = 0
const role = (personId: string, r: string, target: { initiativeId: string } | { domainId: string }, extra: Record<string, unknown> = {}) =>
  ({ id: `as-${++n}-${personId}-${r.toLowerCase()}`, personId, role: r, ...target, validFrom: T0, ...extra })

/**
 * What each initiative is there for:
 * - i-none: no A anywhere up its tree (no-final-decider);
 * - i-two: two direct A's under the single rule (multiple-final-deciders), and a call made by someone else (decided-by-non-decider);
 * - i-absent: its only A is on leave, without a delegation (absent-decider);
 * - i-deleg: its only A is on leave; she delegated everything to hal, on leave too, who delegated i-deleg to fay: clear,
 *   but a delegation to someone on leave (delegation-to-inactive);
 * - i-ok: inherits ada's A from commercial: clear, but a shareholder holds high influence on it (shareholder-overreach);
 * - i-unan: unanimous, and fay reports to ada (unanimity-trap);
 * - i-done: done, no A: not live, so no finding;
 * and cyd, retired, still steers ada (retired-influence).
 */
export const bundle = {
  people: [
    person('ada', { tags: ['executive'] }),
    person('bob'),
    person('cyd', { status: 'retired', statusSince: '2025-06-01T00:00:00.000Z', tags: ['founder'] }),
    person('dee', { status: 'on_leave', statusSince: '2026-01-15T00:00:00.000Z' }),
    person('eve', { tags: ['shareholder'] }),
    person('fay', { managerId: 'ada' }),
    person('gus', { managerId: 'fay' }),
    person('hal', { status: 'on_leave', statusSince: '2026-01-15T00:00:00.000Z' })
  ],
  domains: [
    { id: 'commercial', name: 'Commercial' },
    { id: 'pricing', name: 'Pricing', parentId: 'commercial' },
    { id: 'hiring', name: 'Hiring' }
  ],
  initiatives: [
    initiative('i-none', 'hiring'),
    initiative('i-two', 'pricing'),
    initiative('i-absent', null),
    initiative('i-deleg', null),
    initiative('i-ok', 'pricing'),
    initiative('i-unan', 'commercial', { decisionRule: 'unanimous' }),
    initiative('i-done', null, { status: 'done' })
  ],
  assignments: [
    role('ada', 'A', { domainId: 'commercial' }),
    role('bob', 'R', { domainId: 'commercial' }),
    role('gus', 'R', { initiativeId: 'i-none' }),
    role('ada', 'A', { initiativeId: 'i-two' }),
    role('bob', 'A', { initiativeId: 'i-two' }),
    role('dee', 'A', { initiativeId: 'i-absent' }),
    role('ada', 'R', { initiativeId: 'i-absent' }),
    role('dee', 'A', { initiativeId: 'i-deleg' }),
    role('bob', 'R', { initiativeId: 'i-deleg' }),
    role('ada', 'A', { initiativeId: 'i-unan' }),
    role('fay', 'A', { initiativeId: 'i-unan' })
  ],
  delegations: [
    { id: 'dl-dee-hal', fromPersonId: 'dee', toPersonId: 'hal', allScopes: true, validFrom: '2026-01-15T00:00:00.000Z', reason: 'Leave' },
    { id: 'dl-hal-fay', fromPersonId: 'hal', toPersonId: 'fay', initiativeId: 'i-deleg', validFrom: '2026-01-15T00:00:00.000Z', reason: 'Leave' }
  ],
  influences: [
    { id: 'inf-cyd-ada', personId: 'cyd', overPersonId: 'ada', strength: 'high', observedAt: T0 },
    { id: 'inf-eve-ok', personId: 'eve', initiativeId: 'i-ok', strength: 'high', observedAt: T0 }
  ],
  decisions: [
    { id: 'dc-gus-two', initiativeId: 'i-two', decidedBy: 'gus', decidedAt: '2026-02-01T00:00:00.000Z', outcome: 'Go' }
  ]
}

/** Imported by an admin: the bundle holds influences (auditors and admins) and the other records (editors and admins). */
export async function importFixture (t: Test, call: TestApp['call']): Promise<void> {
  const res = await call({ method: 'POST', url: '/v1/import', payload: bundle, as: 'admin' })
  t.equal(res.statusCode, 200, `fixture imported (${res.body.slice(0, 500)})`)
}

/** "rule-id subject-id" of each finding, sorted: what a run or a live answer found, in one comparable list. */
export const keysOf = (findings: { ruleId: string, subject: { id: string } }[]): string[] =>
  findings.map((f) => `${f.ruleId} ${f.subject.id}`).sort()
