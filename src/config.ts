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

function integer (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`)
  }
  return value
}

/** Reads the environment once; throws ConfigError naming the variable that is wrong. */
export function loadConfig (env: NodeJS.ProcessEnv = process.env, isTerminal = Boolean(process.stdout.isTTY)): Config {
  const logLevel = env.WHODECIDES_LOG_LEVEL ?? defaultConfig.logLevel
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`WHODECIDES_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`)
  }
  const bootstrapKey = env.WHODECIDES_BOOTSTRAP_KEY
  if (bootstrapKey !== undefined && bootstrapKey.length > 0 && bootstrapKey.length < 24) {
    throw new ConfigError('WHODECIDES_BOOTSTRAP_KEY must be at least 24 characters long')
  }
  return {
    host: env.HOST ?? defaultConfig.host,
    port: integer(env, 'PORT', defaultConfig.port, 0, 65535),
    dbPath: env.WHODECIDES_DB ?? defaultConfig.dbPath,
    bootstrapKey: bootstrapKey === '' ? undefined : bootstrapKey,
    logLevel: logLevel as Config['logLevel'],
    prettyLogs: env.WHODECIDES_LOG_PRETTY !== undefined ? env.WHODECIDES_LOG_PRETTY === 'true' : isTerminal,
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
