// `npm run demo`: the product's story in under a minute, told by running the real `whodecides` command line — the
// program bin/whodecides.mjs runs (src/cli/program.ts), each command in this process — on a fresh database, with a
// sentence of narration before each step. The database is WHODECIDES_DB when set, else ./data/demo.db; one that
// already holds records is refused, so the demo never writes into a real registry. The files it writes (the
// organization, the report, the matrix) sit beside the database, named after it. Exit 0 when every step ran; 1 when
// the database is not fresh or a step failed; 2 for a usage mistake. A failure is one line on stderr.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path'
import { CliError } from '../cli/errors.js'
import { LocalTarget } from '../cli/local-target.js'
import { Output } from '../cli/output.js'
import { runWhodecides } from '../cli/program.js'
import { ORGANIZATION, QUESTIONS } from './organization.js'

const DEFAULT_DB = './data/demo.db'
const USAGE = 'usage: npm run demo (no options; WHODECIDES_DB names the database to create, default ./data/demo.db)'

/** A failure said in one line on stderr, with the exit code it ends the demo with. */
class DemoError extends Error {
  constructor (message: string, readonly exitCode: number) { super(message) }
}

/** The files the demo writes, beside the database and named after it. */
export interface DemoFiles { db: string, organization: string, report: string, matrix: string }

export function demoFiles (db: string): DemoFiles {
  const stem = join(dirname(db), basename(db, extname(db)))
  return { db, organization: `${stem}-organization.json`, report: `${stem}-report.html`, matrix: `${stem}-raci.xlsx` }
}

/** Runs `whodecides ARGS` on the demo's database, its output shown as the command prints it; resolves to its exit code. */
async function whodecides (db: string, args: string[]): Promise<number> {
  return await runWhodecides([...args, '--db', db])
}

/** Refuses a database that already holds records: the demo adds its organization to a fresh one only. */
async function checkFresh (db: string, shown: string): Promise<void> {
  if (!existsSync(db) || statSync(db).size === 0) return
  let bundle: Record<string, unknown>
  try {
    const target = LocalTarget.open(db, { mustExist: true })
    try {
      bundle = await target.exportBundle() as Record<string, unknown>
    } finally {
      await target.close()
    }
  } catch (err) {
    const reason = err instanceof CliError ? `it is not a whodecides database` : err instanceof Error ? err.message : String(err)
    throw new DemoError(`demo: cannot read ${shown}: ${reason}; delete that file or set WHODECIDES_DB to a new one`, 1)
  }
  const held = Object.entries(bundle).filter(([, rows]) => Array.isArray(rows) && rows.length > 0).map(([name, rows]) => `${(rows as unknown[]).length} ${name}`)
  if (held.length > 0) {
    throw new DemoError(`demo: ${shown} already holds records (${held.join(', ')}): the demo needs a fresh database; ` +
      'delete that file or set WHODECIDES_DB to a new one', 1)
  }
}

/** Tells the story step by step; resolves once the last file is written. */
async function tell (files: DemoFiles, out: Output): Promise<void> {
  const { colors } = out
  const shown = (path: string): string => {
    const rel = relative(process.cwd(), path)
    return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel
  }
  const say = (...lines: string[]): void => {
    out.line()
    for (const line of lines) out.line(colors.cyan(line))
  }
  const command = (args: string[]): void => {
    out.line(colors.dim(`$ whodecides ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`))
  }
  const check = (args: string[], code: number): void => {
    if (code !== 0) throw new DemoError(`demo: whodecides ${args[0] ?? ''} failed (exit ${code}); the demo stops here`, 1)
  }
  /** Runs one command in the open (its tables drawn as on a terminal); a failed step ends the demo. */
  const step = async (args: string[]): Promise<void> => {
    command(args)
    check(args, await whodecides(files.db, args))
  }

  out.line(colors.bold('whodecides: who has the final word?'))
  say('Berger Furniture is a family business of 13 people. This demo loads its decision rights into a new registry,',
    'asks who decides a few of its open questions, and audits the record for unclear boundaries of authority.',
    `Every command below works on ${shown(files.db)} (WHODECIDES_DB).`)

  writeFileSync(files.organization, JSON.stringify(ORGANIZATION, null, 2) + '\n')
  say('1. Load the organization: its people, decision areas, initiatives, who holds which role (RACI),',
    'who stands in for whom, and the informal influence a change agent observed. One file, one transaction.')
  await step(['import', shown(files.organization)])

  say('2. Ask who decides. Each answer is a sentence, then the path that led to it.')
  for (const { story, initiativeId } of QUESTIONS) {
    say(story)
    await step(['who', initiativeId])
  }

  say('3. Audit the record. Each finding is a boundary that is not clear: the rule that found it, how serious it is,',
    'and what it is about. Errors block a decision; warnings are authority exercised outside the record.')
  await step(['audit'])

  say('4. Hand it to leadership: the same audit as one page (summary, advice for each finding, the RACI matrix with',
    'its problem cells, and a picture of the lines of authority), and the RACI matrix as a spreadsheet for HR,',
    'its problem cells marked.')
  await step(['audit', '--format', 'html', '--out', shown(files.report)])
  await step(['export', '--format', 'raci-xlsx', '--out', shown(files.matrix)])

  say('Done. Open these:')
  out.line(`  the audit report (HTML)   ${shown(files.report)}`)
  out.line(`  the RACI matrix (XLSX)    ${shown(files.matrix)}`)
  out.line(`  the organization (JSON)   ${shown(files.organization)}`)
  out.line(`  the registry (SQLite)     ${shown(files.db)}`)
}

/** The demo as a process: the database from the environment, a one-line failure, the exit code. */
async function main (argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const out = new Output({ quiet: false })
  try {
    if (argv.length > 0) throw new DemoError(`${USAGE}: unexpected "${argv[0] ?? ''}"`, 2)
    const configured = env.WHODECIDES_DB === undefined || env.WHODECIDES_DB === '' ? DEFAULT_DB : env.WHODECIDES_DB
    if (configured === ':memory:') throw new DemoError('demo: WHODECIDES_DB=:memory: holds nothing between commands; name a file', 2)
    const db = resolve(configured)
    // A service configured in the shell is never the demo's target: its commands read these as --url and --key.
    delete env.WHODECIDES_URL
    delete env.WHODECIDES_KEY
    await checkFresh(db, configured)
    mkdirSync(dirname(db), { recursive: true })
    const started = performance.now()
    await tell(demoFiles(db), out)
    out.line()
    out.line(out.colors.dim(`The demo took ${((performance.now() - started) / 1000).toFixed(1)} s.`))
    return 0
  } catch (err) {
    process.stderr.write((err instanceof DemoError ? err.message : `demo: ${err instanceof Error ? err.message : String(err)}`) + '\n')
    return err instanceof DemoError ? err.exitCode : 1
  }
}

process.exitCode = await main(process.argv.slice(2), process.env)
