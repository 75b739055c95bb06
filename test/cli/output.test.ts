// What the command line prints and how: tables drawn and coloured on a terminal, plain in a pipe or under NO_COLOR;
// a progress bar on a terminal only, never in a pipe or with --quiet. Streams stand in for the terminal.
import { Writable } from 'node:stream'
import t from 'tap'
import { Output } from '../../src/cli/output.js'
import { ESC } from './run.js'

/** A stream that keeps what is written, a terminal or not. */
function stream (isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  let text = ''
  const writable = new Writable({ write (chunk, _encoding, done) { text += String(chunk); done() } }) as unknown as NodeJS.WriteStream & { text: () => string }
  Object.assign(writable, { isTTY, columns: 100, text: () => text, cursorTo: () => true, clearLine: () => true, moveCursor: () => true })
  return writable
}

const HEAD = ['rule', 'severity']
const ROWS = [['no-final-decider', 'error'], ['no-responsible', 'warning']]

t.test('a table: boxed and coloured on a terminal; plain aligned columns in a pipe or under NO_COLOR', async (t) => {
  const terminal = new Output({ quiet: false, env: {}, stdout: stream(true), stderr: stream(true) })
  const drawn = terminal.table(HEAD, ROWS.map(([rule, severity]) => [rule!, terminal.colors.red(severity!)]))
  t.match(drawn, /[┌─│]/, 'drawn with lines')
  t.match(drawn, ESC, 'in colour')

  const noColor = new Output({ quiet: false, env: { NO_COLOR: '1' }, stdout: stream(true), stderr: stream(true) })
  t.notMatch(noColor.table(HEAD, ROWS.map(([rule, severity]) => [rule!, noColor.colors.red(severity!)])), ESC, 'NO_COLOR: no colour on a terminal')
  const dumb = new Output({ quiet: false, env: { TERM: 'dumb' }, stdout: stream(true), stderr: stream(true) })
  t.notMatch(dumb.colors.red('x'), ESC, 'TERM=dumb: none either')

  const pipe = new Output({ quiet: false, env: {}, stdout: stream(false), stderr: stream(false) })
  const plain = pipe.table(HEAD, ROWS.map(([rule, severity]) => [rule!, pipe.colors.red(severity!)]))
  t.equal(plain, 'rule              severity\nno-final-decider  error\nno-responsible    warning', 'a pipe: columns two spaces apart, no trailing blanks')
})

t.test('a progress bar on a terminal only, and never with --quiet', async (t) => {
  const bar = async (options: { quiet: boolean, tty: boolean }): Promise<string> => {
    const stderr = stream(options.tty)
    const progress = new Output({ quiet: options.quiet, env: {}, stdout: stream(options.tty), stderr }).progress('reading findings', 20_000)
    progress.increment(10_000)
    progress.increment(10_000)
    progress.stop()
    return stderr.text()
  }
  t.match(await bar({ quiet: false, tty: true }), /reading findings \[.*\] \d+\/20000/, 'a terminal: the bar, its label and count')
  t.equal(await bar({ quiet: false, tty: false }), '', 'a pipe: nothing')
  t.equal(await bar({ quiet: true, tty: true }), '', '--quiet: nothing')
})

t.test('notes go to stderr, and say nothing with --quiet', async (t) => {
  const stdout = stream(false)
  const stderr = stream(false)
  new Output({ quiet: false, env: {}, stdout, stderr }).note('export written to x.json')
  new Output({ quiet: true, env: {}, stdout, stderr }).note('not said')
  t.equal(stderr.text(), 'export written to x.json\n')
  t.equal(stdout.text(), '')
})
