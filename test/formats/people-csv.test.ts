// People CSV as HR systems export it: header spellings, --map, typed values, ids made from emails, every problem at
// its row and column, and export then import giving the same people.
import t from 'tap'
import { idFromEmail, parsePeopleCsv, writePeopleCsv, type PeopleCsvPerson } from '../../src/formats/people-csv.js'

const csv = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')

t.test('reads an HR export with its own header spellings', async (t) => {
  const read = parsePeopleCsv(csv([
    'Employee ID,Full name,E-mail,Job title,Employment status,Manager email,Tags,Equity %,Department',
    'HR-1,Ada Lovelace,Ada.Lovelace@example.com,CEO,Active,,founder; Executive,"12,5",Board',
    'HR-2,Grace Hopper,grace@example.com,CTO,On leave,ada.lovelace@example.com,,,Tech',
    'HR-3,Alan Turing,alan@example.com,,Retired,HR-1,,0.5 %,'
  ]))
  t.same(read.problems, [])
  t.same(read.columns, { externalId: 1, name: 2, email: 3, title: 4, status: 5, manager: 6, tags: 7, stake: 8 })
  t.same(read.ignoredColumns, ['Department'])
  t.same(read.people, [
    { row: 2, idFromEmail: true, id: 'ada-lovelace', name: 'Ada Lovelace', email: 'Ada.Lovelace@example.com', title: 'CEO', status: 'active', manager: null, tags: ['founder', 'executive'], stakePercent: 12.5, externalId: 'HR-1' },
    { row: 3, idFromEmail: true, id: 'grace', name: 'Grace Hopper', email: 'grace@example.com', title: 'CTO', status: 'on_leave', manager: 'ada.lovelace@example.com', tags: [], stakePercent: null, externalId: 'HR-2' },
    { row: 4, idFromEmail: true, id: 'alan', name: 'Alan Turing', email: 'alan@example.com', title: null, status: 'retired', manager: 'HR-1', tags: [], stakePercent: 0.5, externalId: 'HR-3' }
  ])
})

t.test('first and last name columns, ; delimiter and a BOM', async (t) => {
  const read = parsePeopleCsv(Buffer.concat([Buffer.from('\ufeff'), csv(['First name;Last name;Work email;Status', 'Jürgen;Müller;j.mueller@example.de;terminated'])]))
  t.same(read.problems, [])
  t.equal(read.delimiter, ';')
  t.match(read.people, [{ name: 'Jürgen Müller', email: 'j.mueller@example.de', status: 'departed', id: 'j-mueller' }])
})

t.test('--map names the fields of other headers, or ignores a column', async (t) => {
  const read = parsePeopleCsv(csv(['Mitarbeiter,Mail,Personalnummer,Name', 'Ada Lovelace,ada@example.com,7,Ada L.']), {
    map: { mitarbeiter: 'name', MAIL: 'E-mail', Personalnummer: 'employee id' }
  })
  t.same(read.problems, [])
  t.same(read.columns, { name: 1, email: 2, externalId: 3 }, 'the mapped name wins over the recognized Name column')
  t.same(read.ignoredColumns, ['Name'])
  t.match(read.people, [{ name: 'Ada Lovelace', email: 'ada@example.com', externalId: '7' }])
  const ignoring = parsePeopleCsv(csv(['Name,Email,Status', 'Ada,ada@example.com,Full-time']), { map: { Status: 'ignore' } })
  t.same(ignoring.problems, [])
  t.equal(ignoring.people[0]?.status, null)
})

t.test('a bad --map, a field given twice, a file without name or email', async (t) => {
  t.same(parsePeopleCsv(csv(['Name,Email', 'Ada,ada@example.com']), { map: { Nom: 'name', Email: 'salary' } }).problems.map((p) => [p.kind, p.message]), [
    ['unknown-column', '--map Nom=name: the file has no column "Nom"'],
    ['unknown-field', '--map Email=salary: "salary" is not a field; the fields are id, name, firstName, lastName, email, title, status, manager, tags, stake, externalId (or ignore)']
  ])
  const twice = parsePeopleCsv(csv(['Name,Email,Full name', 'Ada,ada@example.com,Ada L.']))
  t.match(twice.problems, [{ kind: 'duplicate-header', row: 1, column: 3, cell: 'C1', message: /"Full name" gives the name as column A does/ }])
  t.same(twice.people, [], 'nothing is read past a header problem')
  t.same(parsePeopleCsv(csv(['Department', 'Tech'])).problems.map((p) => p.kind), ['missing-column', 'missing-column'])
})

