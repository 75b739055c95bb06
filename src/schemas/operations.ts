// The one catalogue of operation descriptions, keyed by operationId: what each operation is for. The openapi plugin
// completes each with who may call it (from the route's own config.allow) and its main errors (from its responses).
import type { Role } from './common.js'

/** A 204 has no body: a deletion's effects go only as Link rel="findings" headers (services/write-effects.ts). */
const DELETED_EFFECTS = ' Answers 204 with no body: what the deletion raised or cleared is one Link rel="findings" away (the live findings of each initiative it touched), not an `effects` list.'

/** What an operation is for, in a sentence or two a newcomer can act on. */
export const OPERATION_PURPOSES: Record<string, string> = {
  getHealth: 'Tells a load balancer or a monitor whether the service is up and its database answers.',
  listPeople: 'Lists the decision makers and everyone else who holds a role, for a directory or a sync job; ?q= finds people by name, email or id.',
  createPerson: 'Records a new person so that they can be given roles, delegations and decisions.',
  getPerson: 'Reads one person as stored now, or as they were at ?at=.',
  updatePerson: 'Changes a person, above all their status (on leave, departed, retired): the decider answers follow at once.',
  deletePerson: 'Removes a person recorded by mistake; someone who held roles is set departed or retired instead, so history stays.',
  listPersonStatuses: 'Shows when a person was active, on leave, departed or retired: the timeline the decider answers at a past time read.',
  listKeys: 'Lets whoever runs the service see which API keys exist and which are revoked.',
  createKey: 'Issues an API key for a user or a tool, with one role; the token is shown once, in this answer.',
  revokeKey: 'Stops a key from working at once, for a leaked key or a departed user.',
  listChanges: 'Feeds a sync job or an audit trail with every change to the registry, in order, from a revision on.',
  listDomains: 'Lists the decision areas (pricing, hiring, product…) and their tree; ?q= finds them by name or id.',
  createDomain: 'Adds a decision area, under a parent if given; roles held on it apply to every initiative in it and below.',
  getDomain: 'Reads one decision area as stored now, or as it was at ?at=.',
  updateDomain: 'Renames a decision area or moves it in the tree; inherited roles and decider answers follow the move.',
  deleteDomain: 'Removes a decision area that nothing points to any more.',
  listInitiatives: 'Lists the change efforts and decisions to be made; ?q= finds them by title or id.',
  createInitiative: 'Records a change effort or a decision to be made, with its destination, due date and decision rule.',
  getInitiative: 'Reads one initiative as stored now, or as it was at ?at=.',
  updateInitiative: 'Changes an initiative: its status, domain, due date or decision rule.',
  deleteInitiative: 'Removes an initiative recorded by mistake; one with roles or decisions is closed by its status instead.' +
    DELETED_EFFECTS,
  getInitiativeRaci: 'Shows who is Responsible, Accountable, Consulted and Informed on an initiative at a time, each role with where it comes from; each A says whether it is the effective one or overridden by a nearer A, as /decider resolves it.',
  listAssignments: 'Lists RACI cells, filtered by person, target, role and the time they hold.',
  createAssignment: 'Gives a person a RACI role on an initiative or a domain from a time on; an A makes them a final decider.',
  getAssignment: 'Reads one RACI cell.',
  updateAssignment: 'Changes a RACI cell: its role, target or period.',
  endAssignment: 'Ends a role now, keeping its history, so that past answers stay true.',
  listDelegations: 'Lists who handed authority to whom, for what and when.',
  createDelegation: 'Records that a decider hands authority to someone for a period: a deputy while they are away, or a transfer for the period.',
  getDelegation: 'Reads one delegation.',
  updateDelegation: 'Changes a delegation: its delegate, scope or period.',
  deleteDelegation: 'Removes a delegation recorded by mistake.' + DELETED_EFFECTS,
  listInfluences: 'Lists the informal authority a change agent has observed.',
  createInfluence: 'Records that someone steers an initiative, a domain or a person without a formal role; the audit weighs it, and the answer\'s `effects` say which findings it raised or cleared.',
  getInfluence: 'Reads one observed influence.',
  updateInfluence: 'Changes an observed influence, its strength for example.',
  deleteInfluence: 'Removes an observed influence.' + DELETED_EFFECTS,
  resolveInitiativeDecider: 'Answers "who decides this initiative?" now or at a past time, with the path that led there: the assignment, the domain it is inherited from, the delegations followed.',
  resolveDomainDecider: 'Answers "who decides in this decision area?" now or at a past time, with the path.',
  getPersonAuthority: 'Lists everything a person decides at a time, and how they came to: directly, inherited, or as a delegate.',
  resolveDeciders: 'Answers "who decides?" for many initiatives in one call, for a tool that routes questions in bulk.',
  listDecisions: 'Shows the calls made on an initiative and who made them: its decision log.',
  recordDecision: 'Records who made a call on an initiative, when and what; the audit checks the maker held the authority then.',
  getDecision: 'Reads one decision record.',
  listRules: 'Lists the audit rules with their severity, options and whether they are enabled.',
  updateRule: 'Tunes an audit rule for this organization: enable, disable, set its severity or options.',
  runAudit: 'Runs the boundary audit (two deciders, none, an absent decider, a retired founder still steering…) and stores the run.',
  listAudits: 'Lists the audit runs, to follow the findings over time.',
  getAudit: 'Reads one audit run and its totals.',
  listFindings: 'Lists a run\'s findings, each with what to do about it; new, persisting and resolved since the previous run.',
  getAuditReport: 'Gives the change agent a report to show leadership: the findings in words, the RACI matrix and the lines of authority.',
  getInitiativeFindings: 'Checks one initiative\'s boundaries live, without storing a run: for a form that warns while it is edited.',
  listWaivers: 'Lists the findings accepted for a reason, and until when.',
  createWaiver: 'Accepts a finding for a stated reason until a date: later audits mark it waived.',
  getWaiver: 'Reads one waiver.',
  deleteWaiver: 'Withdraws a waiver: the finding counts again.',
  exportBundle: 'Exports the whole registry as one JSON bundle, for a backup or a copy to another instance.',
  exportRaciMatrix: 'Exports the organization-wide RACI matrix for a spreadsheet user or leadership, problem cells marked; in JSON each row also lists its A\'s up the domain tree, effective or overridden.',
  importBundle: 'Loads a bundle, a RACI matrix or a people file in one atomic step, with a dry run to check it first.'
}

