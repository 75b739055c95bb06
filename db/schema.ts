// The drizzle schema: every table of the registry, camelCase in TypeScript, snake_case in SQL.
import { sql } from 'drizzle-orm'
import { blob, check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core'

// Enum tuples shared by the tables and the API schemas.
export const PERSON_STATUSES = ['active', 'on_leave', 'departed', 'retired'] as const
export type PersonStatus = typeof PERSON_STATUSES[number]
export const KNOWN_TAGS = ['founder', 'shareholder', 'board', 'executive', 'advisor', 'external'] as const
export const INITIATIVE_STATUSES = ['proposed', 'active', 'on_hold', 'decided', 'done', 'abandoned'] as const
/** Initiatives still waiting for their call: the ones the audit rules look at, and the ones a decision moves on. */
export const LIVE_INITIATIVE_STATUSES: ReadonlySet<typeof INITIATIVE_STATUSES[number]> = new Set(['proposed', 'active', 'on_hold'])
export const DECISION_RULES = ['single', 'pool', 'unanimous'] as const
export type DecisionRule = typeof DECISION_RULES[number]
export const RACI_ROLES = ['R', 'A', 'C', 'I'] as const
export const INFLUENCE_STRENGTHS = ['low', 'medium', 'high'] as const
/** deputy: counts only while the delegator is not active; transfer: the delegate decides for the period, whatever the delegator's status. */
export const DELEGATION_KINDS = ['deputy', 'transfer'] as const
export type DelegationKind = typeof DELEGATION_KINDS[number]
/** What a decision record is: a call, a deferral to someone else, a reversal of an earlier call, or a veto. */
export const DECISION_KINDS = ['decision', 'deferral', 'reversal', 'veto'] as const
export type DecisionKind = typeof DECISION_KINDS[number]
export const KEY_ROLES = ['reader', 'editor', 'auditor', 'admin'] as const
export const CHANGE_ACTIONS = ['create', 'update', 'delete', 'end', 'revoke', 'run'] as const
export const SEVERITIES = ['error', 'warning', 'info'] as const
export type Severity = typeof SEVERITIES[number]
export const FINDING_STATES = ['new', 'persisting', 'resolved'] as const

/** The registry's collections, named as in the API, the change log and the bundle. */
export const ENTITIES = ['people', 'domains', 'initiatives', 'assignments', 'delegations', 'influences', 'decisions', 'keys', 'rules', 'audits', 'waivers'] as const
export type Entity = typeof ENTITIES[number]

/** The earliest instant, for a status that has held "since always". */
export const BEGINNING_OF_TIME = '0001-01-01T00:00:00.000Z'

const recordColumns = {
  id: text('id').primaryKey(),
  version: integer('version').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull()
}

export const people = sqliteTable('people', {
  ...recordColumns,
  name: text('name').notNull(),
  email: text('email').notNull(),
  title: text('title'),
  status: text('status', { enum: PERSON_STATUSES }).notNull(),
  statusSince: text('status_since'),
  tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
  stakePercent: real('stake_percent'),
  managerId: text('manager_id').references((): AnySQLiteColumn => people.id),
  externalId: text('external_id')
}, (t) => [
  uniqueIndex('people_email_unique').on(sql`lower(${t.email})`),
  uniqueIndex('people_external_id_unique').on(t.externalId),
  index('people_manager_idx').on(t.managerId),
  index('people_status_idx').on(t.status)
])

/** Effective-dated statuses: a person's status at T is the row with the latest validFrom ≤ T. */
export const personStatuses = sqliteTable('person_statuses', {
  personId: text('person_id').notNull().references(() => people.id, { onDelete: 'cascade' }),
  status: text('status', { enum: PERSON_STATUSES }).notNull(),
  validFrom: text('valid_from').notNull()
}, (t) => [primaryKey({ columns: [t.personId, t.validFrom] })])

export const domains = sqliteTable('domains', {
  ...recordColumns,
  name: text('name').notNull(),
  description: text('description'),
  parentId: text('parent_id').references((): AnySQLiteColumn => domains.id)
}, (t) => [index('domains_parent_idx').on(t.parentId, t.id)])

export const initiatives = sqliteTable('initiatives', {
  ...recordColumns,
  title: text('title').notNull(),
  destination: text('destination'),
  description: text('description'),
  domainId: text('domain_id').references(() => domains.id),
  status: text('status', { enum: INITIATIVE_STATUSES }).notNull(),
  decisionRule: text('decision_rule', { enum: DECISION_RULES }).notNull(),
  decisionDueAt: text('decision_due_at')
}, (t) => [index('initiatives_domain_idx').on(t.domainId, t.id), index('initiatives_status_idx').on(t.status)])

export const assignments = sqliteTable('assignments', {
  ...recordColumns,
  personId: text('person_id').notNull().references(() => people.id),
  role: text('role', { enum: RACI_ROLES }).notNull(),
  initiativeId: text('initiative_id').references(() => initiatives.id),
  domainId: text('domain_id').references(() => domains.id),
  validFrom: text('valid_from').notNull(),
  validTo: text('valid_to')
}, (t) => [
  index('assignments_person_idx').on(t.personId, t.role),
  index('assignments_initiative_idx').on(t.initiativeId, t.role),
  index('assignments_domain_idx').on(t.domainId, t.role),
  check('assignments_one_target', sql`(${t.initiativeId} IS NULL) <> (${t.domainId} IS NULL)`)
])

export const delegations = sqliteTable('delegations', {
  ...recordColumns,
  fromPersonId: text('from_person_id').notNull().references(() => people.id),
  toPersonId: text('to_person_id').notNull().references(() => people.id),
  initiativeId: text('initiative_id').references(() => initiatives.id),
  domainId: text('domain_id').references(() => domains.id),
  allScopes: integer('all_scopes', { mode: 'boolean' }).notNull(),
  kind: text('kind', { enum: DELEGATION_KINDS }).notNull().default('deputy'),
  validFrom: text('valid_from').notNull(),
  validTo: text('valid_to'),
  reason: text('reason')
}, (t) => [
  index('delegations_from_idx').on(t.fromPersonId),
  index('delegations_to_idx').on(t.toPersonId),
  index('delegations_initiative_idx').on(t.initiativeId),
  index('delegations_domain_idx').on(t.domainId),
  check('delegations_one_scope',
    sql`(${t.initiativeId} IS NOT NULL) + (${t.domainId} IS NOT NULL) + (${t.allScopes} = 1) = 1`),
  check('delegations_not_self', sql`${t.fromPersonId} <> ${t.toPersonId}`)
])

export const influences = sqliteTable('influences', {
  ...recordColumns,
  personId: text('person_id').notNull().references(() => people.id),
  initiativeId: text('initiative_id').references(() => initiatives.id),
  domainId: text('domain_id').references(() => domains.id),
  overPersonId: text('over_person_id').references(() => people.id),
  strength: text('strength', { enum: INFLUENCE_STRENGTHS }).notNull(),
  note: text('note'),
  observedAt: text('observed_at').notNull()
}, (t) => [
  index('influences_person_idx').on(t.personId),
  index('influences_initiative_idx').on(t.initiativeId),
  index('influences_domain_idx').on(t.domainId),
  index('influences_over_person_idx').on(t.overPersonId),
  check('influences_one_target',
    sql`(${t.initiativeId} IS NOT NULL) + (${t.domainId} IS NOT NULL) + (${t.overPersonId} IS NOT NULL) = 1`)
])

/** Who actually made a call on an initiative, when, and what was decided. */
export const decisions = sqliteTable('decisions', {
  ...recordColumns,
  initiativeId: text('initiative_id').notNull().references(() => initiatives.id),
  decidedBy: text('decided_by').notNull().references(() => people.id),
  decidedAt: text('decided_at').notNull(),
  outcome: text('outcome').notNull(),
  rationale: text('rationale'),
  kind: text('kind', { enum: DECISION_KINDS }).notNull().default('decision'),
  /** The earlier decision on the same initiative this one reverses, vetoes or replaces. */
  supersedes: text('supersedes').references((): AnySQLiteColumn => decisions.id)
}, (t) => [
  index('decisions_initiative_idx').on(t.initiativeId, t.decidedAt),
  index('decisions_decided_by_idx').on(t.decidedBy)
])

/** An auditor's configuration of one rule; a rule without a row runs with its defaults. */
export const ruleSettings = sqliteTable('rule_settings', {
  ruleId: text('rule_id').primaryKey(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull(),
  /** null: the rule's default severity. */
  severity: text('severity', { enum: SEVERITIES }),
  /** Only the options set by the auditor; the rule's defaults fill in the rest. */
  options: text('options', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  version: integer('version').notNull(),
  updatedAt: text('updated_at').notNull()
})

/** One boundary audit: its scope, the time it judged, and the totals of its findings. */
export const auditRuns = sqliteTable('audit_runs', {
  id: text('id').primaryKey(),
  /** Canonical form of the scope, so runs of the same scope can be compared: "all", "domain:<id>", "initiatives:<ids>". */
  scopeKey: text('scope_key').notNull(),
  scope: text('scope', { mode: 'json' }).$type<Record<string, unknown> | null>(),
  at: text('at').notNull(),
  startedAt: text('started_at').notNull(),
  finishedAt: text('finished_at'),
  status: text('status', { enum: ['running', 'done', 'failed'] }).notNull(),
  counts: text('counts', { mode: 'json' }).$type<Record<Severity, number>>().notNull(),
  newCount: integer('new_count').notNull(),
  persistingCount: integer('persisting_count').notNull(),
  resolvedCount: integer('resolved_count').notNull(),
  waivedCount: integer('waived_count').notNull(),
  error: text('error')
}, (t) => [index('audit_runs_scope_idx').on(t.scopeKey, t.startedAt)])

/** A finding of a run; resolved findings are those of the previous run of the scope that no longer hold. */
export const findings = sqliteTable('findings', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  runId: text('run_id').notNull().references(() => auditRuns.id, { onDelete: 'cascade' }),
  fingerprint: text('fingerprint').notNull(),
  ruleId: text('rule_id').notNull(),
  severity: text('severity', { enum: SEVERITIES }).notNull(),
  state: text('state', { enum: FINDING_STATES }).notNull(),
  subjectKind: text('subject_kind').notNull(),
  subjectId: text('subject_id').notNull(),
  related: text('related', { mode: 'json' }).$type<{ kind: string, id: string }[]>().notNull(),
  message: text('message').notNull(),
  /** The finding's next step in words; null on findings stored before remediations were kept. */
  remediation: text('remediation'),
  data: text('data', { mode: 'json' }).$type<Record<string, unknown> | null>(),
  waiverId: text('waiver_id'),
  waiverReason: text('waiver_reason')
}, (t) => [
  // No index on (run_id, fingerprint): fingerprints come in no order, so one would take a write to pages all over
  // it per finding stored, and the previous run is read along its ids (src/audit/run-store.ts).
  index('findings_run_idx').on(t.runId, t.severity, t.ruleId)
])

/** Accepts one finding (by fingerprint) for a stated reason until a date. */
export const waivers = sqliteTable('waivers', {
  ...recordColumns,
  fingerprint: text('fingerprint').notNull(),
  reason: text('reason').notNull(),
  expiresAt: text('expires_at').notNull()
}, (t) => [index('waivers_fingerprint_idx').on(t.fingerprint, t.expiresAt)])

export const apiKeys = sqliteTable('api_keys', {
  id: text('id').primaryKey(),
  label: text('label').notNull(),
  role: text('role', { enum: KEY_ROLES }).notNull(),
  /** sha256 of the whole token, hex; the token itself is never stored. */
  tokenHash: text('token_hash').notNull(),
  createdAt: text('created_at').notNull(),
  revokedAt: text('revoked_at')
}, (t) => [uniqueIndex('api_keys_token_hash_unique').on(t.tokenHash)])

/** The change log: one append-only entry per mutation, written in the mutation's transaction. */
export const changes = sqliteTable('changes', {
  revision: integer('revision').primaryKey({ autoIncrement: true }),
  at: text('at').notNull(),
  actorKeyId: text('actor_key_id'),
  actorLabel: text('actor_label').notNull(),
  action: text('action', { enum: CHANGE_ACTIONS }).notNull(),
  entity: text('entity', { enum: ENTITIES }).notNull(),
  entityId: text('entity_id').notNull(),
  before: text('before', { mode: 'json' }).$type<Record<string, unknown> | null>(),
  after: text('after', { mode: 'json' }).$type<Record<string, unknown> | null>()
}, (t) => [
  index('changes_entity_idx').on(t.entity, t.entityId, t.revision),
  index('changes_at_idx').on(t.at)
])

/**
 * The references a record's versions made and its current row no longer makes: written by the change log when a
 * change moves a reference field (src/store/change-log.ts, REFERENCE_FIELDS) away from a value, or deletes the
 * record. With the current tables' own indexes it finds every record that ever named a value, for lists at a past
 * time filtered by a reference (src/store/history.ts), at no cost to creating a record.
 */
export const changeRefs = sqliteTable('change_refs', {
  entity: text('entity', { enum: ENTITIES }).notNull(),
  field: text('field').notNull(),
  value: text('value').notNull(),
  entityId: text('entity_id').notNull()
}, (t) => [primaryKey({ columns: [t.entity, t.field, t.value, t.entityId] })])

/**
 * Every version of every record with the interval it was the current one: the state at T is the row with
 * sysFrom ≤ T < sysTo (sysTo null while current); the version itself is the `after` of the change at `revision`.
 * Written with the change-log entry, in the same transaction.
 */
export const history = sqliteTable('history', {
  revision: integer('revision').primaryKey().references(() => changes.revision),
  entity: text('entity', { enum: ENTITIES }).notNull(),
  entityId: text('entity_id').notNull(),
  sysFrom: text('sys_from').notNull(),
  sysTo: text('sys_to')
}, (t) => [
  index('history_entity_idx').on(t.entity, t.entityId, t.sysFrom),
  index('history_time_idx').on(t.entity, t.sysFrom, t.sysTo)
])

export const IDEMPOTENCY_STATES = ['in_progress', 'done'] as const

/**
 * The Idempotency-Key of each caller's POSTs for 24 hours: the first request with a key claims it (in_progress), and
 * its answer is stored when sent (done), to be replayed to a retry. A row past expires_at counts as absent.
 */
export const idempotencyKeys = sqliteTable('idempotency_keys', {
  keyId: text('key_id').notNull().references(() => apiKeys.id, { onDelete: 'cascade' }),
  idempotencyKey: text('idempotency_key').notNull(),
  /** sha256 of the method, path, query and canonical body: a retry must be the same request. */
  fingerprint: text('fingerprint').notNull(),
  state: text('state', { enum: IDEMPOTENCY_STATES }).notNull(),
  /** The answer, once sent: status, the headers a replay repeats, and the body bytes. */
  status: integer('status'),
  headers: text('headers', { mode: 'json' }).$type<Record<string, string>>(),
  body: blob('body', { mode: 'buffer' }),
  /** The body is encrypted with a key derived from the caller's token (answers marked no-store, such as a new key's token). */
  sealed: integer('sealed', { mode: 'boolean' }).notNull(),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull()
}, (t) => [
  primaryKey({ columns: [t.keyId, t.idempotencyKey] }),
  index('idempotency_keys_expires_idx').on(t.expiresAt)
])
