// The test command: type check, OpenAPI lint, the whole tap suite; ends with "N passed, N failed" and tap's exit code.
import { spawn, spawnSync } from 'node:child_process'
import { createInterface } from 'node:readline'

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname

function step (title, command, args) {
  console.log(`\n== ${title}`)
  // No telemetry or update check: CI reaches no network but the package registries.
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }
  const { status, error } = spawnSync(command, args, { stdio: 'inherit', env })
  if (error !== undefined) console.log(`${title}: ${error.message}`)
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
// tap's own closing count at the top level, e.g. "# { total: 12, pass: 10, fail: 1, skip: 1 }": leaf assertions only,
// and a test file that crashed before its first assertion counts there as a failure.
let summary
// Every failure again at the end, under the names of the tests around it, so that the last lines of a long run tell
// which test failed and why (CI keeps only the tail of the output).
const failures = []
const subtests = []
/** The failure whose diagnostics (its YAML block, indented under it) are being read, and its indentation. */
let diagnostics
lines.on('line', (line) => {
  console.log(line)
  const indent = /^ */.exec(line)[0].length
  if (diagnostics !== undefined && (indent > diagnostics.indent || line.trim() === '')) {
    if (diagnostics.lines.length < 40) diagnostics.lines.push(line)
    if (line.trim() === '...') diagnostics = undefined // the block's end
  } else diagnostics = undefined
  const subtest = /^( *)# Subtest: (.*)$/.exec(line)
  if (subtest !== null) subtests.splice(indent / 4, Infinity, subtest[2])
  const failure = /^ *not ok \d+ - (.*?)(?: # time=[\d.]+m?s)?$/.exec(line)
  if (failure !== null) {
    const path = subtests.slice(0, indent / 4).concat(failure[1]).join(' > ')
    // A test that failed because something inside it failed: that failure is listed already.
    if (!failures.some((lines) => lines[0].startsWith(`${path} > `))) {
      diagnostics = { indent, lines: [path] }
      failures.push(diagnostics.lines)
    }
  }
  const match = /^# \{ (total: \d+.*) \}$/.exec(line)
  if (match !== null) summary = Object.fromEntries([...match[1].matchAll(/(\w+): (\d+)/g)].map(([, key, n]) => [key, Number(n)]))
})
tap.on('close', (code) => {
  const exitCode = code ?? 1
  let skipped = 0
  if (summary === undefined) {
    console.log('tap printed no closing count')
    failed++
  } else {
    passed += summary.pass ?? 0
    failed += summary.fail ?? 0
    skipped = (summary.skip ?? 0) + (summary.todo ?? 0)
  }
  if (failures.length > 0) {
    console.log(`\n== failed: ${failures.length}`)
    for (const lines of failures.slice(0, 40)) console.log(lines.join('\n'))
  }
  if (exitCode !== 0 && (summary?.fail ?? 0) === 0) {
    console.log(`tap exited with ${exitCode} but no failed assertion: a coverage threshold (the "tap" section of package.json) was missed, see the report above`)
    failed++
  }
  console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`)
  process.exit(failed > 0 && exitCode === 0 ? 1 : exitCode)
})
