// The rule engine: the registry of rules, configuration and option validation, a run's severity, scope and order,
// fingerprints, and the read-model helpers that no rule reaches on its own.
import { existsSync } from 'node:fs'
import t from 'tap'
import { effectiveConfig, runRules, validateOptions, type EngineFinding, type RuleConfig } from '../../src/audit/engine.js'
import { fingerprintOf } from '../../src/audit/fingerprint.js'
import { defaultsOf, names, type Rule } from '../../src/audit/rule.js'
import { ruleById, rules } from '../../src/audit/rules/index.js'
import { AT, registry } from './model-builder.js'

const rule = (id: string): Rule => {
  const found = ruleById(id)
  if (found === undefined) throw new Error(`no rule ${id}`)
  return found
}

t.test('the registry lists the 14 rules of the issues, sorted, one file each, with complete metadata', async (t) => {
  const ids = rules.map((r) => r.id)
  t.strictSame(ids, [
    'absent-decider', 'consult-overload', 'decided-by-non-decider', 'decider-overload', 'decision-overdue', 'delegation-cycle',
    'delegation-to-inactive', 'multiple-final-deciders', 'no-final-decider', 'no-responsible', 'retired-influence', 'reversed-transfer',
    'shareholder-overreach', 'unanimity-trap'
  ])
  t.strictSame(ids, [...ids].sort(), 'sorted by id')
  for (const r of rules) {
    t.ok(existsSync(new URL(`../../src/audit/rules/${r.id}.ts`, import.meta.url)), `${r.id}: its file is named after it`)
    t.ok(['error', 'warning', 'info'].includes(r.defaultSeverity), `${r.id}: a severity`)
    for (const text of [r.description, r.rationale, r.remediation]) t.ok(text.length > 20, `${r.id}: says what, why and what to do`)
    t.equal(r.options.type, 'object', `${r.id}: options are an object schema`)
    t.equal((r.options as { additionalProperties?: unknown }).additionalProperties, false, `${r.id}: unknown options are refused by the schema itself`)
    t.strictSame(r.defaults, defaultsOf(r.options), `${r.id}: the defaults are those the schema declares`)
    t.strictSame(validateOptions(r, r.defaults), [], `${r.id}: the defaults are valid options`)
    t.equal(ruleById(r.id), r)
  }
  t.strictSame(rule('unanimity-trap').defaults, { maxApprovers: 3 })
  t.strictSame(rule('consult-overload').defaults, { maxConsulted: 8 })
  t.strictSame(rule('decider-overload').defaults, { maxInitiatives: 15 })
  t.equal(ruleById('no-such-rule'), undefined)
  t.strictSame(Object.fromEntries(rules.map((r) => [r.id, r.defaultSeverity])), {
    'absent-decider': 'error',
    'consult-overload': 'info',
    'decided-by-non-decider': 'error',
    'decider-overload': 'info',
    'decision-overdue': 'warning',
    'delegation-cycle': 'error',
    'delegation-to-inactive': 'error',
    'multiple-final-deciders': 'error',
    'no-final-decider': 'error',
    'no-responsible': 'warning',
    'retired-influence': 'warning',
    'reversed-transfer': 'warning',
    'shareholder-overreach': 'warning',
    'unanimity-trap': 'warning'
  })
})

t.test('effectiveConfig: stored settings over the defaults', async (t) => {
  const trap = rule('unanimity-trap')
  t.strictSame(effectiveConfig(trap), { enabled: true, severity: 'warning', options: { maxApprovers: 3 } }, 'nothing stored')
  t.strictSame(effectiveConfig(trap, { enabled: false, severity: null, options: {} }),
    { enabled: false, severity: 'warning', options: { maxApprovers: 3 } }, 'severity null is the default')
  t.strictSame(effectiveConfig(trap, { enabled: true, severity: 'error', options: { maxApprovers: 5 } }),
    { enabled: true, severity: 'error', options: { maxApprovers: 5 } })
  t.strictSame(effectiveConfig(rule('no-final-decider'), { enabled: true, severity: 'info', options: {} }), { enabled: true, severity: 'info', options: {} })
})

