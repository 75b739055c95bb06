// `whodecides keys create|list|revoke`: API keys on the local database, for bootstrap and recovery when no admin
// key is at hand (over the network, an admin key does this through /v1/keys).
import { Option, type Command } from 'commander'
import { KEY_ROLES } from '../../../db/schema.js'
import type { Runtime } from '../../runtime.js'
import type { Role } from '../../schemas/common.js'
import { ONE_LINE_PATTERN } from '../../schemas/text.js'
import { UsageError } from '../errors.js'
import { Output } from '../output.js'
import { CLI_ACTOR, globalsOf, localDatabase, type Globals } from '../target.js'

// As the API takes a key's label (schemas/keys.ts): one line, not blank, at most 100 characters.
const LABEL = new RegExp(ONE_LINE_PATTERN, 'u')
const LABEL_MAX = 100

type KeyServices = typeof import('../../services/keys.js')

/** Runs `use` on the local database named by the global options, and closes it; loaded only for these commands. */
async function onDatabase<T> (globals: Globals, use: (runtime: Runtime, keys: KeyServices) => T): Promise<T> {
  const file = localDatabase(globals, 'keys')
  const [runtimes, keys] = await Promise.all([import('../../runtime.js'), import('../../services/keys.js')])
  const runtime = runtimes.Runtime.open(file)
  try {
    return use(runtime, keys)
  } finally {
    await runtime.stop()
  }
}

export function registerKeys (program: Command): void {
  const keys = program.command('keys').description('issue, list and revoke API keys on the local database')

  keys.command('create')
    .description('issue a key and print its token (shown this once only)')
    .requiredOption('--label <label>', 'who or what uses the key (one line, up to 100 characters)')
    .addOption(new Option('--role <role>', 'what the key may do').choices(KEY_ROLES).makeOptionMandatory())
    .action(async (options: { label: string, role: Role }, command: Command) => {
      if (options.label.length > LABEL_MAX || !LABEL.test(options.label)) {
        throw new UsageError(`--label: one line of 1 to ${LABEL_MAX} characters, without control characters`)
      }
      const globals = globalsOf(command)
      const { key } = await onDatabase(globals, (runtime, { createKey }) => createKey(runtime.db, CLI_ACTOR, { label: options.label, role: options.role }))
      const out = new Output(globals)
      out.note(`key ${key.id} (${key.role}, "${key.label}") issued; its token, shown this once only:`)
      out.line(key.token)
    })

  keys.command('list')
    .description('list every key, live and revoked, without secrets')
    .action(async (_options: unknown, command: Command) => {
      const globals = globalsOf(command)
      const all = await onDatabase(globals, (runtime, { listKeys }) => listKeys(runtime.db))
      const out = new Output(globals)
      if (all.length === 0) {
        out.line('no keys')
        return
      }
      out.line(out.table(['id', 'label', 'role', 'created', 'revoked'],
        all.map((k) => [k.id, k.label, k.role, k.createdAt, k.revokedAt === null ? '' : out.colors.red(k.revokedAt)])))
    })

  keys.command('revoke')
    .description('revoke a key at once (the last live admin key cannot be revoked)')
    .argument('<id>', 'the key\'s id, as keys list shows it')
    .action(async (id: string, _options: unknown, command: Command) => {
      const globals = globalsOf(command)
      const { key } = await onDatabase(globals, (runtime, { revokeKey }) => revokeKey(runtime.db, runtime.keys, CLI_ACTOR, id))
      new Output(globals).line(`key ${key.id} ("${key.label}") revoked at ${key.revokedAt ?? ''}`)
    })
}
