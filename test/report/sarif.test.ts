// The SARIF log of a run: valid against the SARIF 2.1.0 JSON schema, rules with their advice, levels from severity,
// records as logical locations, cells of an audited file as physical locations, waivers as suppressions.
import Ajv2020Module from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import { rules } from '../../src/audit/rules/index.js'
import { RecordNames } from '../../src/report/names.js'
import { auditSarif, type Locator } from '../../src/report/sarif.js'
import { reportCase } from './report-fixture.js'

// ajv and ajv-formats are CommonJS: under NodeNext their classes sit on .default.
const Ajv2020 = Ajv2020Module.default
const addFormats = addFormatsModule.default

/**
 * The SARIF 2.1.0 schema as the OASIS SARIF TC keeps it: oasis-tcs/sarif-spec, Schemata/sarif-schema-2.1.0.json at
 * commit 85971b3e048f61a6d643b95fc6233d073302f5b8 (JSON Schema 2020-12; it carries the 2.1.0 errata, e.g.
 * suppression.status, where the 2019 committee specification said suppression.state), vendored byte for byte in
 * test/fixtures/. Two defects of that file stop any JavaScript validator from compiling it, and are mended here in
 * memory, neither loosening what our logs are held to: region's anyOf (startLine, charOffset or byteOffset required)
 * stands inside region.properties, so it moves up to region itself; and the two language patterns use the inline
 * flag (?i), which JavaScript regular expressions lack, so they are written with both cases spelled out.
 */
function sarifSchema (): object {
  const schema = JSON.parse(readFileSync(new URL('../fixtures/sarif-schema-2.1.0.json', import.meta.url), 'utf8'))
  const region = schema.definitions.region
  region.anyOf = region.properties.anyOf
  delete region.properties.anyOf
  for (const owner of [schema.definitions.run, schema.definitions.toolComponent]) {
    owner.properties.language.pattern = '^[a-zA-Z]{2}(-[a-zA-Z]{2})?$'
  }
  return schema
}
const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats(ajv)
const validate = ajv.compile(sarifSchema())

function assertValid (t: Test, log: unknown): void {
  const valid = validate(log)
  t.ok(valid, `valid SARIF 2.1.0: ${JSON.stringify(validate.errors?.slice(0, 5))}`)
}

t.test('a stored run: valid, every rule described, each holding finding a result', async (t) => {
  const c = reportCase()
  const names = new RecordNames(c.model)
  const log = auditSarif(c.findings, { label: (r) => names.label(r), runId: 'run-1', at: c.run.at, toolVersion: '0.1.0' })
  assertValid(t, log)
  t.equal(log.version, '2.1.0')
  const run = log.runs[0]!
  t.equal(run.tool.driver.name, 'whodecides')
  t.equal(run.tool.driver.rules?.length, rules.length, 'the whole catalogue')
  const rule = run.tool.driver.rules?.find((r) => r.id === 'multiple-final-deciders')
  const source = rules.find((r) => r.id === 'multiple-final-deciders')!
  t.strictSame(rule, {
    id: 'multiple-final-deciders', name: 'MultipleFinalDeciders', shortDescription: { text: source.description },
    fullDescription: { text: source.rationale }, help: { text: source.remediation }, defaultConfiguration: { level: 'error' }
  }, 'the rule as the catalogue describes it, with its advice')
  t.equal(run.automationDetails?.id, 'whodecides/audit/run-1')
  const results = run.results ?? []
  t.equal(results.length, c.findings.filter((f) => f.state !== 'resolved').length, 'a resolved finding is no result')
  t.ok(results.every((r) => typeof r.properties?.remediation === 'string' && r.properties.remediation.length > 20), 'each result says what to do, in properties.remediation')
  for (const r of results) t.equal(run.tool.driver.rules?.[r.ruleIndex!]?.id, r.ruleId, `${r.ruleId}: its index points at its rule`)
  const two = results.find((r) => r.ruleId === 'multiple-final-deciders')!
  t.equal(two.level, 'error')
  t.equal(two.baselineState, 'new')
  t.strictSame(two.locations?.[0]?.logicalLocations?.map((l) => [l.kind, l.name, l.fullyQualifiedName]), [
    ['initiative', 'Two deciders', 'initiative/two'], ['person', c.model.nameOf('bob'), 'person/bob'], ['person', 'Dana Founder', 'person/daughter']
  ])
  t.ok(results.some((r) => r.level === 'warning'), 'warnings as warnings')
  const waived = results.find((r) => r.suppressions !== undefined)!
  t.strictSame(waived.suppressions, [{ kind: 'external', status: 'accepted', justification: 'Founder <hands over> in June' }])
  t.strictSame(results.map((r) => r.partialFingerprints?.['whodecides/v1']), c.findings.filter((f) => f.state !== 'resolved').map((f) => f.fingerprint),
    'each finding\'s fingerprint carried over, so a code-scanning view tracks it across runs')
  t.ok(results.some((r) => r.baselineState === 'unchanged'), 'persisting findings unchanged')
})

