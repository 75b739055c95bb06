// The command line on a local database file: migrate, import, who, audit and export, each run as a process, with
// its output, its exit code and its one-line errors.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ESC, oneLine, organizationFile, PROCESSES_MS, tempDir, whodecides } from './run.js'

t.setTimeout(PROCESSES_MS)

t.test('migrate, import, who, audit and export on a database file', async (t) => {
  const dir = tempDir(t)
  const db = join(dir, 'data', 'registry.db')
  const env = { WHODECIDES_DB: db }

  const missing = await whodecides(['who', 'eu-prices'], env)
  t.equal(missing.code, 1, 'a database that is not there: exit 1')
  t.same(oneLine(missing.stderr), [`whodecides: no database at ${db}: name it with --db or WHODECIDES_DB, or create it with whodecides migrate`])
  t.notOk(existsSync(db), 'and none is made')

  const notes = join(dir, 'notes.db')
  writeFileSync(notes, 'meeting notes, not a registry\n')
  const notDatabase = await whodecides(['who', 'eu-prices', '--db', notes])
  t.equal(notDatabase.code, 1, 'a file that is not a database: exit 1')
  t.same(oneLine(notDatabase.stderr), [`whodecides: ${notes} cannot be opened as a whodecides database (SQLite: file is not a database); name another file with --db or WHODECIDES_DB`],
    'said in words, not as an unexpected error')
  t.equal(readFileSync(notes, 'utf8'), 'meeting notes, not a registry\n', 'and the file is left as it was')

  const created = await whodecides(['migrate'], env)
  t.equal(created.code, 0, created.stderr)
  t.equal(created.stdout, `new database ${db}: schema up to date\n`)
  const again = await whodecides(['migrate', '--db', db])
  t.equal(again.stdout, `database ${db}: schema up to date\n`, '--db names the same file; migrating again changes nothing')

  const bundle = organizationFile(dir)
  const dry = await whodecides(['import', bundle, '--dry-run'], env)
  t.equal(dry.code, 0, dry.stderr)
  t.match(dry.stdout, new RegExp(`^dry run of ${bundle} \\(upsert\\): nothing written\n`))
  t.match(dry.stdout, /^people +4 +0 +0 +0$/m, 'a plain table in a pipe: what would be created')
  t.notMatch(dry.stdout, ESC, 'without colour')
  const imported = await whodecides(['import', bundle], env)
  t.equal(imported.code, 0, imported.stderr)
  t.match(imported.stdout, new RegExp(`^${bundle} imported \\(upsert\\) at revision \\d+\n`))
  t.match(imported.stdout, /^assignments +5 +0 +0 +0$/m)
  const twice = await whodecides(['import', bundle], env)
  t.match(twice.stdout, /nothing changed/, 'importing the same file again changes nothing')
  t.match(twice.stdout, /^people +0 +0 +0 +4$/m)

  const bad = join(dir, 'bad.json')
  writeFileSync(bad, JSON.stringify({ assignments: [{ id: 'x1', personId: 'nobody', role: 'A', initiativeId: 'twin', validFrom: '2026-01-01T00:00:00Z' }] }))
  const [refused, badKind, notJson] = await Promise.all([
    whodecides(['import', bad], env),
    whodecides(['import', join(dir, 'people.txt')], env),
    (async () => { writeFileSync(join(dir, 'broken.json'), '{"people": ['); return await whodecides(['import', join(dir, 'broken.json')], env) })()
  ])
  t.equal(refused.code, 1)
  const [first, ...rows] = oneLine(refused.stderr)
  t.match(first, new RegExp(`^whodecides: ${bad}: 1 invalid row\\(s\\); nothing was imported$`), 'a refused import names the file')
  t.match(rows.join('\n'), /^ {2}assignments\[0\] \/personId: .*nobody/m, 'and each invalid row under it')
  t.equal(badKind.code, 2)
  t.match(oneLine(badKind.stderr), [/^whodecides: .*people\.txt: cannot tell its kind from the extension "\.txt": name it with --kind \(bundle, people, raci\)$/])
  t.equal(notJson.code, 1)
  t.match(oneLine(notJson.stderr), [/^whodecides: .*broken\.json: /], 'a file that is not JSON: one line naming it')

  const [inherited, ambiguous, none, delegated, absent, unknown, future] = await Promise.all([
    whodecides(['who', 'eu-prices'], env),
    whodecides(['who', 'twin'], env),
    whodecides(['who', 'orphan'], env),
    whodecides(['who', 'leave'], env),
    whodecides(['who', 'stranded'], env),
    whodecides(['who', 'nowhere'], env),
    whodecides(['who', 'eu-prices', '--at', '2027-06-01'], env)
  ])
  t.equal(inherited.code, 0, inherited.stderr)
  t.match(inherited.stdout, /^Ada Lovelace decides 'New EU price list', as Accountable for the Pricing domain[.;]/, 'the answer\'s sentence first')
  t.match(inherited.stdout, /\ncaveats\n(  .+\n)+path\n  Ada Lovelace \(ada\)\n    assignment a1: Accountable for the Pricing domain \(pricing\)\n$/, 'then its caveats, then the path')
  t.match(ambiguous.stdout, /^Nobody clearly decides 'Twin deciders' now: Ada Lovelace and Grace Hopper are both Accountable, where its rule asks for one\.\n/)
  t.match(ambiguous.stdout, /\nnext up\n  .+\n/, 'an ambiguous answer says who is next up')
  t.match(none.stdout, /^Nobody decides 'Nobody home': nobody is Accountable for it or for any domain above it\.\n/)
  t.match(delegated.stdout, /^Grace Hopper decides 'Leave cover' for Bob Builder, who /)
  t.match(delegated.stdout, /\n    deputy d1: Grace Hopper stands in for Bob Builder, who is on leave\n/, 'a deputy stands in for the delegator, whose status the path says')
  t.match(absent.stdout, /^Nobody can decide 'Stranded' now: Cy Young, its decider, is on leave and has no deputy/)
  t.match(absent.stdout, /Cy Young \(cy\): on leave, cannot act/)
  t.equal(unknown.code, 1)
  t.same(oneLine(unknown.stderr), ['whodecides: No initiatives record with id "nowhere"'])
  t.match(future.stdout, /^Nobody decides 'New EU price list' on 1 June 2027: /, '--at answers for that time')

  // One after another: audits run at once by processes of their own on one file remove each other's runs in
  // progress (the audit store takes a run another process is storing for one left unfinished).
  const json = await whodecides(['audit', '--format', 'json'], env)
  const gate = await whodecides(['audit', '--fail-on', 'error', '--quiet'], env)
  const gateScoped = await whodecides(['audit', '--domain', 'pricing', '--fail-on', 'error'], env)
  const table = await whodecides(['audit'], { ...env, NO_COLOR: '1' })
  const byRule = await whodecides(['audit', '--group-by', 'rule'], env)
  const flat = await whodecides(['audit', '--group-by', 'none'], env)
  const groupedSarif = await whodecides(['audit', '--format', 'sarif', '--group-by', 'person'], env)
  t.equal(json.code, 0, json.stderr)
  const { run, findings } = JSON.parse(json.stdout)
  t.type(run.id, 'string')
  t.ok(findings.some((f: any) => f.ruleId === 'multiple-final-deciders' && f.subject.id === 'twin' && f.severity === 'error'), 'two A\'s on twin is an error')
  t.ok(findings.every((f: any) => typeof f.remediation === 'string' && f.remediation.length > 20), 'each finding says what to do')
  const groups = JSON.parse(json.stdout).groups
  t.equal(JSON.parse(json.stdout).groupBy, 'subject', 'json: grouped by subject by default, beside the findings as they were')
  t.strictSame(groups.map((g: any) => `${g.severity} ${g.label} ${g.count}`),
    ['error Nobody home 2', 'error Stranded 2', 'error Twin deciders 2', 'warning New EU price list 1', 'warning Leave cover 1'], 'as the API groups them: worst, then largest')
  t.strictSame(groups[2].findings.map((f: any) => f.ruleId), ['multiple-final-deciders', 'no-responsible'], 'each group with its findings, whole')
  t.match(groups[2].findings[0].remediation, /^Make one of Ada Lovelace and Grace Hopper Accountable for "Twin deciders"/)
  t.equal(gate.code, 1, '--fail-on error with errors remaining: exit 1')
  t.equal(gate.stderr, '', '--quiet says nothing more')
  t.equal(gateScoped.code, 0, `a domain without errors passes the gate: ${gateScoped.stdout}${gateScoped.stderr}`)
  t.equal(table.code, 0)
  t.match(table.stdout, /^rule +severity +initiative +summary +what to do +state$/m, 'the table\'s header, with what to do')
  t.match(table.stdout, /^multiple-final-deciders +error +Twin deciders +2 people hold the final decision on "Twin deciders": Ada Lovelace and Grace Hopper +Make one of Ada Lovelace and Grace Hopper Accountable for "Twin deciders" .+ +(new|persisting)$/m,
    'a finding by rule, severity, initiative title, summary, what to do and state')
  t.match(table.stdout, /^Twin deciders \(initiative\): 2 findings, worst error\nmultiple-final-deciders .+\nno-responsible +warning +Twin deciders +.+ +Ask Ada Lovelace and Grace Hopper, its final deciders, to name who does the work/m,
    'grouped by subject by default: the group\'s heading, its count and worst severity, then its findings')
  t.ok(table.stdout.indexOf('Stranded (initiative): 2 findings, worst error') < table.stdout.indexOf('Leave cover (initiative): 1 finding, worst warning'), 'errors first')
  t.match(table.stdout, /^audit \S+ of .* \d+ errors?, \d+ warnings?, \d+ info hold; .*; 5 groups by subject$/m, 'then the totals')
  t.equal(byRule.code, 0, byRule.stderr)
  t.match(byRule.stdout, /^No responsible \(rule\): 5 findings, worst warning$/m, '--group-by rule: one group of five')
  t.match(byRule.stdout, /; 4 groups by rule\n$/)
  t.equal(flat.code, 0, flat.stderr)
  t.notMatch(flat.stdout, /\(initiative\): \d+ finding/, '--group-by none: one finding a row, no groups')
  t.match(flat.stdout, /^no-responsible +warning +Leave cover +.+ +Ask Grace Hopper, its final decider, .+ +persisting$/m)
  t.match(flat.stdout, /since the last run\n$/)
  t.equal(groupedSarif.code, 2, '--group-by with a format that is not grouped: a usage error')
  t.same(oneLine(groupedSarif.stderr), ['whodecides: --group-by: for --format table or json; the sarif output is not grouped'])
  t.notMatch(table.stdout, ESC, 'NO_COLOR and a pipe: no colour')

  const [closedWho, closedGate] = await Promise.all([
    whodecides(['who', 'leave'], env, { closedStdout: true }),
    whodecides(['audit', '--fail-on', 'error'], env, { closedStdout: true })
  ])
  t.same([closedWho.code, closedWho.stderr], [0, ''], 'a reader that has gone (| head): no stack trace, the command\'s own exit code')
  t.equal(closedGate.code, 1, 'the gate still fails')
  t.match(closedGate.stderr, /^\d+ finding\(s\) at or above error remain\n$/)

  const out = join(dir, 'export.json')
  const [printed, written] = await Promise.all([whodecides(['export'], env), whodecides(['export', '--format', 'json', '--out', out], env)])
  t.equal(printed.code, 0, printed.stderr)
  const exported = JSON.parse(printed.stdout)
  t.same(exported.people.map((p: { id: string }) => p.id), ['ada', 'bob', 'cy', 'grace'], 'the export holds the registry')
  t.equal(written.stdout, '')
  t.match(written.stderr, `export written to ${out}`)
  t.same(JSON.parse(readFileSync(out, 'utf8')), exported, '--out writes the same bundle')
})
