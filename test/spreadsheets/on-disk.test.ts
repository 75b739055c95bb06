// Spreadsheets imported on a database file: read, planned and written in the import process, the answer given once
// lookups see it; a refused file's problems come back from there as the same 422; a dry run writes nothing.
import { join } from 'node:path'
import t from 'tap'
import { assertProblem, buildTestApp } from '../helper.js'
import { exportMatrix, importFile, registryOf, ROLE_CELLS, seedRegistry, XLSX } from './registry-fixture.js'

t.test('a RACI matrix and a people file through the import process', async (t) => {
  const source = await buildTestApp(t)
  await seedRegistry(source)
  const csv = (await exportMatrix(source, '?format=csv')).rawPayload
  const xlsx = (await exportMatrix(source, '?format=xlsx')).rawPayload

  const test = await buildTestApp(t, { dbPath: join(t.testdir(), 'registry.db') })
  await seedRegistry(test, false)
  const before = await registryOf(test)
  const dry = await importFile(test, xlsx, XLSX, '?dryRun=true')
  t.equal(dry.statusCode, 200, dry.body.slice(0, 300))
  t.match(dry.json(), { kind: 'raci', dryRun: true, created: ROLE_CELLS, revision: null })
  t.same(await registryOf(test), before, 'a dry run writes nothing')

  const res = await importFile(test, csv, 'text/csv', '?kind=raci')
  t.equal(res.statusCode, 200, res.body.slice(0, 300))
  t.match(res.json(), { kind: 'raci', created: ROLE_CELLS, ended: 0 })
  const decider = (await test.call({ method: 'GET', url: '/v1/initiatives/pricing/decider' })).json()
  t.ok(JSON.stringify(decider).includes('"ada"'), 'the decider index holds the import when it answers')
  t.equal((await exportMatrix(test, '?format=csv')).rawPayload.toString('utf8'), csv.toString('utf8'), 'the same matrix back')
  t.match((await importFile(test, xlsx, XLSX)).json(), { created: 0, changed: 0, ended: 0, unchanged: ROLE_CELLS, revision: null })

  const refused = assertProblem(t, await importFile(test, 'Initiative,ada@example.com,nobody@example.com\r\nNew pricing,A,X\r\n', 'text/csv'), 422, 'WHODECIDES_ERR_INVALID_SPREADSHEET')
  t.same(refused.report.problems.map((p: any) => p.cell), ['C1', 'C2'])
  t.same(refused.errors.map((e: any) => e.path), ['/C1', '/C2'])

  const people = await importFile(test, 'Name,Email,Manager\r\nZoe Zed,zoe@example.com,ADA@example.com\r\n', 'text/csv')
  t.equal(people.statusCode, 200, people.body)
  t.match(people.json(), { kind: 'people', created: 1 })
  const zoe = (await registryOf(test) as any).people.find((p: any) => p.email === 'zoe@example.com')
  t.equal(zoe.managerId, 'ada')
})
