// Runs the command line as `npx whodecides` does (bin/whodecides.mjs, sources under tsx), output piped; and the
// small organization the command line's tests ask about.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import { plainEnv, ROOT } from '../real-server.js'

export interface Ran { code: number | null, stdout: string, stderr: string }

/**
 * Runs `whodecides ARGS` to its end. tap's process tracker puts its loader into NODE_OPTIONS, which the command line
 * does not need: the child drops it (as test/real-server.ts does for the server).
 */
export async function whodecides (args: string[], env: Record<string, string> = {}, options: { closedStdout?: boolean } = {}): Promise<Ran> {
  const child = spawn('/bin/sh', ['-c', 'unset NODE_OPTIONS; exec "$@"', 'sh', process.execPath, 'bin/whodecides.mjs', ...args],
    { cwd: ROOT, env: plainEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  // A reader gone before the command prints (as `| head` is once it has its lines): every write meets a closed pipe.
  if (options.closedStdout === true) child.stdout.destroy()
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
  return { code, stdout, stderr }
}

export function tempDir (t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'whodecides-cli-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

const FROM = '2026-01-01T00:00:00Z'

/**
 * One initiative of each answer: inherited from a domain (eu-prices), two A's under the single rule (twin), no A
 * anywhere (orphan), its A on leave with a delegation (leave) and without one (stranded).
 */
export const ORGANIZATION = {
  people: [
    { id: 'ada', name: 'Ada Lovelace', email: 'ada@example.com' },
    { id: 'grace', name: 'Grace Hopper', email: 'grace@example.com' },
    { id: 'bob', name: 'Bob Builder', email: 'bob@example.com', status: 'on_leave', statusSince: FROM },
    { id: 'cy', name: 'Cy Young', email: 'cy@example.com', status: 'on_leave', statusSince: FROM }
  ],
  domains: [
    { id: 'pricing', name: 'Pricing' },
    { id: 'pricing-eu', name: 'EU pricing', parentId: 'pricing' }
  ],
  initiatives: [
    { id: 'eu-prices', title: 'New EU price list', domainId: 'pricing-eu', status: 'active', decisionRule: 'single' },
    { id: 'twin', title: 'Twin deciders', status: 'active', decisionRule: 'single' },
    { id: 'orphan', title: 'Nobody home', status: 'active', decisionRule: 'single' },
    { id: 'leave', title: 'Leave cover', status: 'active', decisionRule: 'single' },
    { id: 'stranded', title: 'Stranded', status: 'active', decisionRule: 'single' }
  ],
  assignments: [
    { id: 'a1', personId: 'ada', role: 'A', domainId: 'pricing', validFrom: FROM, validTo: '2027-01-01T00:00:00Z' },
    { id: 'a2', personId: 'ada', role: 'A', initiativeId: 'twin', validFrom: FROM },
    { id: 'a3', personId: 'grace', role: 'A', initiativeId: 'twin', validFrom: FROM },
    { id: 'a4', personId: 'bob', role: 'A', initiativeId: 'leave', validFrom: FROM },
    { id: 'a5', personId: 'cy', role: 'A', initiativeId: 'stranded', validFrom: FROM }
  ],
  delegations: [{ id: 'd1', fromPersonId: 'bob', toPersonId: 'grace', allScopes: true, validFrom: FROM }]
}

/** Writes the organization as a bundle file in `dir`; returns its path. */
export function organizationFile (dir: string): string {
  const file = join(dir, 'organization.json')
  writeFileSync(file, JSON.stringify(ORGANIZATION))
  return file
}

/** What every test expects of a failure: one line on stderr. */
export const oneLine = (text: string): string[] => text.trimEnd().split('\n')

/** The escape that starts every colour. */
export const ESC = '\u001b['

/**
 * The time a test file that runs the command many times may take (`t.setTimeout`, which the runner is told of): each
 * run is a Node process loading the sources through tsx, a second or two on an idle machine and ten times that on a
 * loaded one. A hang still fails, only later.
 */
export const PROCESSES_MS = 900_000