t.test('validateOptions: partial options over the defaults; wrong values and unknown names are errors', async (t) => {
  const trap = rule('unanimity-trap')
  t.strictSame(validateOptions(trap, {}), [])
  t.strictSame(validateOptions(trap, { maxApprovers: 7 }), [])
  t.strictSame(validateOptions(trap, { maxApprovers: 0 }), [{ path: '/maxApprovers', message: 'must be >= 1' }])
  t.strictSame(validateOptions(trap, { maxApprovers: 2.5 }), [{ path: '/maxApprovers', message: 'must be integer' }])
  t.strictSame(validateOptions(trap, { maxApprovers: '4' }), [{ path: '/maxApprovers', message: 'must be integer' }], 'no coercion')
  t.strictSame(validateOptions(trap, { maxApprovers: 0, maxApprover: 3 }), [
    { path: '/maxApprover', message: 'is not an option of this rule' },
    { path: '/maxApprovers', message: 'must be >= 1' }
  ])
  t.strictSame(validateOptions(rule('no-final-decider'), { strict: true }), [{ path: '/strict', message: 'is not an option of this rule' }])
  t.strictSame(validateOptions(rule('consult-overload'), { maxConsulted: -1 }), [{ path: '/maxConsulted', message: 'must be >= 0' }])
  for (const value of [null, [], 3, 'x']) t.strictSame(validateOptions(trap, value), [{ path: '', message: 'must be an object' }], JSON.stringify(value))
})

/**
 * A registry where several rules find something: tiers (in pricing, under sales) has no decider and no R; bands (in sales)
 * has two deciders and is overdue; hire (in hiring) has an R and an A; Gus, retired, is Consulted on pricing and on hiring.
 */
const org = () => registry().people('ada', 'bob').person('gus', { status: 'retired' })
  .domain('sales').domain('pricing', { parentId: 'sales' }).domain('hiring')
  .initiative('tiers', { domainId: 'pricing' })
  .initiative('bands', { domainId: 'sales', decisionDueAt: '2025-01-01T00:00:00.000Z' })
  .assign('ada', 'A', { initiative: 'bands' }).assign('bob', 'A', { initiative: 'bands' }).assign('ada', 'R', { initiative: 'bands' })
  .initiative('hire', { domainId: 'hiring' }).assign('ada', 'A', { initiative: 'hire' }).assign('ada', 'R', { initiative: 'hire' })
  .assign('gus', 'C', { domain: 'pricing', id: 'c-pricing' }).assign('gus', 'C', { domain: 'hiring', id: 'c-hiring' })

const summary = (findings: EngineFinding[]): string[] => findings.map((f) => `${f.severity} ${f.ruleId} ${f.subject.kind}:${f.subject.id}`)

t.test('runRules: every enabled rule with its configuration, sorted by severity, rule id and subject', async (t) => {
  const model = org().model()
  const all = runRules(model, new Map(), null)
  t.strictSame(summary(all), [
    'error multiple-final-deciders initiative:bands',
    'error no-final-decider initiative:tiers',
    'warning decision-overdue initiative:bands',
    'warning no-responsible initiative:tiers',
    'warning retired-influence person:gus',
    'warning retired-influence person:gus'
  ], 'a rule missing from the map runs with its defaults')
  t.ok(all[4]!.fingerprint < all[5]!.fingerprint, 'equal keys come out in fingerprint order')
  for (const f of all) t.equal(f.fingerprint, fingerprintOf(f.ruleId, f), 'fingerprinted')
  t.strictSame(all[0]!.related, [{ kind: 'person', id: 'ada' }, { kind: 'person', id: 'bob' }])
  t.equal(all[0]!.message, '2 people hold the final decision on "Bands": Ada and Bob')

  const configs = new Map<string, RuleConfig>([
    ['multiple-final-deciders', { enabled: false, severity: 'error', options: {} }],
    ['no-responsible', { enabled: true, severity: 'error', options: {} }],
    ['consult-overload', { enabled: true, severity: 'warning', options: { maxConsulted: 0 } }],
    ['decision-overdue', { enabled: true, severity: 'info', options: {} }],
    ['unanimity-trap', { enabled: true, severity: 'warning', options: {} }] // partial options: defaults fill in
  ])
  t.strictSame(summary(runRules(model, configs, null)), [
    'error no-final-decider initiative:tiers',
    'error no-responsible initiative:tiers',
    'warning consult-overload initiative:hire',
    'warning consult-overload initiative:tiers',
    'warning retired-influence person:gus',
    'warning retired-influence person:gus',
    'info decision-overdue initiative:bands'
  ], 'disabled, severity and options overridden')

  const only = runRules(model, new Map(), null, [rule('decision-overdue')])
  t.strictSame(summary(only), ['warning decision-overdue initiative:bands'], 'a given list of rules')
})

