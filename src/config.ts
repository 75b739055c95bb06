// The one place that reads process.env: a validated, typed Config for buildApp and the server.
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

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
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

export const defaultConfig: Config = {
  host: '127.0.0.1',
  port: 3000,
  dbPath: './data/whodecides.db',
  bootstrapKey: undefined,
  logLevel: 'info',
  prettyLogs: false,
  bodyLimit: 1024 * 1024,
  importBodyLimit: 64 * 1024 * 1024
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

// What a bearer token may hold (the auth plugin accepts nothing else): printable ASCII, no spaces, 24 to 512 long.
const BOOTSTRAP_KEY = /^[\x21-\x7e]{24,512}$/

/** Reads the environment once; throws ConfigError naming the variable that is wrong. */
export function loadConfig (env: NodeJS.ProcessEnv = process.env, isTerminal = Boolean(process.stdout.isTTY)): Config {
  const logLevel = read(env, 'WHODECIDES_LOG_LEVEL') ?? defaultConfig.logLevel
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`WHODECIDES_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`)
  }
  const bootstrapKey = read(env, 'WHODECIDES_BOOTSTRAP_KEY')
  // The message never repeats the value: it is a secret.
  if (bootstrapKey !== undefined && !BOOTSTRAP_KEY.test(bootstrapKey)) {
    throw new ConfigError('WHODECIDES_BOOTSTRAP_KEY must be 24 to 512 printable ASCII characters without spaces')
  }
  return {
    host: read(env, 'HOST') ?? defaultConfig.host,
    port: integer(env, 'PORT', defaultConfig.port, 0, 65535),
    dbPath: read(env, 'WHODECIDES_DB') ?? defaultConfig.dbPath,
    bootstrapKey,
    logLevel: logLevel as Config['logLevel'],
    prettyLogs: boolean(env, 'WHODECIDES_LOG_PRETTY', isTerminal),
    bodyLimit: integer(env, 'WHODECIDES_BODY_LIMIT', defaultConfig.bodyLimit, 1024, 1024 ** 3),
    importBodyLimit: integer(env, 'WHODECIDES_IMPORT_BODY_LIMIT', defaultConfig.importBodyLimit, 1024, 1024 ** 3)
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
