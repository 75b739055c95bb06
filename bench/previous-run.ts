// The figures of `npm run bench` next to the previous run's: read from a committed file, printed as a table
// (previous | now | now ÷ previous), and written back with this run's for the operator to commit.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, release, totalmem } from 'node:os'
import { dirname } from 'node:path'
import Table from 'cli-table3'

/** One figure of the run: what it measures, its unit, and which way is better. */
export interface Figure { key: string, label: string, unit: string, better: 'higher' | 'lower', digits: number }

/** A run as the file keeps it. */
export interface Run {
  date: string
  commit: string
  machine: string
  /** The load average (1, 5, 15 min) when the run ended; null where it was not recorded. */
  load: number[] | null
  /** Seconds per load (BENCH_SECONDS). */
  seconds: number
  /** Where figures not measured by this script came from (the seed of the file). */
  source?: string
  figures: Record<string, number>
}

const commit = (): string => {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== ''
    return dirty ? `${head} (with uncommitted changes)` : head
  } catch {
    return 'unknown'
  }
}

/** This run, described as the file keeps runs. */
export const thisRun = (seconds: number, figures: Record<string, number>): Run => ({
  date: new Date().toISOString(),
  commit: commit(),
  machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, Linux ${release()}`,
  load: loadavg().map((l) => Number(l.toFixed(2))),
  seconds,
  figures
})

/** The previous run kept in the file, or undefined when there is none (or it cannot be read). */
export function previousRun (file: string): Run | undefined {
  if (!existsSync(file)) return undefined
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Run
  } catch {
    return undefined
  }
}

const describe = (run: Run): string =>
  `${run.date.slice(0, 16).replace('T', ' ')} UTC, ${run.commit}, ${run.seconds} s per load, load ${run.load === null ? 'not recorded' : run.load.join(' ')}`

/**
 * The table of every figure: previous, now, and now ÷ previous with a mark where it moved more than 10 % the worse
 * way. A figure missing from either run shows a dash.
 */
export function comparison (figures: readonly Figure[], previous: Run | undefined, now: Run): string {
  const table = new Table({ head: ['figure', 'previous', 'now', 'now ÷ previous'], style: { head: [], border: [] } })
  for (const { key, label, unit, better, digits } of figures) {
    const before = previous?.figures[key]
    const after = now.figures[key]
    const show = (x: number | undefined): string => x === undefined ? '—' : `${x.toFixed(digits)}${unit === '' ? '' : ` ${unit}`}`
    let ratio = '—'
    if (before !== undefined && after !== undefined && before !== 0) {
      const r = after / before
      const worse = better === 'higher' ? r < 0.9 : r > 1.1
      ratio = `${r.toFixed(2)}×${worse ? ' (worse)' : ''}`
    }
    table.push([label, show(before), show(after), ratio])
  }
  const header = [`previous: ${previous === undefined ? 'none recorded' : `${describe(previous)}; ${previous.machine}`}`, `now:      ${describe(now)}; ${now.machine}`]
  return `${header.join('\n')}\n${table.toString()}`
}

/** Keeps this run in the file, as the previous run of the next. */
export function keepRun (file: string, run: Run): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`)
}
