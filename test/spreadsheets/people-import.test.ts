// People CSV in and out: rows matched by id, external id or email, ids made from emails, managers by id, email or
// external id, the same file twice changes nothing, every problem at its cell with nothing written; the export reads
// back alike.
import t from 'tap'
import { importPeopleCsv } from '../../src/services/spreadsheets/people-import.js'
import { exportPeopleCsv } from '../../src/services/spreadsheets/people-export.js'
import { SYSTEM_ACTOR } from '../../src/services/keys.js'
import { assertProblem, buildTestApp } from '../helper.js'
import { importFile, registryOf, seedRegistry } from './registry-fixture.js'

const HR_FILE = [
  'Employee ID,Full name,E-mail,Job title,Manager email,Status,Tags,Department',
  'E-1,Ada Lovelace,ADA@example.com,CEO,,active,founder;board,Board',
  'E-7,Grace Hopper,grace.hopper@example.com,CTO,ada@example.com,,,Tech',
  // Alan's manager by her external id in the file.
  'E-8,Alan Turing,alan@example.com,Engineer,E-7,on leave,,Tech'
].join('\r\n')

t.test('an HR export through POST /v1/import: matched by external id or email, new ids from emails, managers by email or external id', async (t) => {
  const test = await buildTestApp(t)
  await seedRegistry(test, false)
  const res = await importFile(test, HR_FILE, 'text/csv')
  t.equal(res.statusCode, 200, res.body.slice(0, 500))
  t.match(res.json(), { kind: 'people', created: 2, changed: 1, unchanged: 0, problems: [] })
  const grace = (await test.call({ method: 'GET', url: '/v1/people/grace-hopper' })).json()
  t.match(grace, { name: 'Grace Hopper', title: 'CTO', managerId: 'ada', externalId: 'E-7', status: 'active' })
  t.match((await test.call({ method: 'GET', url: '/v1/people/alan' })).json(), { managerId: 'grace-hopper', status: 'on_leave' })
  t.match((await test.call({ method: 'GET', url: '/v1/people/ada' })).json(), { title: 'CEO', tags: ['founder', 'board'], email: 'ADA@example.com' })

  const before = await registryOf(test)
  const again = await importFile(test, HR_FILE, 'text/csv', '?kind=people')
  t.match(again.json(), { created: 0, changed: 0, unchanged: 3, revision: null })
  t.same(await registryOf(test), before, 'the same file twice changes nothing')
})

t.test('problems at their cells: an unknown manager, a bad email, the same person twice; nothing written', async (t) => {
  const test = await buildTestApp(t)
  await seedRegistry(test, false)
  const before = await registryOf(test)
  const file = [
    'Name,Email,Manager,External ID',
    'Zed,zed@example.com,nobody@example.com,',
    'Yan,not-an-email,,',
    'Ada again,ada@example.com,,',
    'Ada by number,someone@example.com,,E-1'
  ].join('\n')
  const problem = assertProblem(t, await importFile(test, file, 'text/csv'), 422, 'WHODECIDES_ERR_INVALID_SPREADSHEET')
  t.same(problem.report.problems.map((p: any) => [p.kind, p.cell]), [['bad-email', 'B3']])
  t.same(await registryOf(test), before)

  const valid = file.replace('not-an-email', 'yan@example.com')
  const second = assertProblem(t, await importFile(test, valid, 'text/csv'), 422, 'WHODECIDES_ERR_INVALID_SPREADSHEET')
  t.same(second.report.problems.map((p: any) => [p.kind, p.cell]), [['unknown-manager', 'C2'], ['duplicate-person', 'B5']])
  t.same(await registryOf(test), before)
})

t.test('the service: export, then import of the export, changes nothing; a dry run writes nothing', async (t) => {
  const test = await buildTestApp(t)
  await seedRegistry(test)
  const db = test.app.runtime.db
  await importPeopleCsv(db, SYSTEM_ACTOR, Buffer.from(HR_FILE))
  const exported = exportPeopleCsv(db)
  t.match(exported.toString('utf8'), /^\ufeffid,name,email,title,status,manager,tags,stake,external id\r\n/)
  t.match(exported.toString('utf8'), /\r\nalan,Alan Turing,alan@example.com,Engineer,on_leave,grace.hopper@example.com,,,E-8\r\n/)
  const before = await registryOf(test)
  t.match(await importPeopleCsv(db, SYSTEM_ACTOR, exported), { created: 0, changed: 0, unchanged: 7 })
  t.same(await registryOf(test), before)
  const renamed = exported.toString('utf8').replace('Alan Turing', 'Alan M. Turing')
  t.match(await importPeopleCsv(db, SYSTEM_ACTOR, Buffer.from(renamed), { dryRun: true }), { dryRun: true, changed: 1, revision: null })
  t.same(await registryOf(test), before)
})
