// `whodecides keys` on a local database file: create prints the token once, list without secrets, revoke; local only.
import { join } from 'node:path'
import t from 'tap'
import { oneLine, PROCESSES_MS, tempDir, whodecides } from './run.js'

t.setTimeout(PROCESSES_MS)

t.test('keys on the local database: create prints the token once, list, revoke; local only', async (t) => {
  const dir = tempDir(t)
  const env = { WHODECIDES_DB: join(dir, 'keys.db') }
  const created = await whodecides(['keys', 'create', '--label', 'nightly audit', '--role', 'auditor'], env)
  t.equal(created.code, 0, created.stderr)
  t.match(created.stdout, /^wd_[\w-]{43}\n$/, 'stdout holds the token alone')
  const id = /^key (\S+) \(auditor, "nightly audit"\) issued/.exec(created.stderr)?.[1]
  t.ok(id, `stderr says which key (${created.stderr})`)
  const admin = await whodecides(['keys', 'create', '--label', 'recovery', '--role', 'admin'], env)
  t.equal(admin.code, 0)

  const listed = await whodecides(['keys', 'list'], env)
  t.match(listed.stdout, /^id +label +role +created +revoked$/m)
  t.match(listed.stdout, new RegExp(`^${id} +nightly audit +auditor +\\S+$`, 'm'))
  t.notMatch(listed.stdout, created.stdout.trim(), 'without secrets')

  const revoked = await whodecides(['keys', 'revoke', id!], env)
  t.equal(revoked.code, 0, revoked.stderr)
  t.match(revoked.stdout, new RegExp(`^key ${id} \\("nightly audit"\\) revoked at \\S+\n$`))
  t.match((await whodecides(['keys', 'list'], env)).stdout, new RegExp(`^${id} +nightly audit +auditor +\\S+ +\\S+$`, 'm'), 'list shows when')

  const [badRole, noLabel, remote, unknownKey, noSub] = await Promise.all([
    whodecides(['keys', 'create', '--label', 'x', '--role', 'boss'], env),
    whodecides(['keys', 'create', '--role', 'reader'], env),
    whodecides(['keys', 'list', '--url', 'http://127.0.0.1:9'], env),
    whodecides(['keys', 'revoke', 'nope'], env),
    whodecides(['keys'], env)
  ])
  t.equal(badRole.code, 2)
  t.match(oneLine(badRole.stderr), [/Allowed choices are reader, editor, auditor, admin/])
  t.equal(noLabel.code, 2)
  t.match(oneLine(noLabel.stderr), [/^whodecides: Required option '--label <label>' not specified/])
  t.equal(remote.code, 2)
  t.same(oneLine(remote.stderr), ['whodecides: keys works on the local database only (--db or WHODECIDES_DB): drop --url'])
  t.equal(unknownKey.code, 1)
  t.same(oneLine(unknownKey.stderr), ['whodecides: No keys record with id "nope"'])
  t.equal(noSub.code, 2, 'keys without a subcommand: its help, exit 2')
  t.match(noSub.stderr, /Usage: whodecides keys/)
})
