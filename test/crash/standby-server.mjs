// A server process started ahead of its turn, from the compiled sources (test/crash/compile-service.ts) named by its
// argument: it loads the service's modules now, and runs src/server.js — the real process entry, unchanged — once a
// line arrives on stdin. A restart in the crash test then costs opening the database and listening, not loading.
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'

const compiled = process.argv[2]
await import(pathToFileURL(join(compiled, 'src/app.js')).href)
await import(pathToFileURL(join(compiled, 'src/config.js')).href)

process.stdin.once('data', () => {
  process.stdin.destroy()
  void import(pathToFileURL(join(compiled, 'src/server.js')).href)
})
// After the listener: the line promises that a "go" from now on is taken at once.
process.stdout.write('standby: modules loaded\n')
