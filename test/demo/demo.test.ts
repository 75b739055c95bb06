// `npm run demo` (src/demo/run.ts) as a reader runs it: the story's answers and findings printed, the report and the
// RACI matrix written where it says, and a database that already holds records refused.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import t from 'tap'
import { plainEnv, ROOT } from '../real-server.js'

// The demo loads the sources under tsx, starts the audit process twice and lays out the report's picture with
// Graphviz: on a busy machine that can take minutes, more than the suite's default per file.
t.setTimeout(480_000)

interface Ran { code: number | null, stdout: string, stderr: string }

/** Runs the demo as `npm run demo` does (src/demo/run.ts under tsx), output piped, tap's loader left out. */
async function demo (env: Record<string, string>, args: string[] = []): Promise<Ran> {
  const child = spawn('/bin/sh', ['-c', 'unset NODE_OPTIONS; exec "$@"', 'sh', process.execPath, '--import', 'tsx', 'src/demo/run.ts', ...args],
    { cwd: ROOT, env: plainEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => { resolve(c) }))
  return { code, stdout, stderr }
}

const dir = mkdtempSync(join(tmpdir(), 'whodecides-demo-'))
t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
const db = join(dir, 'story.db')

/** Each cell of a sheet as text, by row, the header first. */
async function sheetRows (file: string, name: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(file)
  const sheet = workbook.getWorksheet(name)
  if (sheet === undefined) return []
  const rows: string[][] = []
  sheet.eachRow((row) => {
    const cells: string[] = []
    for (let c = 1; c <= sheet.columnCount; c++) cells.push(row.getCell(c).text)
    rows.push(cells)
  })
  return rows
}

