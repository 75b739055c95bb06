// The command line with spreadsheets on a database file: people CSV (with --map) and RACI matrices imported, with
// every problem by row and column and nothing written; the people and the matrix exported as CSV and XLSX and read back.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ESC, oneLine, organizationFile, PROCESSES_MS, tempDir, whodecides } from './run.js'

t.setTimeout(PROCESSES_MS)

t.test('people and RACI matrices in and out through the command line', async (t) => {
  const dir = tempDir(t)
  const db = join(dir, 'registry.db')
  const env = { WHODECIDES_DB: db }
  t.equal((await whodecides(['import', organizationFile(dir)], env)).code, 0, 'the organization is loaded')

  // People as an HR system exports them, one header its own.
  const people = join(dir, 'hr-export.csv')
  writeFileSync(people, 'Full name,Work mail,Job title,Status\nAda Lovelace,ada@example.com,Chief Executive,active\nDan Brown,dan@example.com,Analyst,active\n')
  const [noMap, dry] = await Promise.all([
    whodecides(['import', people, '--kind', 'people'], env),
    whodecides(['import', people, '--map', 'Work mail=email', '--dry-run'], env)
  ])
  t.equal(noMap.code, 1, 'without --map the file has no email column: refused')
  t.match(oneLine(noMap.stderr), [new RegExp(`^whodecides: ${people}: No column gives the email: .*--map COLUMN=email; nothing was imported$`)], 'in one line')
  t.equal(dry.code, 0, dry.stderr)
  t.match(dry.stdout, new RegExp(`^dry run of ${people} \\(people\\): nothing written\n`))
  t.match(dry.stdout, /^people created +1$/m, 'Dan would be created')
  t.match(dry.stdout, /^people changed +1$/m, 'and Ada\'s title changed')
  t.notMatch((await whodecides(['export', '--format', 'people-csv'], env)).stdout, 'dan@example.com', 'a dry run writes nothing')
  const imported = await whodecides(['import', people, '--map', 'Work mail=email'], env)
  t.equal(imported.code, 0, imported.stderr)
  t.match(imported.stdout, new RegExp(`^${people} imported \\(people\\) at revision \\d+\n`))
  const again = await whodecides(['import', people, '--map', 'Work mail=email'], env)
  t.match(again.stdout, /nothing changed/, 'the same file twice changes nothing the second time')
  t.match(again.stdout, /^people unchanged +2$/m)

  // A matrix with problems: every one by row and column, nothing written.
  const bad = join(dir, 'bad-matrix.csv')
  writeFileSync(bad, 'Initiative,ada@example.com,nobody@example.com\nNobody home,X,\nGhost,A,\n')
  const refused = await whodecides(['import', bad], env)
  t.equal(refused.code, 1)
  const [first, head, ...rows] = oneLine(refused.stderr)
  t.equal(first, `whodecides: ${bad}: 3 problem(s); nothing was imported`, 'one line naming the file')
  t.match(head, /^ {2}row +column +cell +problem$/, 'then a table of the problems')
  t.match(rows[0], /^ {2}1 +3 +C1 +no person is "nobody@example\.com"/, 'an unknown person at their header')
  t.match(rows[1], /^ {2}2 +2 +B2 +"X" is not a role/, 'a bad cell')
  t.match(rows[2], /^ {2}3 +1 +A3 +no initiative is "Ghost"/, 'an unknown initiative')
  t.notMatch(refused.stderr, /\n\s+at /, 'no stack trace')

  // A good matrix, by initiative title and email; a file whose extension does not say, with --kind.
  const matrix = join(dir, 'matrix.csv')
  writeFileSync(matrix, 'Initiative,ada@example.com,dan@example.com\nNobody home,A,R\nTwin deciders,A,\n')
  const raci = await whodecides(['import', matrix], env)
  t.equal(raci.code, 0, raci.stderr)
  t.match(raci.stdout, new RegExp(`^${matrix} imported \\(RACI matrix\\) at revision \\d+\n`))
  t.match(raci.stdout, /^roles created +2$/m, 'Ada A and Dan R on "Nobody home"')
  t.match(raci.stdout, /^roles unchanged +1$/m, 'Ada\'s A on "Twin deciders" kept')
  const txt = join(dir, 'matrix.txt')
  writeFileSync(txt, readFileSync(matrix))
  const byKind = await whodecides(['import', txt, '--kind', 'raci', '--dry-run'], env)
  t.equal(byKind.code, 0, byKind.stderr)
  t.match(byKind.stdout, /^roles created +0$/m, '--kind raci reads a .txt file as a matrix, already applied')
  const truncated = join(dir, 'truncated.xlsx')
  writeFileSync(truncated, Buffer.from('PK\u0003\u0004 not the rest of a workbook'))
  const strayQuote = join(dir, 'quote.csv')
  writeFileSync(strayQuote, 'Initiative,ada@example.com\n"Nobody home,A\n')
  const [mapOnMatrix, xlsxPeople, brokenXlsx, brokenCsv] = await Promise.all([
    whodecides(['import', matrix, '--kind', 'raci', '--map', 'a=email'], env),
    whodecides(['import', join(dir, 'x.xlsx'), '--kind', 'people'], env),
    whodecides(['import', truncated], env),
    whodecides(['import', strayQuote], env)
  ])
  t.equal(brokenXlsx.code, 1)
  t.match(oneLine(brokenXlsx.stderr), [new RegExp(`^whodecides: ${truncated}: The file is not a readable XLSX workbook.*; nothing was imported$`)], 'a truncated workbook: one line')
  t.equal(brokenCsv.code, 1)
  t.match(oneLine(brokenCsv.stderr), [new RegExp(`^whodecides: ${strayQuote}, line 2: .*quote.*; nothing was imported$`)], 'a stray quote: one line naming the line')
  t.equal(mapOnMatrix.code, 2)
  t.same(oneLine(mapOnMatrix.stderr), [`whodecides: --map applies to a people file; ${matrix} is read as a RACI matrix`])
  t.equal(xlsxPeople.code, 2)

  // Exports: the people as CSV, the matrix as CSV and XLSX; each read back as the same registry.
  const sheet = join(dir, 'out.xlsx')
  const [peopleCsv, raciCsv, raciXlsx, unknownDomain, atOnJson] = await Promise.all([
    whodecides(['export', '--format', 'people-csv'], env),
    whodecides(['export', '--format', 'raci-csv'], env),
    whodecides(['export', '--format', 'raci-xlsx', '--out', sheet], env),
    whodecides(['export', '--format', 'raci-csv', '--domain', 'nowhere'], env),
    whodecides(['export', '--format', 'json', '--at', '2026-01-01'], env)
  ])
  t.equal(peopleCsv.code, 0, peopleCsv.stderr)
  t.match(peopleCsv.stdout, /^\ufeff?id,name,email,title,status,manager,tags,stake,external id\r?\n/)
  t.match(peopleCsv.stdout, /^dan,Dan Brown,dan@example\.com,Analyst,active,/m, 'Dan, his id made from his email')
  t.equal(raciCsv.code, 0, raciCsv.stderr)
  t.match(raciCsv.stdout, /^\ufeff?Initiative,Domain,Decision rule,/)
  t.match(raciCsv.stdout, /^Nobody home,,single,.*A.*$/m)
  t.notMatch(raciCsv.stdout, ESC)
  t.equal(raciXlsx.code, 0, raciXlsx.stderr)
  t.equal(readFileSync(sheet).subarray(0, 2).toString('latin1'), 'PK', 'an XLSX workbook (a zip) was written')
  t.equal(unknownDomain.code, 1)
  t.same(oneLine(unknownDomain.stderr), ['whodecides: No domains record with id "nowhere"'])
  t.equal(atOnJson.code, 2, '--at does not apply to the bundle')

  const csvBack = join(dir, 'back.csv')
  writeFileSync(csvBack, raciCsv.stdout)
  const [fromCsv, fromXlsx, peopleBack] = await Promise.all([
    whodecides(['import', csvBack], env),
    whodecides(['import', sheet, '--dry-run'], env),
    (async () => { writeFileSync(join(dir, 'people-back.csv'), peopleCsv.stdout); return await whodecides(['import', join(dir, 'people-back.csv')], env) })()
  ])
  t.equal(fromCsv.code, 0, fromCsv.stderr)
  t.match(fromCsv.stdout, /nothing changed/, 'the exported matrix imported back changes nothing (CSV)')
  t.equal(fromXlsx.code, 0, fromXlsx.stderr)
  t.match(fromXlsx.stdout, /^roles created +0$/m, 'nor does the workbook')
  t.match(fromXlsx.stdout, /^roles ended +0$/m)
  t.equal(peopleBack.code, 0, peopleBack.stderr)
  t.match(peopleBack.stdout, /nothing changed/, 'nor the people CSV')
  t.ok(existsSync(db))
})
