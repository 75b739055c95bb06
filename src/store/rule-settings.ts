// Rule settings in SQL: what an auditor set for each rule (the rule's defaults fill in the rest, in the audit engine).
import { eq } from 'drizzle-orm'
import { ruleSettings } from '../../db/schema.js'
import { statement, type Db } from './connection.js'

export type SettingRow = typeof ruleSettings.$inferSelect

/** What the change log keeps of a setting: only what the auditor set. */
export const settingView = (r: SettingRow): Record<string, unknown> =>
  ({ ruleId: r.ruleId, enabled: r.enabled, severity: r.severity, options: r.options, version: r.version, updatedAt: r.updatedAt })

// Read on every slice judged (a caveat, a write's effects): one prepared statement, not a query built each time.
const ALL_SETTINGS = 'SELECT rule_id AS ruleId, enabled, severity, options, version, updated_at AS updatedAt FROM rule_settings'
type StoredSetting = Omit<SettingRow, 'enabled' | 'options'> & { enabled: number, options: string }

/** Every stored setting, by rule id. */
export const settingsById = (db: Db): Map<string, SettingRow> => new Map((statement(db, ALL_SETTINGS).all() as StoredSetting[])
  .map((r) => [r.ruleId, { ...r, enabled: r.enabled === 1, options: JSON.parse(r.options) as Record<string, unknown> }]))

export const findSetting = (db: Db, ruleId: string): SettingRow | undefined =>
  db.select().from(ruleSettings).where(eq(ruleSettings.ruleId, ruleId)).get()

/** Stores the rule's setting, replacing the one it had. */
export function storeSetting (db: Db, row: SettingRow): void {
  db.insert(ruleSettings).values(row).onConflictDoUpdate({ target: ruleSettings.ruleId, set: row }).run()
}
