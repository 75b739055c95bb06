// loadConfig: defaults, every environment variable, and an error that names the variable at fault.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { getHeapStatistics } from 'node:v8'
import t from 'tap'
import { ConfigError, defaultConfig, loadConfig, migrationsFolder, packageRoot, type Config } from '../src/config.js'
import { connectionsWithin, descriptorLimit } from '../src/descriptor-limit.js'

const KEY = 'wd_bootstrap-0123456789abcdef0123456789'

/** The hardening variables: the field each sets, and its range. */
const HARDENING_VARIABLES = {
  WHODECIDES_CONNECTION_TIMEOUT_MS: ['connectionTimeoutMs', 0, 3_600_000],
  WHODECIDES_REQUEST_TIMEOUT_MS: ['requestTimeoutMs', 0, 3_600_000],
  WHODECIDES_HEADERS_TIMEOUT_MS: ['headersTimeoutMs', 1, 3_600_000],
  WHODECIDES_KEEP_ALIVE_TIMEOUT_MS: ['keepAliveTimeoutMs', 1, 3_600_000],
  WHODECIDES_MAX_CONNECTIONS: ['maxConnections', 0, 1_000_000],
  WHODECIDES_RATE_LIMIT: ['rateLimit', 1, 1e9],
  WHODECIDES_RATE_LIMIT_WINDOW_MS: ['rateLimitWindowMs', 1000, 3_600_000],
  WHODECIDES_AUTH_FAILURE_LIMIT: ['authFailureLimit', 1, 1e9],
  WHODECIDES_AUTH_FAILURE_WINDOW_MS: ['authFailureWindowMs', 1000, 3_600_000],
  WHODECIDES_MAX_EVENT_LOOP_DELAY_MS: ['maxEventLoopDelayMs', 0, 60_000],
  WHODECIDES_MAX_HEAP_USED_BYTES: ['maxHeapUsedBytes', 0, 2 ** 50],
  WHODECIDES_MAX_RSS_BYTES: ['maxRssBytes', 0, 2 ** 50],
  WHODECIDES_PRESSURE_SAMPLE_MS: ['pressureSampleMs', 10, 60_000],
  WHODECIDES_OVERLOAD_RETRY_AFTER: ['overloadRetryAfterSeconds', 1, 3600]
} as const satisfies Record<string, readonly [keyof Config, number, number]>

t.test('an empty environment gives the defaults', async (t) => {
  t.same(loadConfig({}, false), defaultConfig)
  t.same(defaultConfig, {
    host: '127.0.0.1',
    port: 3000,
    dbPath: './data/whodecides.db',
    bootstrapKey: undefined,
    logLevel: 'info',
    prettyLogs: false,
    bodyLimit: 1024 * 1024,
    importBodyLimit: 64 * 1024 * 1024,
    connectionTimeoutMs: 120_000,
    requestTimeoutMs: 60_000,
    headersTimeoutMs: 10_000,
    keepAliveTimeoutMs: 72_000,
    maxConnections: connectionsWithin(descriptorLimit()),
    rateLimit: 500_000,
    rateLimitWindowMs: 10_000,
    authFailureLimit: 30,
    authFailureWindowMs: 60_000,
    maxEventLoopDelayMs: 100,
    maxHeapUsedBytes: Math.floor(getHeapStatistics().heap_size_limit * 0.9),
    maxRssBytes: 0,
    pressureSampleMs: 1000,
    overloadRetryAfterSeconds: 2,
    writeEffects: true,
    caveatsWarm: true
  })
})

t.test('empty variables mean the default, as unset ones do', async (t) => {
  const env = {
    HOST: '', PORT: '', WHODECIDES_DB: '', WHODECIDES_BOOTSTRAP_KEY: '', WHODECIDES_LOG_LEVEL: '',
    WHODECIDES_LOG_PRETTY: '', WHODECIDES_BODY_LIMIT: '', WHODECIDES_IMPORT_BODY_LIMIT: '',
    ...Object.fromEntries(Object.keys(HARDENING_VARIABLES).map((name) => [name, '']))
  }
  t.same(loadConfig(env, false), defaultConfig)
})

t.test('every variable is read', async (t) => {
  const config = loadConfig({
    HOST: '0.0.0.0',
    PORT: '8080',
    WHODECIDES_DB: '/var/lib/whodecides/registry.db',
    WHODECIDES_BOOTSTRAP_KEY: KEY,
    WHODECIDES_LOG_LEVEL: 'debug',
    WHODECIDES_LOG_PRETTY: 'true',
    WHODECIDES_BODY_LIMIT: '2048',
    WHODECIDES_IMPORT_BODY_LIMIT: '1048576',
    WHODECIDES_WRITE_EFFECTS: 'false',
    WHODECIDES_CAVEATS_WARM: 'false',
    ...Object.fromEntries(Object.entries(HARDENING_VARIABLES).map(([name, [, min]]) => [name, String(min + 1)]))
  }, false)
  t.same(config, {
    host: '0.0.0.0',
    port: 8080,
    dbPath: '/var/lib/whodecides/registry.db',
    bootstrapKey: KEY,
    logLevel: 'debug',
    prettyLogs: true,
    bodyLimit: 2048,
    importBodyLimit: 1048576,
    writeEffects: false,
    caveatsWarm: false,
    ...Object.fromEntries(Object.values(HARDENING_VARIABLES).map(([field, min]) => [field, min + 1]))
  })
})