t.test('runRules: scope', async (t) => {
  const model = org().domain('deep', { parentId: 'pricing' }).initiative('deeper', { domainId: 'deep', status: 'done' })
    .initiative('lost', { domainId: 'deep' }).assign('ada', 'A', { domain: 'deep' }).assign('ada', 'R', { domain: 'deep' })
    .person('ivy', { status: 'retired' }).assign('ivy', 'R', { initiative: 'lost', id: 'r-ivy' }).model()
  const scoped = (scope: Parameters<typeof runRules>[2]): string[] =>
    runRules(model, new Map(), scope).map((f) => `${f.ruleId} ${[f.subject, ...f.related].map((r) => `${r.kind}:${r.id}`).join(' ')}`)
  t.strictSame(scoped({ initiativeIds: ['bands', 'nowhere'] }), [
    'multiple-final-deciders initiative:bands person:ada person:bob',
    'decision-overdue initiative:bands'
  ], 'initiatives: findings about them')
  t.strictSame(scoped({ initiativeIds: [] }), [], 'no initiatives, no findings')
  t.strictSame(scoped({ domainId: 'pricing' }), [
    'no-final-decider initiative:tiers',
    'no-responsible initiative:tiers',
    'retired-influence person:gus assignment:c-pricing domain:pricing',
    'retired-influence person:ivy assignment:r-ivy initiative:lost'
  ], 'a domain: its initiatives and domains down the tree, not its parent\'s, nor a sibling\'s')
  t.strictSame(scoped({ domainId: 'sales' }).length, 6, 'the parent domain takes in bands too')
  t.strictSame(scoped({ domainId: 'hiring' }), ['retired-influence person:gus assignment:c-hiring domain:hiring'])
  t.strictSame(scoped({ domainId: 'nowhere' }), [], 'an unknown domain has nothing in it')
  t.equal(scoped(null).length, 7, 'null: everything')
})

t.test('fingerprintOf: rule, subject and the set of related records — nothing else', async (t) => {
  const finding = {
    subject: { kind: 'initiative', id: 'tiers' },
    related: [{ kind: 'person', id: 'ada' }, { kind: 'person', id: 'bob' }],
    message: '2 people hold the final decision on "Tiers": Ada and Bob'
  }
  const print = fingerprintOf('multiple-final-deciders', finding)
  t.match(print, /^[0-9a-f]{32}$/)
  t.equal(print, '2a8e1949d962c194e80735f8ffc2c981', 'pinned: a changed algorithm would orphan every stored waiver')
  t.equal(fingerprintOf('multiple-final-deciders', { ...finding, related: [...finding.related].reverse() }), print, 'order of related')
  t.equal(fingerprintOf('multiple-final-deciders', { ...finding, related: [...finding.related, finding.related[0]!] }), print, 'a repeated related record')
  t.equal(fingerprintOf('multiple-final-deciders', { ...finding, message: 'reworded', data: { n: 2 } } as typeof finding), print, 'message and data')
  t.not(fingerprintOf('multiple-final-deciders', { ...finding, subject: { kind: 'initiative', id: 'bands' } }), print, 'another subject')
  t.not(fingerprintOf('multiple-final-deciders', { ...finding, subject: { kind: 'domain', id: 'tiers' } }), print, 'another subject kind')
  t.not(fingerprintOf('no-final-decider', finding), print, 'another rule')
  t.not(fingerprintOf('multiple-final-deciders', { ...finding, related: finding.related.slice(1) }), print, 'another set of related records')
  t.not(fingerprintOf('x', { subject: { kind: 'a', id: 'b:c' }, related: [] }), fingerprintOf('x', { subject: { kind: 'a:b', id: 'c' }, related: [] }), 'parts kept apart')
})