t.test('an audit of a file: results point at the row and column of the matrix', async (t) => {
  const c = reportCase()
  const rows: Record<string, number> = { two: 2, none: 3, away: 4, inherits: 5, covered: 6 }
  const columns: Record<string, number> = { daughter: 2, founder: 3, bob: 4, cyd: 5, investor: 6, eve: 7 }
  const locate: Locator = (f) => {
    const initiative = [f.subject, ...f.related].find((r) => r.kind === 'initiative')
    if (initiative === undefined || rows[initiative.id] === undefined) return []
    const people = [f.subject, ...f.related].filter((r) => r.kind === 'person' && columns[r.id] !== undefined)
    if (people.length === 0) return [{ uri: 'raci.csv', line: rows[initiative.id]!, column: 1 }]
    return people.map((p) => ({ uri: 'raci.csv', line: rows[initiative.id]!, column: columns[p.id]! }))
  }
  const findings = c.findings.map(({ state: _, waived: __, ...f }) => f)
  const log = auditSarif(findings, { locate })
  assertValid(t, log)
  const results = log.runs[0]!.results ?? []
  const two = results.find((r) => r.ruleId === 'multiple-final-deciders')!
  t.strictSame(two.locations?.map((l) => [l.physicalLocation?.artifactLocation?.uri, l.physicalLocation?.region?.startLine, l.physicalLocation?.region?.startColumn]),
    [['raci.csv', 2, 4], ['raci.csv', 2, 2]], 'one location per cell')
  t.ok(two.locations?.[0]?.logicalLocations !== undefined, 'the first location names the records too')
  const none = results.find((r) => r.ruleId === 'no-final-decider')!
  t.match(none.locations, [{ physicalLocation: { region: { startLine: 3, startColumn: 1 } } }], 'a row without an A: its initiative cell')
  t.ok(results.every((r) => r.baselineState === undefined && r.suppressions === undefined), 'no history, no waivers: neither is said')
  t.equal(log.runs[0]!.columnKind, 'unicodeCodePoints')
})

t.test('a log with no findings and no rules is still valid', async (t) => {
  assertValid(t, auditSarif([], { rules: [] }))
  assertValid(t, auditSarif([]))
})

t.test('the schema is a real check: what SARIF 2.1.0 does not allow is refused', async (t) => {
  const log = auditSarif(reportCase().findings)
  const result = log.runs[0]!.results!.find((r) => r.suppressions !== undefined) ?? log.runs[0]!.results![0]!
  const bad = (change: (copy: any) => void): boolean => { const copy = structuredClone(log) as any; change(copy); return validate(copy) }
  t.notOk(bad((l) => { l.version = '2.0.0' }), 'another version')
  t.notOk(bad((l) => { delete l.runs[0].results[0].message }), 'a result without its message')
  t.notOk(bad((l) => { l.runs[0].results[0].level = 'fatal' }), 'a level SARIF does not know')
  t.notOk(bad((l) => { l.runs[0].results[0].locations = [{ physicalLocation: { artifactLocation: { uri: 'raci.csv' }, region: { startLine: 0 } } }] }), 'row 0')
  t.notOk(bad((l) => { l.runs[0].results[0].suppressions = [{ kind: 'external', state: 'accepted' }] }), 'the committee draft\'s suppression.state, not the standard\'s status')
  t.ok(result !== undefined)
})