const ROLE_LIST = (roles: readonly Role[]): string =>
  roles.length === 1 ? roles[0]! : `${roles.slice(0, -1).join(', ')} or ${roles.at(-1)!}`

/** The who-may-call sentence, from the route's own allow list (null: a public route). */
export const whoMayCall = (allow: readonly Role[] | null): string => allow === null
  ? 'Who may call it: anyone, without a key (a public route, no role needed).'
  : `Who may call it: a key with the ${ROLE_LIST(allow)} role${allow.length === 1 ? '' : 's'}.`

const ERRORS: Record<string, string> = {
  400: '400 for a malformed request, naming the field',
  401: '401 without a live key',
  403: '403 for a key whose role is not allowed',
  404: '404 when the record does not exist',
  409: '409 when the record conflicts with another (an id taken, a record still referenced)',
  412: '412 when If-Match no longer matches the record\'s version',
  413: '413 for a body over the limit',
  415: '415 for a body that is not JSON',
  422: '422 when the record breaks a rule of the registry (the detail says which)',
  429: '429 past the rate limit (Retry-After says when)',
  503: '503 while the service sheds load (Retry-After says when)'
}

/** The main errors sentence, from the route's declared responses; the ones every route shares come last. */
export function mainErrors (statuses: readonly string[]): string {
  const common = ['400', '401', '403', '429', '503']
  const own = statuses.filter((s) => ERRORS[s] !== undefined && !common.includes(s))
  const shared = statuses.filter((s) => common.includes(s) && ERRORS[s] !== undefined)
  const listed = [...own, ...shared].map((s) => ERRORS[s]!)
  return listed.length === 0 ? 'It has no error answer of its own.' : `Main errors: ${listed.join('; ')}.`
}

/** The description of one operation: its purpose (the summary when the catalogue has none), who may call it, its errors. */
export function describeOperation (operationId: string, summary: string | undefined, allow: readonly Role[] | null, statuses: readonly string[]): string {
  const purpose = OPERATION_PURPOSES[operationId] ?? `${summary ?? operationId}.`
  return [purpose, whoMayCall(allow), mainErrors(statuses)].join('\n\n')
}
