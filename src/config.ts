// The one place that reads process.env: a validated, typed Config for buildApp and the server.
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getHeapStatistics } from 'node:v8'
import { connectionsWithin, descriptorLimit } from './descriptor-limit.js'

export interface Config {
  host: string
  port: number
  /** Path of the SQLite file, or ':memory:'. */
  dbPath: string
  /** A token that becomes an admin key when the database holds no keys yet. */
  bootstrapKey: string | undefined
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Pretty, coloured log lines for a human at a terminal instead of JSON lines. */
  prettyLogs: boolean
  /** Body limit in bytes for every route but the import. */
  bodyLimit: number
  /** Body limit in bytes for POST /v1/import. */
  importBodyLimit: number
  // Hardening: timeouts, rate limits and the overload guard (src/plugins/rate-limits.ts, auth.ts, load-shedding.ts).
  /** Socket inactivity in ms before the connection is dropped, also while a handler runs: above the slowest request. 0: none. */
  connectionTimeoutMs: number
  /** Time in ms a client has to send a whole request, headers and body. 0: none. */
  requestTimeoutMs: number
  /** Time in ms a new connection has to send its request's headers (a connection that sends nothing is closed after it). */
  headersTimeoutMs: number
  /** Time in ms an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number
  /** Connections open at once; past it, a new one gets a 503 and is closed. 0: no cap. */
  maxConnections: number
  /** Requests one API key (a request without one: its IP address) may make per window; more get 429. */
  rateLimit: number
  rateLimitWindowMs: number
  /** Refused bearer tokens one IP address may send per window; then every bearer request from it gets 429 unchecked. */
  authFailureLimit: number
  authFailureWindowMs: number
  /** Above this mean event-loop delay over a sample, requests get 503 instead of queueing. 0: not checked. */
  maxEventLoopDelayMs: number
  /** Above this V8 heap use, requests get 503. 0: not checked. */
  maxHeapUsedBytes: number
  /** Above this resident memory, requests get 503. 0: not checked. */
  maxRssBytes: number
  /** How often in ms the overload guard samples the process. */
  pressureSampleMs: number
  /** The Retry-After in seconds of a 503 for overload. */
  overloadRetryAfterSeconds: number
  /** Whether a write that may change a boundary answers with the findings it raised or cleared (`effects`). */
  writeEffects: boolean
  /** Whether the caveats of every initiative and domain are judged between requests, ahead of their first lookup. */
  caveatsWarm: boolean
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
const HOUR_MS = 3_600_000

export const defaultConfig: Config = {
  host: '127.0.0.1',
  port: 3000,
  dbPath: './data/whodecides.db',
  bootstrapKey: undefined,
  logLevel: 'info',
  prettyLogs: false,
  bodyLimit: 1024 * 1024,
  importBodyLimit: 64 * 1024 * 1024,
  // Above the slowest legitimate request (a large import runs for tens of seconds); idle sockets go by keepAliveTimeoutMs.
  connectionTimeoutMs: 120_000,
  requestTimeoutMs: 60_000,
  // A client sends its request line and headers in one go; a connection silent this long holds a connection slot for nothing.
  headersTimeoutMs: 10_000,
  // Fastify's default: longer than the 60 s idle timeout of common load balancers, so they close first.
  keepAliveTimeoutMs: 72_000,
  // What fits under the descriptor limit, with room for the service's own files (src/descriptor-limit.ts).
  maxConnections: connectionsWithin(descriptorLimit()),
  // 50,000 requests a second per key on average: far above what one process serves, so only a runaway client meets it.
  rateLimit: 500_000,
  rateLimitWindowMs: 10_000,
  authFailureLimit: 30,
  authFailureWindowMs: 60_000,
  // A full process answers in well under a millisecond a request; 100 ms of mean delay means requests are queueing.
  maxEventLoopDelayMs: 100,
  // Near V8's heap limit the collector thrashes; refusing work lets what runs finish.
  maxHeapUsedBytes: Math.floor(getHeapStatistics().heap_size_limit * 0.9),
  // Off: resident memory seldom shrinks once grown, so a limit set too low would refuse every request from then on.
  maxRssBytes: 0,
  // The delay is a mean over a sample: a shorter one sees an overload sooner but also takes the backlog after a stall
  // (a checkpoint's fsync) for one. The choice, measured: docs/performance.md.
  pressureSampleMs: 1000,
  overloadRetryAfterSeconds: 2,
  writeEffects: true,
  caveatsWarm: true
}

export class ConfigError extends Error {}

/** A variable's value; unset and empty both mean "use the default". */
function read (env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]
  return raw === undefined || raw === '' ? undefined : raw
}

