// `audit --from FILE`: a RACI matrix (CSV, XLSX) or a bundle audited alone, with no database and no service; SARIF
// results at the file's row and column. And the report page and the SARIF log of an audit of a database file.
import Ajv2020Module from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { matrixRegistry } from '../../src/cli/audit-from.js'
import { readRaciMatrix } from '../../src/formats/read-raci-matrix.js'
import { oneLine, organizationFile, PROCESSES_MS, tempDir, whodecides } from './run.js'

t.setTimeout(PROCESSES_MS)

/**
 * The SARIF 2.1.0 schema vendored in test/fixtures/, with the two mends test/report/sarif.test.ts explains (region's
 * anyOf moved up; the language patterns without the inline (?i) flag): a log the command line writes is held to it.
 */
function sarifValidator (): (log: unknown) => boolean {
  const schema = JSON.parse(readFileSync(new URL('../fixtures/sarif-schema-2.1.0.json', import.meta.url), 'utf8'))
  schema.definitions.region.anyOf = schema.definitions.region.properties.anyOf
  delete schema.definitions.region.properties.anyOf
  for (const owner of [schema.definitions.run, schema.definitions.toolComponent]) owner.properties.language.pattern = '^[a-zA-Z]{2}(-[a-zA-Z]{2})?$'
  const ajv = new Ajv2020Module.default({ strict: false, allErrors: true })
  addFormatsModule.default(ajv)
  const validate = ajv.compile(schema)
  return (log) => validate(log)
}

const MATRIX = [
  'Initiative,Domain,Decision rule,ada@example.com,Grace Hopper,bob@example.com',
  'New price list,Pricing,single,A,R,',
  'Twin deciders,,single,A,A,C',
  'Nobody home,,,R,,',
  'Pool,Pricing,pool,A/R,A,'
].join('\n') + '\n'

t.test('a matrix as a registry: people by header, initiatives by row, each finding at its cells', async (t) => {
  const { matrix } = readRaciMatrix(MATRIX.trimEnd().split('\n').map((line) => line.split(',')))
  const { bundle, locate } = matrixRegistry(matrix, 'org/raci.csv')
  t.same(bundle.people.map((p) => [p.id, p.name, p.email, p.status]), [
    ['ada', 'ada@example.com', 'ada@example.com', 'active'],
    ['grace-hopper', 'Grace Hopper', 'grace-hopper@matrix.invalid', 'active'],
    ['bob', 'bob@example.com', 'bob@example.com', 'active']
  ], 'an email header is the person\'s email and id; a name header their name')
  t.same(bundle.domains, [{ id: 'pricing', name: 'Pricing' }], 'one domain per distinct name')
  t.same(bundle.initiatives.map((i) => [i.id, i.domainId, i.decisionRule]),
    [['new-price-list', 'pricing', 'single'], ['twin-deciders', null, 'single'], ['nobody-home', null, 'single'], ['pool', 'pricing', 'pool']])
  t.equal(bundle.assignments.length, 9, 'one assignment per role in a cell (A/R is two)')
  const twin = { fingerprint: 'f', ruleId: 'multiple-final-deciders', severity: 'error' as const, message: 'm', remediation: 'r', subject: { kind: 'initiative', id: 'twin-deciders' }, related: [{ kind: 'person', id: 'ada' }, { kind: 'person', id: 'grace-hopper' }] }
  t.same(locate(twin), [{ uri: 'org/raci.csv', line: 3, column: 4 }, { uri: 'org/raci.csv', line: 3, column: 5 }], 'the two A cells of the row')
  t.same(locate({ ...twin, subject: { kind: 'initiative', id: 'nobody-home' }, related: [] }), [{ uri: 'org/raci.csv', line: 4, column: 1 }], 'a row at fault as a whole: its initiative cell')
  t.same(locate({ ...twin, subject: { kind: 'person', id: 'bob' }, related: [] }), [{ uri: 'org/raci.csv', line: 1, column: 6 }], 'a person: their header')
  t.same(locate({ ...twin, subject: { kind: 'initiative', id: 'gone' }, related: [] }), [], 'nothing known: no place')
})

