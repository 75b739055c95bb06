// The rule engine: each rule's effective configuration, option validation, and a run of the rules over a read model.
import { Compile, type Validator } from 'typebox/compile'
import type { ReadModel } from '../registry/read-model.js'
import type { RuleFinding, Severity } from '../registry/types.js'
import { fingerprintOf } from './fingerprint.js'
import type { Rule } from './rule.js'
import { rules as allRules } from './rules/index.js'

export interface RuleConfig { enabled: boolean, severity: Severity, options: Record<string, unknown> }

/** A rule's settings as stored (rule_settings): severity null means the rule's default; options only those set. */
export interface StoredRuleConfig { enabled: boolean, severity: Severity | null, options: Record<string, unknown> }

/** Which part of the registry a run reports on; null: all of it. */
export type AuditScope = { domainId: string } | { initiativeIds: string[] } | null

/** A finding as a run reports it: the rule's finding, with its rule, configured severity and fingerprint. */
export interface EngineFinding extends RuleFinding { ruleId: string, severity: Severity, fingerprint: string }

export interface OptionError { path: string, message: string }

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 }

/** The configuration a rule runs with: stored settings over the rule's defaults (enabled, default severity, default options). */
export function effectiveConfig (rule: Rule, stored?: StoredRuleConfig): RuleConfig {
  return {
    enabled: stored?.enabled ?? true,
    severity: stored?.severity ?? rule.defaultSeverity,
    options: { ...rule.defaults, ...stored?.options }
  }
}

const validators = new WeakMap<Rule, Validator>()

/**
 * What is wrong with options for the rule, one entry per offending option (path `/name`; `` for the whole value).
 * The options may be partial: the rule's defaults fill in the rest. An option the rule does not declare is an error.
 */
export function validateOptions (rule: Rule, options: unknown): OptionError[] {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return [{ path: '', message: 'must be an object' }]
  const errors = new Map<string, string>()
  for (const name of Object.keys(options)) {
    if (!Object.hasOwn(rule.options.properties, name)) errors.set(`/${name}`, 'is not an option of this rule')
  }
  let validator = validators.get(rule)
  if (validator === undefined) validators.set(rule, validator = Compile(rule.options))
  for (const issue of validator.Errors({ ...rule.defaults, ...options })) {
    if (issue.keyword === 'additionalProperties' || issue.keyword === 'boolean' || errors.has(issue.instancePath)) continue
    errors.set(issue.instancePath, issue.message)
  }
  return [...errors].map(([path, message]) => ({ path, message }))
}

/** Whether a finding is about the scope: its subject or one of its related records is an initiative (or domain) of it. */
function scopeFilter (model: ReadModel, scope: AuditScope): (finding: RuleFinding) => boolean {
  if (scope === null) return () => true
  const domains = 'domainId' in scope ? model.domainSubtree(scope.domainId) : new Set<string>()
  const initiatives = 'initiativeIds' in scope
    ? new Set(scope.initiativeIds)
    : new Set(model.snapshot.initiatives.filter((i) => i.domainId !== null && domains.has(i.domainId)).map((i) => i.id))
  const inScope = (r: { kind: string, id: string }): boolean =>
    (r.kind === 'initiative' && initiatives.has(r.id)) || (r.kind === 'domain' && domains.has(r.id))
  return (finding) => inScope(finding.subject) || finding.related.some(inScope)
}

// Code-unit order: the same on every machine and locale.
const compare = (a: string, b: string): number => a < b ? -1 : Number(a > b)

/**
 * Runs every enabled rule over the model (a rule missing from `configs` runs with its defaults), with the severity
 * and options of its configuration; keeps the findings in scope, fingerprinted, sorted by severity, rule id,
 * subject id (then fingerprint, so equal keys still come out in one order).
 */
export function runRules (model: ReadModel, configs: ReadonlyMap<string, RuleConfig>, scope: AuditScope, rules: readonly Rule[] = allRules): EngineFinding[] {
  const inScope = scopeFilter(model, scope)
  // Severity is one per rule: ordering the rules orders the findings by severity and rule; each rule's are then sorted.
  const runs = rules.map((rule) => ({ rule, config: configs.get(rule.id) ?? effectiveConfig(rule) }))
    .filter(({ config }) => config.enabled)
    .sort((a, b) => SEVERITY_ORDER[a.config.severity] - SEVERITY_ORDER[b.config.severity] || compare(a.rule.id, b.rule.id))
  const findings: EngineFinding[] = []
  for (const { rule, config } of runs) {
    const found: EngineFinding[] = []
    for (const f of rule.check(model, { ...rule.defaults, ...config.options })) {
      if (!inScope(f)) continue
      const finding: EngineFinding = {
        subject: f.subject,
        related: f.related,
        message: f.message,
        remediation: f.remediation,
        ruleId: rule.id,
        severity: config.severity,
        fingerprint: fingerprintOf(rule.id, f)
      }
      if (f.data !== undefined) finding.data = f.data
      found.push(finding)
    }
    found.sort((a, b) => compare(a.subject.id, b.subject.id) || compare(a.fingerprint, b.fingerprint))
    for (const finding of found) findings.push(finding)
  }
  return findings
}
