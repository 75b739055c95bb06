// The service as a real process, for the tests that need one: src/server.ts on a free port (under tsx, or compiled and
// started ahead of time for the crash test), and the command line.
import { spawn, type ChildProcess } from 'node:child_process'
import { packageRoot } from '../src/config.js'

export const ROOT = packageRoot()
export const BOOT_TIMEOUT_MS = 30_000

/**
 * The environment of this process less tap's settings and ours; coverage of the child is turned off explicitly, as
 * tsx-compiled coverage merged into tap's report skews every line number.
 */
export function plainEnv (overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (name === 'NODE_OPTIONS' || name.startsWith('TAP') || name.startsWith('_TAPJS') || name.startsWith('WHODECIDES_') ||
      name === 'HOST' || name === 'PORT') continue
    env[name] = value
  }
  return { ...env, _TAPJS_PROCESSINFO_COVERAGE_: '0', HOST: '127.0.0.1', PORT: '0', WHODECIDES_LOG_PRETTY: 'false', ...overrides }
}

/** How much of a process's output is kept for a failure message: a busy server logs two lines a request. */
const OUTPUT_KEPT = 256 * 1024

export interface ServerProcess {
  child: ChildProcess
  /** The last 256 KiB the process wrote, stdout and stderr together. */
  output: () => string
  /** Calls back with each whole line the process writes to stdout from now on; returns the way to stop. */
  onLine: (watch: (line: string) => void) => () => void
  /** Settles once the process has exited, with its code or the signal that ended it. */
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
}

/**
 * Runs node with these arguments in the package folder. tap's process tracker hooks every child process spawned from
 * a test and puts its module loader into NODE_OPTIONS, which doubles the time a server takes to load and serves
 * nothing here; so the child starts as a shell that drops NODE_OPTIONS and then becomes node (exec: the same pid, so
 * a signal sent to the child reaches node).
 */
function spawnNode (argv: string[], env: Record<string, string>, stdin: 'pipe' | 'ignore', descriptorLimit?: number): ChildProcess {
  const limit = descriptorLimit === undefined ? '' : `ulimit -n ${descriptorLimit}; `
  return spawn('/bin/sh', ['-c', `${limit}unset NODE_OPTIONS; exec "$@"`, 'sh', process.execPath, ...argv],
    { cwd: ROOT, env: plainEnv(env), stdio: [stdin, 'pipe', 'pipe'] })
}

/** Runs node with these arguments in the package folder (src/server.ts under tsx by default), under the limit on open files if given. */
export function spawnEntry (env: Record<string, string>, argv = ['--import', 'tsx', 'src/server.ts'], descriptorLimit?: number): ServerProcess {
  const child = spawnNode(argv, env, 'pipe', descriptorLimit)
  let output = ''
  const keep = (chunk: string): void => {
    output += chunk
    if (output.length > 2 * OUTPUT_KEPT) output = output.slice(-OUTPUT_KEPT)
  }
  const watchers = new Set<(line: string) => void>()
  let partial = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    keep(chunk)
    const lines = (partial + chunk).split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) for (const watch of watchers) watch(line)
  })
  child.stderr?.setEncoding('utf8').on('data', keep)
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }))
  })
  const onLine = (watch: (line: string) => void): () => void => {
    watchers.add(watch)
    return () => watchers.delete(watch)
  }
  return { child, output: () => output.slice(-OUTPUT_KEPT), onLine, exited }
}

/** Resolves with the base URL once the process logs that it listens (PORT=0: the system picked the port). */
export async function listening (proc: ServerProcess): Promise<string> {
  let stop = (): void => {}
  try {
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening" line within ${BOOT_TIMEOUT_MS} ms:\n${proc.output()}`)), BOOT_TIMEOUT_MS)
      stop = proc.onLine((line) => {
        const match = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(line)
        if (match?.[1] !== undefined) { clearTimeout(timer); resolve(match[1]) }
      })
      void proc.exited.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(`exited (${code ?? signal}) before listening:\n${proc.output()}`)) })
    })
    return `http://127.0.0.1:${port}`
  } finally {
    stop()
  }
}

export interface Running extends ServerProcess { baseUrl: string }

/** Starts src/server.ts and resolves once it listens. */
export async function startServer (env: Record<string, string>): Promise<Running> {
  const proc = spawnEntry(env)
  return { ...proc, baseUrl: await listening(proc) }
}

/** Ends the process with the signal (unless it already ended) and waits for it to be gone. */
export async function endProcess (proc: ServerProcess, signal: NodeJS.Signals): Promise<{ code: number | null, signal: NodeJS.Signals | null }> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill(signal)
  return await proc.exited
}

/** Runs the command line (src/cli.ts) to its end; resolves with its exit code and what it printed. */
export async function runCli (args: string[], env: Record<string, string>): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = spawnNode(['--import', 'tsx', 'src/cli.ts', ...args], env, 'ignore')
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
  return { code, stdout, stderr }
}

export interface Standby extends ServerProcess {
  /** Settles once the process has loaded the modules and waits. */
  ready: Promise<void>
  /** Runs src/server.ts in the waiting process and resolves once it listens. */
  go: () => Promise<Running>
}

/**
 * A server process that has loaded the compiled sources in `compiled` (test/crash/compile-service.ts) and waits
 * (test/crash/standby-server.mjs): the crash test starts the next one while the current one works, so a restart
 * after SIGKILL costs a fraction of a cold start.
 */
export function spawnStandby (env: Record<string, string>, compiled: string): Standby {
  const proc = spawnEntry(env, ['test/crash/standby-server.mjs', compiled])
  const ready = new Promise<void>((resolve, reject) => {
    const stop = proc.onLine((line) => { if (line === 'standby: modules loaded') { stop(); resolve() } })
    void proc.exited.then(({ code, signal }) => reject(new Error(`standby exited (${code ?? signal}):\n${proc.output()}`)))
  })
  ready.catch(() => {}) // observed by go()
  return {
    ...proc,
    ready,
    go: async () => {
      await ready
      const url = listening(proc)
      proc.child.stdin?.end('go\n')
      return { ...proc, baseUrl: await url }
    }
  }
}
