// Shared by the HTTP benchmarks: start a process and wait until it answers, stop it, and drive it with wrk.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { packageRoot } from '../src/config.js'

export const ROOT = packageRoot()

export interface Load { rps: number, p50: number, p99: number, max: number, errors: number }

const wrkArgs = (url: string, duration: string, script?: string): string[] =>
  ['-t1', '-c10', `-d${duration}`, '--latency', ...(script === undefined ? [] : ['-s', join(ROOT, 'bench', script)]), url]
const NO_WRK = 'wrk is needed for this benchmark: apt-get install wrk'

/** wrk -t1 -c10 for `seconds`, with a Lua script of bench/ and its environment; latencies in ms. */
export function wrk (url: string, seconds: number, script?: string, env: Record<string, string> = {}): Load {
  const out = spawnSync('wrk', wrkArgs(url, `${seconds}s`, script), { encoding: 'utf8', env: { ...process.env, ...env } })
  if (out.error !== undefined) throw new Error(NO_WRK)
  return parseWrk(out.stdout)
}

/**
 * wrk as above for exactly as long as `work` takes: started with it, stopped (SIGINT, on which wrk reports) when it
 * settles — a load measured over the whole of a piece of work, whatever it lasts.
 */
export async function wrkWhile<T> (url: string, work: () => Promise<T>, script?: string, env: Record<string, string> = {}): Promise<{ load: Load, result: T }> {
  const child = spawn('wrk', wrkArgs(url, '600s', script), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  let text = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { text += chunk })
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', () => { reject(new Error(NO_WRK)) })
    child.once('close', () => { resolve() })
  })
  let result: T
  try {
    result = await work()
  } finally {
    child.kill('SIGINT')
  }
  await exited
  return { load: parseWrk(text), result }
}

function parseWrk (text: string): Load {
  const ms = (label: string): number => {
    const m = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(text)
    if (m === null) throw new Error(`no ${label} in wrk output:\n${text}`)
    return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2] as 'us' | 'ms' | 's']
  }
  // The thread line: average, deviation, then the slowest request.
  const slowest = /Latency\s+[\d.]+(?:us|ms|s)\s+[\d.]+(?:us|ms|s)\s+([\d.]+)(us|ms|s)/.exec(text)
  const max = slowest === null ? Number.NaN : Number(slowest[1]) * { us: 0.001, ms: 1, s: 1000 }[slowest[2] as 'us' | 'ms' | 's']
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? 0)
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0)
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text)
  const errors = non2xx + (socket === null ? 0 : socket.slice(1).reduce((n, v) => n + Number(v), 0))
  return { rps, p50: ms('50%'), p99: ms('99%'), max, errors }
}

/** Starts node with the arguments in the package root and waits until /health answers on the port. */
export async function startProcess (args: string[], env: Record<string, string>, port: number): Promise<ChildProcess> {
  // Another process on the port would answer in its place, and be measured instead: refuse to start.
  if (await answers(port)) throw new Error(`port ${port} is taken by another process: stop it first`)
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] })
  for (let i = 0; i < 300 && child.exitCode === null; i++) {
    if (await answers(port)) return child
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  child.kill('SIGKILL')
  throw new Error(`${args.join(' ')} did not start${child.exitCode === null ? '' : ` (exit code ${child.exitCode})`}`)
}

async function answers (port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`)
    return res.status === 200 || res.status === 404
  } catch { return false } // not listening (yet)
}

/** SIGTERM, and wait for the exit. */
export async function stop (child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}
