// `npm start` as an operator runs it: SIGTERM sent to npm's own process, or Ctrl-C (SIGINT to the terminal's process
// group), stops the server and every process it started (the audit process, the import process); nothing is left running.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { plainEnv, ROOT } from './real-server.js'

/** `npm start` builds first (prestart: tsc), so the first start is slow on a busy machine. */
const START_TIMEOUT_MS = 300_000
const STOP_TIMEOUT_MS = 20_000

/** The pids of the process's descendants, from /proc. */
function descendants (root: number): number[] {
  const parents = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch { /* gone meanwhile */ }
  }
  const found: number[] = []
  let frontier = [root]
  while (frontier.length > 0) {
    frontier = [...parents].filter(([, ppid]) => frontier.includes(ppid)).map(([pid]) => pid)
    found.push(...frontier)
  }
  return found
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function startedWithNpm (t: Test, args: string[]): Promise<{ npm: number, tree: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-npm-start-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  // detached: npm leads its own process group, as a shell's foreground job does.
  const npm = spawn('npm', ['start', ...args], {
    cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: plainEnv({ WHODECIDES_DB: join(dir, 'registry.db') })
  })
  // What npm started, as last seen: a server left behind by npm is no longer its descendant, so the list is kept.
  const started = new Set<number>([npm.pid!])
  t.teardown(() => { for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL') })
  let output = ''
  npm.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not listen within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS)
    npm.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
      if (output.includes('Server listening')) {
        clearTimeout(timer)
        resolve()
      }
    })
  })
  // The audit and import processes start with the server: wait until they are there too.
  let tree = descendants(npm.pid!)
  for (let i = 0; i < 100 && tree.filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dist/src/')).length < 3; i++) {
    await sleep(100)
    tree = descendants(npm.pid!)
  }
  for (const pid of tree) started.add(pid)
  return { npm: npm.pid!, tree }
}

async function allGone (pids: number[]): Promise<number[]> {
  const deadline = Date.now() + STOP_TIMEOUT_MS
  while (Date.now() < deadline && pids.some(alive)) await sleep(100)
  return pids.filter(alive)
}

t.test('SIGTERM to npm\'s process stops the server, its audit process and its import process', async (t) => {
  const { npm, tree } = await startedWithNpm(t, [])
  const commands = tree.map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '))
  t.ok(commands.some((c) => c.includes('dist/src/server.js')), 'the server runs')
  t.ok(commands.some((c) => c.includes('audit-process-entry')), 'its audit process runs')
  process.kill(npm, 'SIGTERM')
  t.strictSame(await allGone([npm, ...tree]), [], 'no process of the tree is left')
})

t.test('Ctrl-C (SIGINT to the process group) stops them all', async (t) => {
  // Built by the test above (or by the run that left dist/): prestart is skipped here.
  const { npm, tree } = await startedWithNpm(t, ['--ignore-scripts'])
  t.ok(tree.length >= 2, 'npm started the server and its helpers')
  process.kill(-npm, 'SIGINT')
  t.strictSame(await allGone([npm, ...tree]), [], 'no process of the tree is left')
})
