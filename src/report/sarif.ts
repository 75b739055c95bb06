// An audit run's findings as a SARIF 2.1.0 log, for code-scanning views: every rule with its description and advice,
// every finding that holds with its level, the records it is about, and — for an audit of a file — the cells at fault.
import type { Log, LogicalLocation, Location, ReportingDescriptor, Result } from 'sarif'
import type { Rule } from '../audit/rule.js'
import { rules as allRules } from '../audit/rules/index.js'
import type { ReportFinding, Ref } from './names.js'

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'

/**
 * A place in the audited file: `uri` as a SARIF artifact URI (relative, forward slashes, each segment
 * percent-encoded), `line` the 1-based row of the spreadsheet (or line of the CSV; the header is row 1) and `column`
 * the 1-based column (A = 1). Both become the result's region startLine and startColumn.
 */
export interface SourcePosition { uri: string, line: number, column: number }

/**
 * Where in the audited file a finding is (the interface `audit --from FILE` implements, src/cli/audit-from.ts; keep it
 * stable): called once per finding that holds, it returns one position per cell at fault (the log gets one location
 * each, the first also naming the records), or none when the file says nothing about the finding (the result keeps
 * its logical locations only). It must not throw; the order of positions is kept.
 */
export type Locator = (finding: ReportFinding) => readonly SourcePosition[]

export interface SarifOptions {
  /** The rule catalogue; default every rule. */
  rules?: readonly Rule[]
  /** A record's name for the logical locations (default its id). */
  label?: (ref: Ref) => string
  /** For an audit of a file: the row and column of each finding in it. */
  locate?: Locator
  /** The audit run, for the log's automation id. */
  runId?: string
  /** The time the registry was judged at. */
  at?: string
  toolVersion?: string
}

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const
const BASELINE = { new: 'new', persisting: 'unchanged' } as const
// Kinds a finding's logical locations name, in the order they are listed.
const LOCATED_KINDS = new Set(['initiative', 'domain', 'person'])

/** "multiple-final-deciders" → "MultipleFinalDeciders": SARIF's rule name is an identifier-like word. */
const ruleName = (id: string): string => id.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')

function descriptor (rule: Rule): ReportingDescriptor {
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.rationale },
    help: { text: rule.remediation },
    defaultConfiguration: { level: LEVEL[rule.defaultSeverity] }
  }
}

function logicalLocations (finding: ReportFinding, label: (ref: Ref) => string): LogicalLocation[] {
  const seen = new Set<string>()
  const locations: LogicalLocation[] = []
  for (const ref of [finding.subject, ...finding.related]) {
    const key = `${ref.kind}/${ref.id}`
    if (!LOCATED_KINDS.has(ref.kind) || seen.has(key)) continue
    seen.add(key)
    locations.push({ kind: ref.kind, name: label(ref), fullyQualifiedName: key })
  }
  return locations
}

function locations (finding: ReportFinding, label: (ref: Ref) => string, locate: Locator | undefined): Location[] {
  const logical = logicalLocations(finding, label)
  const physical = locate?.(finding) ?? []
  if (physical.length === 0) return logical.length === 0 ? [] : [{ logicalLocations: logical }]
  return physical.map((p, i) => ({
    physicalLocation: { artifactLocation: { uri: p.uri }, region: { startLine: p.line, startColumn: p.column } },
    ...(i === 0 && logical.length > 0 ? { logicalLocations: logical } : {})
  }))
}

/**
 * The log of one run: the findings that hold (a resolved one is no result), each with the level of its severity,
 * its fingerprint as a partial fingerprint, new or unchanged against the previous run when known, and a waived one
 * as an accepted external suppression with the waiver's reason. A finding of a rule outside the catalogue keeps its
 * rule id without an index.
 */
export function auditSarif (findings: readonly ReportFinding[], options: SarifOptions = {}): Log {
  const catalogue = options.rules ?? allRules
  const index = new Map(catalogue.map((rule, i) => [rule.id, i]))
  const label = options.label ?? ((ref: Ref) => ref.id)
  const results = findings.filter((f) => f.state !== 'resolved').map((f): Result => {
    const ruleIndex = index.get(f.ruleId)
    const result: Result = {
      ruleId: f.ruleId,
      ...(ruleIndex === undefined ? {} : { ruleIndex }),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: locations(f, label, options.locate),
      partialFingerprints: { 'whodecides/v1': f.fingerprint }
    }
    if (f.state === 'new' || f.state === 'persisting') result.baselineState = BASELINE[f.state]
    if (f.remediation !== undefined) result.properties = { remediation: f.remediation }
    if (f.waived != null) result.suppressions = [{ kind: 'external', status: 'accepted', justification: f.waived.reason }]
    return result
  })
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'whodecides',
          ...(options.toolVersion === undefined ? {} : { version: options.toolVersion }),
          rules: catalogue.map(descriptor)
        }
      },
      ...(options.runId === undefined ? {} : { automationDetails: { id: `whodecides/audit/${options.runId}` } }),
      ...(options.at === undefined ? {} : { properties: { judgedAt: options.at } }),
      columnKind: 'unicodeCodePoints',
      results
    }]
  }
}