t.test('read model helpers', async (t) => {
  const model = registry().people('ada', 'bob').person('cyd', { managerId: 'bob' }).person('bob2', { managerId: 'ghost' })
    .domain('loop1', { parentId: 'loop2' }).domain('loop2', { parentId: 'loop1' }).domain('leaf', { parentId: 'loop1' })
    .domain('top').domain('mid', { parentId: 'top' })
    .initiative('x', { domainId: 'mid' }).initiative('old', { status: 'done' }).initiative('p', { status: 'proposed' })
    .assign('ada', 'A', { domain: 'top', id: 'a1' }).assign('bob', 'R', { initiative: 'x', id: 'a2' }).assign('cyd', 'I', { domain: 'mid', id: 'a3' })
    .assign('bob', 'A', { initiative: 'x', validFrom: '2026-06-01T00:00:00.000Z', id: 'a4' })
    .model()
  t.equal(model.at, AT)
  t.strictSame(model.liveInitiatives().map((i) => i.id), ['p', 'x'])
  t.equal(model.liveInitiatives(), model.liveInitiatives(), 'computed once')
  t.equal(model.liveInitiative('old'), undefined)
  t.equal(model.liveInitiative('nope'), undefined)
  t.equal(model.liveInitiative('x')?.id, 'x')
  t.strictSame(model.domainChain('mid'), ['mid', 'top'])
  t.strictSame(model.domainChain('loop1'), ['loop1', 'loop2'], 'a loop in the tree ends')
  t.strictSame(model.domainChain(null), [])
  t.strictSame([...model.domainSubtree('loop2')].sort(), ['leaf', 'loop1', 'loop2'], 'a loop in the tree ends')
  const raci = model.raci('x')
  t.strictSame(raci.A.map((h) => [h.personId, h.source, h.domainId, h.assignment.id]), [['ada', 'inherited', 'top', 'a1']], 'the A of later is not yet valid')
  t.strictSame(raci.R.map((h) => [h.personId, h.source, h.domainId]), [['bob', 'direct', null]])
  t.strictSame(raci.C, [])
  t.strictSame(raci.I.map((h) => [h.personId, h.source, h.domainId]), [['cyd', 'inherited', 'mid']])
  t.strictSame(model.formalDeciders('p'), [])
  t.strictSame(model.chainOf('x'), ['mid', 'top'])
  t.strictSame(model.chainOf('nope'), [], 'an unknown initiative has no domains')
  const now = model.decider('x')
  t.equal(model.decider('x'), now, 'the answer at the model\'s time is computed once')
  t.strictSame(now.deciders.map((d) => d.personId), ['ada'])
  t.strictSame(model.decider('x', '2026-07-01T00:00:00.000Z').deciders.map((d) => d.personId), ['bob'], 'at another time')
  t.strictSame(model.managerChain('cyd'), ['bob'])
  t.strictSame(model.managerChain('bob2'), ['ghost'], 'a manager without a record ends the line')
  t.ok(model.reportsTo('cyd', 'bob'))
  t.notOk(model.reportsTo('bob', 'cyd'))
  t.equal(model.nameOf('ghost'), 'ghost')
  t.equal(model.titleOf('nope'), '"nope"')
  t.equal(model.domainLabel('nope'), 'domain "nope"')
  t.equal(names([]), '')
})
