// What the server's background processes (the audit process, the import process) share on the server's side: how
// each is started — its entry, Node options and environment — and when it keeps the server's event loop alive.
import type { ChildProcess } from 'node:child_process'

/**
 * A process entry beside `moduleUrl`: the compiled `<name>.js` from dist/, or the source `<name>.ts`, which the process
 * loads through the TypeScript loader it inherits with the server's Node options (tsx, or the test runner's).
 */
export function entryBeside (moduleUrl: string, name: string): URL {
  const here = new URL(moduleUrl)
  return new URL(here.pathname.endsWith('.js') ? `./${name}.js` : `./${name}.ts`, here)
}

/** The server's Node options but the inspector's: the process would try the port the server's debugger has, and fail. */
const INSPECTOR = /^--(inspect|debug)/
export const inheritedExecArgv = (): string[] => process.execArgv.filter((option) => !INSPECTOR.test(option))

/**
 * The server's environment but the bootstrap key: no background process needs it, and whatever can read a process's
 * environment (/proc/<pid>/environ, a crash report) should find it in as few places as possible.
 */
export function childEnvironment (): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.WHODECIDES_BOOTSTRAP_KEY
  return env
}

/** Whether the process and its channel keep the server's event loop alive: only while work is in flight. */
export function holdOpen (child: ChildProcess, hold: boolean): void {
  if (hold) {
    child.ref()
    child.channel?.ref()
  } else {
    child.unref()
    child.channel?.unref()
  }
}
