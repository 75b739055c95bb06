// The test command: type check, OpenAPI lint, the whole tap suite; ends with "N passed, N failed" and tap's exit code.
import { spawn, spawnSync } from 'node:child_process'
import { createInterface } from 'node:readline'

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname

function step (title, command, args) {
  console.log(`\n== ${title}`)
  const { status } = spawnSync(command, args, { stdio: 'inherit' })
  return status ?? 1
}

let passed = 0
let failed = 0
const steps = [
  ['type check (tsc --noEmit)', bin('tsc'), ['--noEmit', '-p', 'test/tsconfig.json']],
  ['OpenAPI lint (redocly)', bin('redocly'), ['lint', 'openapi/openapi.json', '--config', 'openapi/redocly.yaml', '--format=stylish']]
]
for (const [title, command, args] of steps) {
  if (step(title, command, args) === 0) passed++
  else failed++
}

console.log('\n== tap')
const tap = spawn(bin('tap'), ['--reporter=tap', ...process.argv.slice(2)], { stdio: ['ignore', 'pipe', 'inherit'] })
const lines = createInterface({ input: tap.stdout })
// Leaf assertions only: a subtest's own summary line carries "# time=".
lines.on('line', (line) => {
  console.log(line)
  if (/# time=/.test(line)) return
  if (/^\s*ok \d+/.test(line)) passed++
  else if (/^\s*not ok \d+/.test(line)) failed++
})
tap.on('close', (code) => {
  const exitCode = code ?? 1
  if (exitCode !== 0 && failed === 0) {
    console.log('tap exited with an error but no failed assertion: see its coverage report above')
    failed++
  }
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed > 0 && exitCode === 0 ? 1 : exitCode)
})
