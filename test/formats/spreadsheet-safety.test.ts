// The guards every spreadsheet passes: the size limit (a parameter, 50 MB by default) and formula escaping.
import t from 'tap'
import { escapeFormula, MAX_SPREADSHEET_BYTES, sizeProblem } from '../../src/formats/spreadsheet-safety.js'

t.test('cells a spreadsheet would run as formulas get a leading quote; others are left as they are', async (t) => {
  const escaped: Array<[string, string]> = [
    ['=SUM(A1:A9)', '\'=SUM(A1:A9)'], ['+1', '\'+1'], ['-1', '\'-1'], ['@ada', '\'@ada'], ['\tx', '\'\tx'], ['\rx', '\'\rx'],
    ['=HYPERLINK("http://evil","click")', '\'=HYPERLINK("http://evil","click")']
  ]
  for (const [text, out] of escaped) t.equal(escapeFormula(text), out, JSON.stringify(text))
  for (const text of ['', 'A/R', 'ada@example.com', 'a=b', ' =x', '\'already', 'Müller', '1+1']) t.equal(escapeFormula(text), text, JSON.stringify(text))
})

t.test('the size limit is 50 MB by default, and a parameter', async (t) => {
  t.equal(MAX_SPREADSHEET_BYTES, 52_428_800)
  const bytes = new Uint8Array(2000)
  t.equal(sizeProblem(bytes), undefined)
  t.equal(sizeProblem(bytes, 2000), undefined)
  t.same(sizeProblem(bytes, 1999), { kind: 'file-too-large', message: 'The file is 2000 bytes; the limit is 2 kB' }, 'a size that rounds to the limit is given in bytes')
  t.same(sizeProblem(new Uint8Array(3 * 1024 * 1024 + 1), 3 * 1024 * 1024), { kind: 'file-too-large', message: 'The file is 3145729 bytes; the limit is 3 MB' })
  t.same(sizeProblem(new Uint8Array(10), 9), { kind: 'file-too-large', message: 'The file is 10 bytes; the limit is 9 bytes' })
  t.same(sizeProblem(new Uint8Array(5 * 1024 * 1024), 3 * 1024 * 1024), { kind: 'file-too-large', message: 'The file is 5 MB; the limit is 3 MB' })
})

t.test('a file one byte over 50 MB is refused by default (its length, not its content, is what counts)', async (t) => {
  const view = new Uint8Array(new ArrayBuffer(8), 0, 8)
  Object.defineProperty(view, 'byteLength', { value: MAX_SPREADSHEET_BYTES + 1 })
  t.same(sizeProblem(view), { kind: 'file-too-large', message: 'The file is 52428801 bytes; the limit is 50 MB' })
})