t.test('the demo tells the story on a fresh database and says where its files are', async (t) => {
  // A service configured in the shell is not the demo's target: the demo works on its own database.
  const run = await demo({ WHODECIDES_DB: db, WHODECIDES_URL: 'http://127.0.0.1:9', WHODECIDES_KEY: 'not-a-key' })
  t.equal(run.code, 0, run.stderr)
  const time = /The demo took ([\d.]+) s/.exec(run.stdout)
  t.ok(time, 'the demo says how long it took')
  t.comment(`demo wall time: ${time?.[1] ?? '?'} s`)

  t.match(run.stdout, /imported \(upsert\) at revision \d+/, 'the organization went through the import')
  t.match(run.stdout, /people\s+13\s+0\s+0\s+0/)

  // The sentences of `whodecides who`, one for each case of the story (a clear one may go on with its caveats).
  for (const sentence of [
    "Anna Berger decides 'Open a flagship showroom in Munich', as Accountable for the Strategy and investments domain",
    "Lena Fischer, Omar Haddad, Priya Raman and Tomasz Nowak decide 'Run both plants on two shifts' together: all of them must agree",
    "Nobody clearly decides 'Launch the online shop' now: Jonas Weber and Sofia Lang are both Accountable, where its rule asks for one.",
    "Nobody decides 'Trial a four-day week': nobody is Accountable for it or for any domain above it.",
    "Jonas Weber decides 'New price list for 2027' for Marta Silva, who ",
    "Nobody can decide 'Refinance the bank loan' now: Paul Okafor, its decider, is on leave and has no deputy"
  ]) t.ok(run.stdout.includes(sentence), sentence)

  // The audit's table: one finding of each boundary the story draws, as the rule and what it is about.
  const findings = run.stdout.split('\n').filter((line) => /^[a-z-]+\s+(error|warning|info)\s/.test(line))
  const rows = findings.map((line) => line.split(/\s{2,}/))
  t.same(rows.map(([rule, severity]) => `${rule ?? ''} ${severity ?? ''}`).sort(), [
    'absent-decider error',
    'multiple-final-deciders error',
    'no-final-decider error',
    'retired-influence warning',
    'shareholder-overreach warning',
    'unanimity-trap warning'
  ], 'the story\'s findings, and no others')
  const finding = (rule: string): string => findings.find((line) => line.startsWith(rule + ' ')) ?? ''
  t.match(finding('retired-influence'), /Karl Berger \(retired\) still steers Anna Berger/)
  t.match(finding('shareholder-overreach'), /Victor Hale .* strongly influences "Build a second plant"/)
  t.match(finding('unanimity-trap'), /Lena Fischer reports to Tomasz Nowak/)
  t.match(finding('absent-decider'), /Paul Okafor is on leave/)
  t.match(finding('multiple-final-deciders'), /Jonas Weber and Sofia Lang/)
  t.match(finding('no-final-decider'), /Trial a four-day week/)

  // The files, beside the database and named after it, listed at the end.
  const files = { report: join(dir, 'story-report.html'), matrix: join(dir, 'story-raci.xlsx'), organization: join(dir, 'story-organization.json') }
  for (const file of Object.values(files)) {
    t.ok(run.stdout.includes(file), `the demo says where ${file} is`)
    t.ok(existsSync(file) && statSync(file).size > 0, `${file} is written`)
  }

  const page = readFileSync(files.report, 'utf8')
  t.match(page, /^<!doctype html>/i)
  t.match(page, /<svg[\s>]/, 'the picture of the lines of authority')
  for (const text of ['Karl Berger', 'Victor Hale', 'Launch the online shop', 'retired-influence']) t.ok(page.includes(text), `the report names ${text}`)

  const [header = [], ...matrix] = await sheetRows(files.matrix, 'RACI')
  t.same(header.slice(0, 3), ['Initiative', 'Domain', 'Decision rule'])
  const cell = (title: string, email: string): string | undefined =>
    matrix.find((row) => row[0] === title)?.[header.indexOf(`${email}@berger-furniture.example`)]
  t.equal(matrix.length, 7, 'one row for each initiative')
  t.equal(cell('Launch the online shop', 'jonas')?.includes('A'), true)
  t.equal(cell('Launch the online shop', 'sofia'), 'A')
  t.equal(cell('Refinance the bank loan', 'paul'), 'A')
  t.equal(cell('Run both plants on two shifts', 'lena'), 'A')
  t.equal(cell('Build a second plant', 'victor'), 'C')
})

t.test('a second run on the same database refuses, in one line, and writes nothing', async (t) => {
  const before = statSync(db).mtimeMs
  const run = await demo({ WHODECIDES_DB: db })
  t.equal(run.code, 1)
  const lines = run.stderr.trimEnd().split('\n')
  t.equal(lines.length, 1, run.stderr)
  t.match(lines[0], `demo: ${db} already holds records (13 people, 5 domains, 7 initiatives, `)
  t.match(lines[0], /\): the demo needs a fresh database; delete that file or set WHODECIDES_DB to a new one$/)
  t.equal(run.stdout, '', 'no story is told')
  t.equal(statSync(db).mtimeMs, before, 'the database is left as it was')
})

t.test('the demo takes no options', async (t) => {
  const run = await demo({ WHODECIDES_DB: join(dir, 'unused.db') }, ['--fast'])
  t.equal(run.code, 2)
  t.match(run.stderr, /^usage: npm run demo .*: unexpected "--fast"\n$/)
  t.notOk(existsSync(join(dir, 'unused.db')), 'no database is created')
})

t.test('a file that is not a database is refused, in one line, and left as it was', async (t) => {
  const notes = join(dir, 'notes.db')
  writeFileSync(notes, 'meeting notes, not a registry\n')
  const run = await demo({ WHODECIDES_DB: notes })
  t.equal(run.code, 1)
  t.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr)
  t.match(run.stderr, `demo: cannot read ${notes}: `)
  t.equal(readFileSync(notes, 'utf8'), 'meeting notes, not a registry\n')
  t.notOk(existsSync(join(dir, 'notes-organization.json')), 'nothing is written beside it')
})