t.test('every value problem at its row and column', async (t) => {
  const read = parsePeopleCsv(csv([
    'id,name,email,status,stake,external id',
    'ada,Ada,ada@example.com,active,12.5,HR-1',
    'Bad Id,,not-an-email,constructor,101,HR-2',
    ',Grace,,,-1,',
    'ada,Ada again,ADA@example.com,,abc,HR-1',
    ',,,,,',
    'zed,Zed,zed@example.com,on-leave,100,'
  ]))
  t.same(read.problems.map((p) => [p.kind, p.cell]), [
    ['bad-id', 'A3'], ['missing-name', 'B3'], ['bad-email', 'C3'], ['bad-status', 'D3'], ['bad-stake', 'E3'],
    ['bad-email', 'C4'], ['bad-stake', 'E4'],
    ['duplicate-id', 'A5'], ['duplicate-email', 'C5'], ['bad-stake', 'E5'], ['duplicate-external-id', 'F5']
  ])
  t.match(read.problems[2]?.message, /^C3: "not-an-email" is not an email address/)
  t.match(read.problems[3]?.message, /^D3: "constructor" is not a status/)
  t.match(read.problems[5]?.message, /^C4: the person has no email/)
  t.match(read.problems[8]?.message, /is also in row 2/)
  t.same(read.people.map((p) => p.row), [2, 3, 4, 5, 7], 'the blank row 6 is skipped')
  t.equal(read.people[4]?.status, 'on_leave')
})

t.test('ids from emails: the local part, lowercased, other characters as -, a suffix on collision, in row order', async (t) => {
  const read = parsePeopleCsv(csv([
    'id,name,email',
    ',Ada,ada@one.example',
    'ada,Ada Two,ada@two.example',
    ',Ada Three,Ada@three.example',
    ',Zoë,Zoë.O\'Brien+hr@example.com',
    ',Dots,...@example.com'
  ]))
  t.same(read.problems, [])
  t.same(read.people.map((p) => [p.id, p.idFromEmail]), [['ada-2', true], ['ada', false], ['ada-3', true], ['zoe-o-brien-hr', true], ['person', true]])
  const taken = new Set<string>()
  t.same(['x@a', 'x@b', 'X@c'].map((email) => idFromEmail(email, taken)), ['x', 'x-2', 'x-3'])
  t.equal(idFromEmail(`${'a'.repeat(70)}@example.com`, new Set()).length, 56)
})

t.test('a bad file is one problem; so is one over the limit', async (t) => {
  t.match(parsePeopleCsv(Buffer.from('name,email\n"Ada,ada@example.com\n')).problems, [{ kind: 'unreadable-file', line: 2 }])
  t.match(parsePeopleCsv(csv(['name,email', 'Ada,ada@example.com']), { maxBytes: 10 }).problems, [{ kind: 'file-too-large' }])
})

t.test('export escapes formula-like text and reads back as the same people', async (t) => {
  const people: PeopleCsvPerson[] = [
    { id: 'ada', name: 'Ada Lovelace', email: 'ada@example.com', title: 'CEO, founder', status: 'active', manager: null, tags: ['founder', 'executive'], stakePercent: 12.5, externalId: 'HR-1' },
    { id: 'grace', name: 'Grace "Amazing" Hopper', email: 'grace@example.com', title: null, status: null, manager: 'ada', tags: [], stakePercent: null, externalId: null }
  ]
  for (const delimiter of [',', ';'] as const) {
    const read = parsePeopleCsv(writePeopleCsv(people, { delimiter }))
    t.same(read.problems, [])
    t.same(read.people.map(({ row, idFromEmail, ...person }) => person), people)
  }
  const risky = writePeopleCsv([{ ...people[1] as PeopleCsvPerson, name: '=cmd|\' /C calc\'!A0', title: '@SUM(1)' }]).toString('utf8')
  t.match(risky, /\r\ngrace,'=cmd\|' \/C calc'!A0,grace@example.com,'@SUM\(1\),,ada,/)
})
