// Use cases for the rule catalogue: each rule with its effective configuration, and an auditor's change to it.
import { effectiveConfig, validateOptions, type RuleConfig } from '../audit/engine.js'
import { ruleById, rules, type Rule } from '../audit/rules/index.js'
import { now } from '../clock.js'
import type { Db } from '../store/connection.js'
import { notFound, ProblemError } from '../errors.js'
import type { RulePatch, RuleView } from '../schemas/rules.js'
import { recordChange, transact, type Actor } from '../store/change-log.js'
import { checkIfMatch, type Written } from '../store/records.js'
import { findSetting, settingsById, settingView, storeSetting, type SettingRow } from '../store/rule-settings.js'

const stored = (r: SettingRow | undefined) => r === undefined ? undefined : { enabled: r.enabled, severity: r.severity, options: r.options }

function ruleView (rule: Rule, setting: SettingRow | undefined): RuleView {
  const config = effectiveConfig(rule, stored(setting))
  return {
    id: rule.id,
    description: rule.description,
    rationale: rule.rationale,
    remediation: rule.remediation,
    defaultSeverity: rule.defaultSeverity,
    enabled: config.enabled,
    severity: config.severity,
    options: config.options,
    optionsSchema: rule.options as unknown as Record<string, unknown>,
    version: setting?.version ?? 0,
    updatedAt: setting?.updatedAt ?? null
  }
}

export function listRules (db: Db): { items: RuleView[] } {
  const settings = settingsById(db)
  return { items: rules.map((rule) => ruleView(rule, settings.get(rule.id))) }
}

/** The effective configuration of every rule, as an audit runs them. */
export function ruleConfigs (db: Db): Map<string, RuleConfig> {
  const settings = settingsById(db)
  return new Map(rules.map((rule) => [rule.id, effectiveConfig(rule, stored(settings.get(rule.id)))]))
}

/** Stores what the auditor set (options replace those set before); the rule's defaults keep filling in the rest. */
export function updateRule (db: Db, actor: Actor, id: string, patch: RulePatch, ifMatch?: string): Written<RuleView> {
  const rule = ruleById(id)
  if (rule === undefined) throw notFound('rules', id)
  return transact(db, () => {
    const current = findSetting(db, id)
    checkIfMatch(current?.version ?? 0, ifMatch)
    if (patch.options !== undefined) {
      const errors = validateOptions(rule, patch.options)
      if (errors.length > 0) {
        throw new ProblemError('WHODECIDES_ERR_VALIDATION', `options: ${errors.map((e) => `${e.path.slice(1) || 'options'} ${e.message}`).join('; ')}`, {
          errors: errors.map((e) => ({ in: 'body', path: `/options${e.path}`, message: e.message }))
        })
      }
    }
    const at = now()
    const row: SettingRow = {
      ruleId: id,
      enabled: patch.enabled ?? current?.enabled ?? true,
      severity: patch.severity === undefined ? current?.severity ?? null : patch.severity,
      options: (patch.options as Record<string, unknown> | undefined) ?? current?.options ?? {},
      version: (current?.version ?? 0) + 1,
      updatedAt: at
    }
    storeSetting(db, row)
    const revision = recordChange(db, actor, at, {
      entity: 'rules', entityId: id, action: 'update', before: current === undefined ? null : settingView(current), after: settingView(row)
    })
    return { record: ruleView(rule, row), revision }
  })
}
