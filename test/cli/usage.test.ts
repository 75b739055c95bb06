// The command line's frame: --help on every command; a mistake in the command line is one line on stderr and exit 2.
import t from 'tap'
import { oneLine, PROCESSES_MS, whodecides } from './run.js'

t.setTimeout(PROCESSES_MS)

t.test('help on every command; usage errors are one line and exit 2', async (t) => {
  const [help, whoHelp, keysHelp, nothing, unknown, missingArg, badAt, badChoice, badOption] = await Promise.all([
    whodecides(['--help']),
    whodecides(['who', '--help']),
    whodecides(['keys', 'create', '--help']),
    whodecides([]),
    whodecides(['nonsense']),
    whodecides(['who']),
    whodecides(['who', 'eu-prices', '--at', 'yesterday']),
    whodecides(['audit', '--fail-on', 'fatal']),
    whodecides(['who', 'eu-prices', '--colour'])
  ])
  t.equal(help.code, 0)
  for (const command of ['serve', 'migrate', 'keys', 'who', 'audit', 'export', 'import', 'openapi', 'backup']) t.match(help.stdout, new RegExp(`^  ${command}\\b`, 'm'), `--help lists ${command}`)
  t.match(help.stdout, /--db <file>.*WHODECIDES_DB/s, 'and the global options with their variables')
  t.equal(whoHelp.code, 0)
  t.match(whoHelp.stdout, /Usage: whodecides who \[options\] <initiative>/)
  t.match(whoHelp.stdout, /--at <time>/)
  t.equal(keysHelp.code, 0)
  // Commander wraps help to the width of the screen: compared with each run of spaces and line breaks as one space.
  t.match(keysHelp.stdout.replace(/\s+/g, ' '), /--role <role> .*\(choices: "reader", "editor", "auditor", "admin"\)/)

  for (const [name, ran] of Object.entries({ nothing, unknown, missingArg, badAt, badChoice, badOption })) {
    t.equal(ran.code, 2, `${name}: exit 2`)
    t.equal(oneLine(ran.stderr).length, 1, `${name}: one line on stderr (${ran.stderr})`)
    t.equal(ran.stdout, '', `${name}: nothing on stdout`)
  }
  t.match(unknown.stderr, /^usage: whodecides <openapi\|backup> \| <serve\|migrate\|keys\|who\|audit\|export\|import>/)
  t.match(missingArg.stderr, /^whodecides: Missing required argument 'initiative'/)
  t.match(badAt.stderr, /^whodecides: Option '--at <time>' argument 'yesterday' is invalid\. not a time/)
  t.match(badChoice.stderr, /^whodecides: Option '--fail-on <severity>' argument 'fatal' is invalid\. Allowed choices are error, warning/)
  t.match(badOption.stderr, /^whodecides: Unknown option '--colour'/)
})
