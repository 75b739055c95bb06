// What `whodecides import` takes a file for (by --kind, else by extension and header), and how --map is read.
import t from 'tap'
import { InvalidArgumentError } from 'commander'
import { kindOf, parseMapping } from '../../src/cli/commands/import.js'
import { UsageError } from '../../src/cli/errors.js'

const people = (): boolean => true
const matrix = (): boolean => false

t.test('the kind: --kind, else the extension; a CSV by its header', async (t) => {
  const cases: Array<[string, Parameters<typeof kindOf>, ReturnType<typeof kindOf>]> = [
    ['a .json file is a bundle', ['org.json', undefined, matrix], { kind: 'bundle', format: 'json' }],
    ['a workbook is a matrix', ['raci.XLSX', undefined, people], { kind: 'raci', format: 'xlsx' }],
    ['a CSV naming an email column is people', ['hr.csv', undefined, people], { kind: 'people', format: 'csv' }],
    ['any other CSV a matrix', ['raci.csv', undefined, matrix], { kind: 'raci', format: 'csv' }],
    ['--kind overrides the header', ['hr.csv', 'raci', people], { kind: 'raci', format: 'csv' }],
    ['--kind names a file of any extension', ['export.txt', 'people', matrix], { kind: 'people', format: 'csv' }],
    ['--kind bundle reads JSON whatever the name', ['export.txt', 'bundle', matrix], { kind: 'bundle', format: 'json' }],
    ['--kind raci keeps a workbook a workbook', ['raci.xlsx', 'raci', matrix], { kind: 'raci', format: 'xlsx' }]
  ]
  for (const [name, args, expected] of cases) t.same(kindOf(...args), expected, name)
  t.throws(() => kindOf('people.txt', undefined, people), new UsageError('people.txt: cannot tell its kind from the extension ".txt": name it with --kind (bundle, people, raci)'))
  t.throws(() => kindOf('people.xlsx', 'people', people), new UsageError('people.xlsx: a workbook is read as a RACI matrix: give people as a CSV file'), 'people in a workbook: a usage error')
  let sniffed = false
  kindOf('org.json', undefined, () => { sniffed = true; return true })
  t.notOk(sniffed, 'the header is read only for a CSV')
})

t.test('--map column=field, repeatable; the column may hold = and spaces', async (t) => {
  t.same(parseMapping('Work mail=email'), { 'Work mail': 'email' })
  t.same(parseMapping('Dept = ignore', parseMapping('E=Mail=email')), { 'E=Mail': 'email', Dept: 'ignore' })
  for (const bad of ['email', '=email', 'Work mail=', 'Work mail=e-mail']) t.throws(() => parseMapping(bad), InvalidArgumentError, bad)
})
