// `npm run demo`: the product's story in under a minute, told by running the real `whodecides` command line
// (bin/whodecides.mjs, one process per command) on a fresh database, with a sentence of narration before each step.
// The database is WHODECIDES_DB when set, else ./data/demo.db; one that already holds records is refused, so the
// demo never writes into a real registry. The files it writes (the organization, the report, the matrix) sit beside
// the database, named after it. Exit 0 when every step ran; 1 when the database is not fresh or a step failed;
// 2 for a usage mistake. A failure is one line on stderr.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path'
import { packageRoot } from '../config.js'
import { Output } from '../cli/output.js'
import { ORGANIZATION, QUESTIONS } from './organization.js'

const DEFAULT_DB = './data/demo.db'
const USAGE = 'usage: npm run demo (no options; WHODECIDES_DB names the database to create, default ./data/demo.db)'

/** A failure said in one line on stderr, with the exit code it ends the demo with. */
class DemoError extends Error {
  constructor (message: string, readonly exitCode: number) { super(message) }
}

/** What a command printed, when it is captured rather than shown. */
interface Captured { code: number, stdout: string, stderr: string }

/** The files the demo writes, beside the database and named after it. */
export interface DemoFiles { db: string, organization: string, report: string, matrix: string }

export function demoFiles (db: string): DemoFiles {
  const stem = join(dirname(db), basename(db, extname(db)))
  return { db, organization: `${stem}-organization.json`, report: `${stem}-report.html`, matrix: `${stem}-raci.xlsx` }
}

/**
 * Runs `whodecides ARGS` on the demo's database: output shown as the command prints it (its tables are drawn and
 * coloured when this process writes to a terminal), or captured. WHODECIDES_URL and WHODECIDES_KEY are dropped, so
 * that a service configured in the shell is never the target.
 */
async function whodecides (db: string, args: string[], capture: boolean): Promise<Captured> {
  const env: NodeJS.ProcessEnv = { ...process.env, WHODECIDES_DB: db }
  delete env.WHODECIDES_URL
  delete env.WHODECIDES_KEY
  const child = spawn(process.execPath, [join(packageRoot(), 'bin/whodecides.mjs'), ...args],
    { env, stdio: ['ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'] })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  // Settles, never rejects: a command that cannot start is a failed step like any other.
  const code = await new Promise<number>((resolve) => {
    child.on('error', (err) => { stderr += `whodecides: ${err.message}\n`; resolve(127) })
    child.on('close', (c, signal) => { resolve(c ?? (signal === null ? 1 : 128)) })
  })
  return { code, stdout, stderr }
}

/** Refuses a database that already holds records: the demo adds its organization to a fresh one only. */
async function checkFresh (db: string, shown: string): Promise<void> {
  if (!existsSync(db) || statSync(db).size === 0) return
  const { code, stdout, stderr } = await whodecides(db, ['export', '--format', 'json'], true)
  if (code !== 0) throw new DemoError(`demo: cannot read ${shown}: ${stderr.trim().split('\n')[0] || `whodecides export exited ${code}`}`, 1)
  const bundle = JSON.parse(stdout) as Record<string, unknown[]>
  const held = Object.entries(bundle).filter(([, rows]) => Array.isArray(rows) && rows.length > 0).map(([name, rows]) => `${rows.length} ${name}`)
  if (held.length > 0) {
    throw new DemoError(`demo: ${shown} already holds records (${held.join(', ')}): the demo needs a fresh database; ` +
      'delete that file or set WHODECIDES_DB to a new one', 1)
  }
}

/**
 * At most this many commands run at once: the questions are independent reads, each a Node process that spends its
 * time loading modules on one core: one per core, and at least three.
 */
const AT_ONCE = Math.max(3, availableParallelism())

/** Runs `task`s with at most `limit` at once, in the order they come; a finished task hands its slot to the next waiting. */
function limited (limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0
  const waiting: Array<() => void> = []
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < limit) running++
    else await new Promise<void>((resolve) => { waiting.push(resolve) })
    try {
      return await task()
    } finally {
      const next = waiting.shift()
      if (next === undefined) running--
      else next()
    }
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
    check(args, (await whodecides(files.db, args, false)).code)
  }
  /** Starts one command now, its output kept; `show` prints it where the story reaches it. */
  const queue = limited(AT_ONCE)
  const early = (args: string[]): { show: () => Promise<void> } => {
    const running = queue(async () => await whodecides(files.db, args, true))
    return {
      show: async () => {
        command(args)
        const { code, stdout, stderr } = await running
        process.stdout.write(stdout)
        process.stderr.write(stderr)
        check(args, code)
      }
    }
  }

  out.line(colors.bold('whodecides: who has the final word?'))
  say('Berger Furniture is a family business of 13 people. This demo loads its decision rights into a new registry,',
    'asks who decides a few of its open questions, and audits the record for unclear boundaries of authority.',
    `Every command below works on ${shown(files.db)} (WHODECIDES_DB).`)

  writeFileSync(files.organization, JSON.stringify(ORGANIZATION, null, 2) + '\n')
  say('1. Load the organization: its people, decision areas, initiatives, who holds which role (RACI),',
    'who stands in for whom, and the informal influence a change agent observed. One file, one transaction.')
  await step(['import', shown(files.organization)])

  // The questions and the spreadsheet only read the registry: they run while the story is told.
  const answers = QUESTIONS.map((q) => ({ story: q.story, answer: early(['who', q.initiativeId]) }))
  const matrix = early(['export', '--format', 'raci-xlsx', '--out', shown(files.matrix)])
  say('2. Ask who decides. Each answer is a sentence, then the path that led to it.')
  for (const { story, answer } of answers) {
    say(story)
    await answer.show()
  }

  say('3. Audit the record. Each finding is a boundary that is not clear: the rule that found it, how serious it is,',
    'and what it is about. Errors block a decision; warnings are authority exercised outside the record.')
  await step(['audit'])

  say('4. Hand it to leadership: the same audit as one page (summary, advice for each finding, the RACI matrix with',
    'its problem cells, and a picture of the lines of authority), and the RACI matrix as a spreadsheet for HR,',
    'its problem cells marked.')
  await step(['audit', '--format', 'html', '--out', shown(files.report)])
  await matrix.show()

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
