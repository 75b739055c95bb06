#!/usr/bin/env node
// The `whodecides` command (`npx whodecides` in a clone after `npm ci`). It runs src/cli.ts from the sources under
// tsx's loader, so that it is never an older build: in a node process of its own started with `--import tsx`, an
// option the audit and import processes it forks inherit (src/background-process.ts). Where tsx is not installed
// (npm ci --omit=dev) it runs the build in dist/ (npm run build) in this process.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

let loader
try {
  loader = import.meta.resolve('tsx')
} catch {
  loader = undefined
}

if (loader === undefined) {
  try {
    await import('../dist/src/cli.js')
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err
    console.error('whodecides: neither tsx (npm ci) nor a build (npm run build) is installed')
    process.exit(1)
  }
} else {
  const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
  // `import` gets the young generation the server's import process has (src/services/import-process.ts): it imports
  // in this command's own process. Other commands keep V8's default (`serve` among them: its worker threads refuse
  // V8 options given to them).
  const heap = process.argv[2] === 'import' ? ['--max-semi-space-size=64'] : []
  const child = spawn(process.execPath, [...heap, ...process.execArgv, '--import', loader, cli, ...process.argv.slice(2)], { stdio: 'inherit' })
  // A signal sent to this process is the command's: `whodecides serve` closes gracefully on SIGTERM and SIGINT.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => { child.kill(signal) })
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code ?? 1)
    process.removeAllListeners(signal)
    process.kill(process.pid, signal)
  })
}