function integer (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name)
  if (raw === undefined) return fallback
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`)
  }
  return value
}

function boolean (env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = read(env, name)
  if (raw === undefined) return fallback
  if (raw === 'true' || raw === '1') return true
  if (raw === 'false' || raw === '0') return false
  throw new ConfigError(`${name} must be true or false, got "${raw}"`)
}

// What a bearer token may hold (the auth plugin accepts nothing else): printable ASCII, no spaces, at most 512 long;
// and at least 32, as a key an operator chose (not drawn at random) needs the length to resist guessing.
const BOOTSTRAP_KEY = /^[\x21-\x7e]{32,512}$/

/** Reads the environment once; throws ConfigError naming the variable that is wrong. */
export function loadConfig (env: NodeJS.ProcessEnv = process.env, isTerminal = Boolean(process.stdout.isTTY)): Config {
  const logLevel = read(env, 'WHODECIDES_LOG_LEVEL') ?? defaultConfig.logLevel
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`WHODECIDES_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`)
  }
  const bootstrapKey = read(env, 'WHODECIDES_BOOTSTRAP_KEY')
  // The message never repeats the value: it is a secret.
  if (bootstrapKey !== undefined && !BOOTSTRAP_KEY.test(bootstrapKey)) {
    throw new ConfigError('WHODECIDES_BOOTSTRAP_KEY must be 32 to 512 printable ASCII characters without spaces')
  }
  return {
    host: read(env, 'HOST') ?? defaultConfig.host,
    port: integer(env, 'PORT', defaultConfig.port, 0, 65535),
    dbPath: read(env, 'WHODECIDES_DB') ?? defaultConfig.dbPath,
    bootstrapKey,
    logLevel: logLevel as Config['logLevel'],
    prettyLogs: boolean(env, 'WHODECIDES_LOG_PRETTY', isTerminal),
    bodyLimit: integer(env, 'WHODECIDES_BODY_LIMIT', defaultConfig.bodyLimit, 1024, 1024 ** 3),
    importBodyLimit: integer(env, 'WHODECIDES_IMPORT_BODY_LIMIT', defaultConfig.importBodyLimit, 1024, 1024 ** 3),
    connectionTimeoutMs: integer(env, 'WHODECIDES_CONNECTION_TIMEOUT_MS', defaultConfig.connectionTimeoutMs, 0, HOUR_MS),
    requestTimeoutMs: integer(env, 'WHODECIDES_REQUEST_TIMEOUT_MS', defaultConfig.requestTimeoutMs, 0, HOUR_MS),
    headersTimeoutMs: integer(env, 'WHODECIDES_HEADERS_TIMEOUT_MS', defaultConfig.headersTimeoutMs, 1, HOUR_MS),
    keepAliveTimeoutMs: integer(env, 'WHODECIDES_KEEP_ALIVE_TIMEOUT_MS', defaultConfig.keepAliveTimeoutMs, 1, HOUR_MS),
    maxConnections: integer(env, 'WHODECIDES_MAX_CONNECTIONS', defaultConfig.maxConnections, 0, 1_000_000),
    rateLimit: integer(env, 'WHODECIDES_RATE_LIMIT', defaultConfig.rateLimit, 1, 1e9),
    rateLimitWindowMs: integer(env, 'WHODECIDES_RATE_LIMIT_WINDOW_MS', defaultConfig.rateLimitWindowMs, 1000, HOUR_MS),
    authFailureLimit: integer(env, 'WHODECIDES_AUTH_FAILURE_LIMIT', defaultConfig.authFailureLimit, 1, 1e9),
    authFailureWindowMs: integer(env, 'WHODECIDES_AUTH_FAILURE_WINDOW_MS', defaultConfig.authFailureWindowMs, 1000, HOUR_MS),
    maxEventLoopDelayMs: integer(env, 'WHODECIDES_MAX_EVENT_LOOP_DELAY_MS', defaultConfig.maxEventLoopDelayMs, 0, 60_000),
    maxHeapUsedBytes: integer(env, 'WHODECIDES_MAX_HEAP_USED_BYTES', defaultConfig.maxHeapUsedBytes, 0, 2 ** 50),
    maxRssBytes: integer(env, 'WHODECIDES_MAX_RSS_BYTES', defaultConfig.maxRssBytes, 0, 2 ** 50),
    pressureSampleMs: integer(env, 'WHODECIDES_PRESSURE_SAMPLE_MS', defaultConfig.pressureSampleMs, 10, 60_000),
    overloadRetryAfterSeconds: integer(env, 'WHODECIDES_OVERLOAD_RETRY_AFTER', defaultConfig.overloadRetryAfterSeconds, 1, 3600),
    writeEffects: boolean(env, 'WHODECIDES_WRITE_EFFECTS', defaultConfig.writeEffects),
    caveatsWarm: boolean(env, 'WHODECIDES_CAVEATS_WARM', defaultConfig.caveatsWarm)
  }
}

/** The folder holding package.json, both when run from src/ with tsx and from dist/src/ after tsc. */
export function packageRoot (): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url))
    dir = parent
  }
  return dir
}

export const migrationsFolder = (): string => resolve(packageRoot(), 'db/migrations')