t.test('audit --from a CSV, an XLSX or a bundle: no database, the same findings; SARIF at the cells', async (t) => {
  const dir = tempDir(t)
  const csv = join(dir, 'raci.csv')
  writeFileSync(csv, MATRIX)
  // A database named but never made: --from does not touch it.
  const env = { WHODECIDES_DB: join(dir, 'never.db') }
  const [table, sarif, gate, json, missing, badExtension, badMatrix] = await Promise.all([
    whodecides(['audit', '--from', csv], { ...env, NO_COLOR: '1' }),
    whodecides(['audit', '--from', csv, '--format', 'sarif'], env),
    whodecides(['audit', '--from', csv, '--fail-on', 'error', '--format', 'json'], env),
    whodecides(['audit', '--from', organizationFile(dir), '--format', 'json'], env),
    whodecides(['audit', '--from', join(dir, 'nope.csv')], env),
    whodecides(['audit', '--from', join(dir, 'raci.ods')], env),
    (async () => { writeFileSync(join(dir, 'bad.csv'), 'Initiative,ada@example.com\nTwin,Q\n'); return await whodecides(['audit', '--from', join(dir, 'bad.csv')], env) })()
  ])
  t.equal(table.code, 0, table.stderr)
  t.match(table.stdout, /^multiple-final-deciders +error +Twin deciders +2 people hold the final decision/m)
  t.match(table.stdout, /^no-final-decider +error +Nobody home /m)
  t.match(table.stdout, new RegExp(`^audit \\S+ of ${csv} at `, 'm'), 'the summary names the file')
  t.notOk(existsSync(env.WHODECIDES_DB), 'no database made')

  t.equal(sarif.code, 0, sarif.stderr)
  const log = JSON.parse(sarif.stdout)
  const valid = sarifValidator()
  t.ok(valid(log), 'a SARIF 2.1.0 log, valid against its schema')
  const twin = log.runs[0].results.find((r: any) => r.ruleId === 'multiple-final-deciders')
  t.same(twin.locations.map((l: any) => [l.physicalLocation.artifactLocation.uri.endsWith('raci.csv'), l.physicalLocation.region]),
    [[true, { startLine: 3, startColumn: 4 }], [true, { startLine: 3, startColumn: 5 }]], 'the two A cells, by row and column')
  t.match(twin.locations[0].logicalLocations, [{ kind: 'initiative', name: 'Twin deciders' }], 'and the initiative by its title')

  t.equal(gate.code, 1, '--fail-on error with errors in the file: exit 1')
  t.match(gate.stderr, /^\d+ finding\(s\) at or above error remain\n$/)
  t.ok(JSON.parse(gate.stdout).findings.length > 0)

  t.equal(json.code, 0, json.stderr)
  const fromBundle = JSON.parse(json.stdout).findings
  t.ok(fromBundle.some((f: any) => f.ruleId === 'multiple-final-deciders' && f.subject.id === 'twin'), 'a bundle audited alone')
  t.ok(fromBundle.some((f: any) => f.ruleId === 'absent-decider' && f.subject.id === 'stranded'))

  t.equal(missing.code, 1)
  t.match(oneLine(missing.stderr), [/^whodecides: cannot read .*nope\.csv: ENOENT$/])
  t.equal(badExtension.code, 2)
  t.match(oneLine(badExtension.stderr), [/^whodecides: --from .*raci\.ods: a bundle \(\.json\) or a RACI matrix \(\.csv or \.xlsx\), not "\.ods"$/])
  t.equal(badMatrix.code, 1)
  t.match(oneLine(badMatrix.stderr)[0], /^whodecides: .*bad\.csv: 1 problem\(s\); nothing was audited$/)
  t.match(badMatrix.stderr, /^ {2}2 +2 +B2 +"Q" is not a role/m, 'a matrix that cannot be read: its problems by cell')

  // The same matrix as a workbook, exported from a database that holds it, audited alone.
  const db = join(dir, 'registry.db')
  const local = { WHODECIDES_DB: db }
  t.equal((await whodecides(['import', organizationFile(dir)], local)).code, 0)
  const sheet = join(dir, 'matrix.xlsx')
  t.equal((await whodecides(['export', '--format', 'raci-xlsx', '--out', sheet], local)).code, 0)
  // The two audits of the database file one after the other (see local.test.ts).
  const [fromXlsx, html, fileHtml] = await Promise.all([
    whodecides(['audit', '--from', sheet, '--format', 'sarif'], env),
    whodecides(['audit', '--format', 'html', '--out', join(dir, 'report.html')], local),
    whodecides(['audit', '--from', csv, '--format', 'html'], env)
  ])
  const localSarif = await whodecides(['audit', '--format', 'sarif'], local)
  t.equal(fromXlsx.code, 0, fromXlsx.stderr)
  t.ok(valid(JSON.parse(fromXlsx.stdout)), 'valid too')
  const xlsxTwin = JSON.parse(fromXlsx.stdout).runs[0].results.find((r: any) => r.ruleId === 'multiple-final-deciders')
  t.ok(xlsxTwin?.locations.every((l: any) => l.physicalLocation.region.startLine >= 2), 'a workbook\'s findings at its rows too')

  t.equal(html.code, 0, html.stderr)
  t.match(html.stderr, /^audit \S+ written to .*report\.html\n$/)
  const page = readFileSync(join(dir, 'report.html'), 'utf8')
  t.match(page, /^<!doctype html>/i, 'a page')
  t.match(page, 'Twin deciders', 'naming the initiatives')
  t.match(page, '<svg', 'with its picture')
  t.equal(fileHtml.code, 0, fileHtml.stderr)
  t.match(fileHtml.stdout, new RegExp(`<h1>[^<]*${csv.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`), 'the report of a file names the file')
  t.match(fileHtml.stdout, 'Twin deciders')
  t.equal(localSarif.code, 0, localSarif.stderr)
  t.ok(valid(JSON.parse(localSarif.stdout)), 'a stored run\'s log is valid too')
  const stored = JSON.parse(localSarif.stdout).runs[0]
  t.match(stored.automationDetails.id, /^whodecides\/audit\//, 'a stored run\'s log names the run')
  t.ok(stored.results.every((r: any) => r.locations.every((l: any) => l.physicalLocation === undefined)), 'and no file positions: it is no file\'s audit')
})