t.test('PORT', async (t) => {
  t.equal(loadConfig({ PORT: '0' }, false).port, 0, '0 asks the system for a free port')
  t.equal(loadConfig({ PORT: '65535' }, false).port, 65535)
  for (const bad of ['abc', '-1', '65536', '3000.5', '1e3', '0x10', ' 3000', '3000 ']) {
    t.throws(() => loadConfig({ PORT: bad }, false), new ConfigError(`PORT must be an integer from 0 to 65535, got "${bad}"`), `PORT=${JSON.stringify(bad)}`)
  }
})

t.test('body limits', async (t) => {
  for (const name of ['WHODECIDES_BODY_LIMIT', 'WHODECIDES_IMPORT_BODY_LIMIT']) {
    t.equal(loadConfig({ [name]: '1024' }, false)[name === 'WHODECIDES_BODY_LIMIT' ? 'bodyLimit' : 'importBodyLimit'], 1024, `${name} at its minimum`)
    for (const bad of ['1023', '1073741825', 'lots', '64MiB']) {
      t.throws(() => loadConfig({ [name]: bad }, false), new ConfigError(`${name} must be an integer from 1024 to 1073741824, got "${bad}"`), `${name}=${bad}`)
    }
  }
})

t.test('timeouts, rate limits and overload limits: integers within their range', async (t) => {
  for (const [name, [field, min, max]] of Object.entries(HARDENING_VARIABLES)) {
    t.equal(loadConfig({ [name]: String(min) }, false)[field], min, `${name} at its minimum`)
    t.equal(loadConfig({ [name]: String(max) }, false)[field], max, `${name} at its maximum`)
    for (const bad of [String(min - 1), String(max + 1), 'soon', '1.5', '-']) {
      t.throws(() => loadConfig({ [name]: bad }, false), new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${bad}"`), `${name}=${bad}`)
    }
  }
})

t.test('WHODECIDES_LOG_LEVEL', async (t) => {
  for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const) {
    t.equal(loadConfig({ WHODECIDES_LOG_LEVEL: level }, false).logLevel, level)
  }
  t.throws(() => loadConfig({ WHODECIDES_LOG_LEVEL: 'loud' }, false),
    new ConfigError('WHODECIDES_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'))
  t.throws(() => loadConfig({ WHODECIDES_LOG_LEVEL: 'INFO' }, false), { message: /^WHODECIDES_LOG_LEVEL / }, 'levels are lower-case')
})

t.test('WHODECIDES_LOG_PRETTY: pretty on a terminal unless told otherwise', async (t) => {
  t.equal(loadConfig({}, true).prettyLogs, true, 'a terminal gets pretty lines')
  t.equal(loadConfig({}, false).prettyLogs, false, 'a pipe or a file gets JSON lines')
  t.equal(loadConfig({ WHODECIDES_LOG_PRETTY: 'false' }, true).prettyLogs, false)
  t.equal(loadConfig({ WHODECIDES_LOG_PRETTY: '0' }, true).prettyLogs, false)
  t.equal(loadConfig({ WHODECIDES_LOG_PRETTY: 'true' }, false).prettyLogs, true)
  t.equal(loadConfig({ WHODECIDES_LOG_PRETTY: '1' }, false).prettyLogs, true)
  t.throws(() => loadConfig({ WHODECIDES_LOG_PRETTY: 'yes' }, false), new ConfigError('WHODECIDES_LOG_PRETTY must be true or false, got "yes"'))
  t.type(loadConfig().prettyLogs, 'boolean', 'reads process.env and the real stdout by default')
})

t.test('WHODECIDES_BOOTSTRAP_KEY', async (t) => {
  t.equal(loadConfig({ WHODECIDES_BOOTSTRAP_KEY: 'x'.repeat(32) }, false).bootstrapKey, 'x'.repeat(32), '32 characters are enough')
  t.equal(loadConfig({ WHODECIDES_BOOTSTRAP_KEY: 'x'.repeat(512) }, false).bootstrapKey, 'x'.repeat(512), '512 at most')
  const message = 'WHODECIDES_BOOTSTRAP_KEY must be 32 to 512 printable ASCII characters without spaces'
  for (const [why, bad] of [
    ['too short, by one', 'x'.repeat(31)],
    ['as short as an API token may be', 'wd_' + 'x'.repeat(21)],
    ['too long', 'x'.repeat(513)],
    ['a space', 'wd_bootstrap key 0123456789abcdef0123'],
    ['not ASCII', 'wd_bootstrap-schlüssel-0123456789abcd']
  ] as const) {
    t.throws(() => loadConfig({ WHODECIDES_BOOTSTRAP_KEY: bad }, false), new ConfigError(message), why)
  }
  try {
    loadConfig({ WHODECIDES_BOOTSTRAP_KEY: 'secret-but-short' }, false)
    t.fail('a short key is refused')
  } catch (err) {
    t.notMatch((err as Error).message, 'secret-but-short', 'the message never repeats the key')
  }
})

t.test('the package root and the migrations folder resolve from the source tree', async (t) => {
  t.ok(existsSync(join(packageRoot(), 'package.json')))
  t.ok(existsSync(join(migrationsFolder(), 'meta', '_journal.json')), 'db/migrations holds the drizzle journal')
})
