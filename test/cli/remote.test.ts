// The command line against a running service (--url and --key): the same answers as on the database file it serves,
// which the local mode reads beside it; a refused key and an unreachable address each said in one line.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { defaultConfig } from '../../src/config.js'
import { ESC, oneLine, organizationFile, PROCESSES_MS, tempDir, whodecides } from './run.js'

t.setTimeout(PROCESSES_MS)

const TOKEN = 'wd_cli-remote-test-admin-key-0123456789abcdef'

t.test('the same commands through the API of a running service', async (t) => {
  const dir = tempDir(t)
  const db = join(dir, 'registry.db')
  const local = { WHODECIDES_DB: db }
  const bundle = organizationFile(dir)
  const seeded = await whodecides(['import', bundle], local)
  t.equal(seeded.code, 0, seeded.stderr)

  const app = await buildApp({ ...defaultConfig, dbPath: db, bootstrapKey: TOKEN, logLevel: 'silent', prettyLogs: false, maxEventLoopDelayMs: 0 })
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
  const remote = { WHODECIDES_URL: url, WHODECIDES_KEY: TOKEN }

  // Beside the running service, the local mode reads the same file.
  const [whoLocal, whoRemote, whoFlags, exportLocal, exportRemote, unknown] = await Promise.all([
    whodecides(['who', 'leave'], local),
    whodecides(['who', 'leave'], remote),
    whodecides(['who', 'eu-prices', '--url', `${url}/v1/`, '--key', TOKEN]),
    whodecides(['export'], local),
    whodecides(['export'], remote),
    whodecides(['who', 'nowhere'], remote)
  ])
  t.equal(whoRemote.code, 0, whoRemote.stderr)
  t.equal(whoRemote.stdout, whoLocal.stdout, 'who prints the same from the service as from the file')
  t.match(whoRemote.stdout, /^Grace Hopper decides 'Leave cover' for Bob Builder, who /)
  t.match(whoFlags.stdout, /^Ada Lovelace decides 'New EU price list', as Accountable for the Pricing domain[.;]/m, '--url and --key, a /v1 suffix taken off')
  t.same(JSON.parse(exportRemote.stdout), JSON.parse(exportLocal.stdout), 'export gives the same bundle')
  t.equal(unknown.code, 1)
  t.same(oneLine(unknown.stderr), ['whodecides: No initiatives record with id "nowhere"'], 'an unknown initiative: the same line as locally')

  const dry = await whodecides(['import', bundle, '--dry-run'], remote)
  t.equal(dry.code, 0, dry.stderr)
  t.match(dry.stdout, /^people +0 +0 +0 +4$/m, 'an import through the API reports as the local one does')

  // Spreadsheets through the API: the same reports, the same files, as on the database file beside it.
  const matrix = join(dir, 'matrix.csv')
  writeFileSync(matrix, 'Initiative,ada@example.com,grace@example.com\nNobody home,A,R\n')
  const badMatrix = join(dir, 'bad.csv')
  writeFileSync(badMatrix, 'Initiative,ada@example.com\nGhost,A\n')
  const [sheetLocal, sheetRemote, refusedLocal, refusedRemote, raciLocal, raciRemote, peopleLocal, peopleRemote, mapRemote] = await Promise.all([
    whodecides(['import', matrix, '--dry-run'], local),
    whodecides(['import', matrix, '--dry-run'], remote),
    whodecides(['import', badMatrix], local),
    whodecides(['import', badMatrix], remote),
    whodecides(['export', '--format', 'raci-csv'], local),
    whodecides(['export', '--format', 'raci-csv'], remote),
    whodecides(['export', '--format', 'people-csv'], local),
    whodecides(['export', '--format', 'people-csv'], remote),
    whodecides(['import', matrix, '--kind', 'people', '--map', 'Initiative=name'], remote)
  ])
  t.equal(sheetRemote.code, 0, sheetRemote.stderr)
  t.match(sheetRemote.stdout, /^roles created +2$/m)
  t.equal(sheetRemote.stdout, sheetLocal.stdout, 'a RACI matrix checked through the API reports as on the file')
  t.equal(refusedRemote.code, 1)
  t.equal(refusedRemote.stderr, refusedLocal.stderr, 'and its problems, by row and column, alike')
  t.match(refusedRemote.stderr, /^ {2}2 +1 +A2 +no initiative is "Ghost"/m)
  t.equal(raciRemote.code, 0, raciRemote.stderr)
  t.equal(raciRemote.stdout, raciLocal.stdout, 'the RACI matrix exported through the API is the same CSV')
  t.equal(peopleRemote.stdout, peopleLocal.stdout, 'and the people')
  t.equal(mapRemote.code, 2)
  // A write on the file beside the running service: the service answers with it.
  const written = await whodecides(['import', matrix], local)
  t.equal(written.code, 0, written.stderr)
  const [orphanLocal, orphan] = await Promise.all([whodecides(['who', 'orphan'], local), whodecides(['who', 'orphan'], remote)])
  t.match(orphanLocal.stdout, /^Ada Lovelace decides 'Nobody home', as its Accountable\.$/m, 'the file holds the import')
  t.match(orphan.stdout, /^Ada Lovelace decides 'Nobody home'/m, 'the service sees the import made beside it')
  t.match(oneLine(mapRemote.stderr), [/^whodecides: --map works on the local database only/])

  // A waived finding is shown as such and does not count against the gate.
  const first = JSON.parse((await whodecides(['audit', '--format', 'json'], remote)).stdout)
  const twin = first.findings.find((f: any) => f.ruleId === 'multiple-final-deciders' && f.subject.id === 'twin')
  t.ok(twin, 'the audit through the API finds two deciders on twin')
  const waiver = await app.inject({
    method: 'POST', url: '/v1/waivers', headers: { authorization: `Bearer ${TOKEN}` },
    payload: { fingerprint: twin.fingerprint, reason: 'Shared by design until the merger', expiresAt: '2030-01-01T00:00:00Z' }
  })
  t.equal(waiver.statusCode, 201, waiver.body)

  const [table, gateErrors, gateDomain, gateWarnings, page] = await Promise.all([
    whodecides(['audit'], remote),
    whodecides(['audit', '--fail-on', 'error'], remote),
    whodecides(['audit', '--domain', 'pricing', '--fail-on', 'error'], remote),
    whodecides(['audit', '--domain', 'pricing', '--fail-on', 'warning'], remote),
    whodecides(['audit', '--format', 'html'], remote)
  ])
  t.equal(table.code, 0, table.stderr)
  t.match(table.stdout, /^multiple-final-deciders +error +Twin deciders +.+ +waived \(Shared by design until the merger\)$/m, 'waived, with its reason')
  t.match(table.stdout, /^Accepted by a waiver: 1 finding\n(?:.*\n)*?multiple-final-deciders +error +Twin deciders .*waived/m, 'under its own heading, after the groups')
  t.notMatch(table.stdout, /^Twin deciders \(initiative\): 2 findings/m, 'and counted in no group')
  t.notMatch(table.stdout, ESC)
  t.equal(gateErrors.code, 1, 'other errors remain (no decider, an absent one): exit 1')
  t.match(gateErrors.stderr, /^\d+ finding\(s\) at or above error remain\n$/)
  t.equal(gateDomain.code, 0, 'no errors in the domain: exit 0')
  t.equal(gateWarnings.code, 1, 'but a warning there, with --fail-on warning: exit 1')
  t.equal(page.code, 0, page.stderr)
  t.match(page.stdout, /^<!doctype html>/i, 'the report page, from the service')
  t.match(page.stdout, /Shared by design until the merger/, 'showing the waiver\'s reason')

  const [refused, noKey] = await Promise.all([
    whodecides(['who', 'twin', '--url', url, '--key', 'wd_not-a-key-0123456789abcdef0123456789']),
    whodecides(['who', 'twin', '--url', url])
  ])
  t.equal(refused.code, 1)
  t.same(oneLine(refused.stderr), [`whodecides: the key was refused by ${url}: give a live API key with --key or WHODECIDES_KEY`])
  t.equal(noKey.code, 2)
  t.same(oneLine(noKey.stderr), ['whodecides: --url needs an API key: give --key or set WHODECIDES_KEY'])
})

t.test('a service that cannot be reached, and a URL that is not one', async (t) => {
  // A port nothing listens on: one a server had, closed again.
  const app = await buildApp({ ...defaultConfig, dbPath: ':memory:', logLevel: 'silent', prettyLogs: false })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
  await app.close()
  const [unreachable, notUrl] = await Promise.all([
    whodecides(['audit', '--url', url, '--key', TOKEN]),
    whodecides(['who', 'x', '--url', 'nowhere', '--key', TOKEN])
  ])
  t.equal(unreachable.code, 1)
  t.same(oneLine(unreachable.stderr), [`whodecides: cannot reach ${url}: ECONNREFUSED`])
  t.equal(notUrl.code, 2)
  t.same(oneLine(notUrl.stderr), ['whodecides: --url: not a URL: "nowhere" (e.g. http://127.0.0.1:3000)'])
})
