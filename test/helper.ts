// Builds a fresh app on an in-memory database for each test, with a key of every role.
import type { Test } from 'tap'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp, type BuildOptions } from '../src/app.js'
import { defaultConfig, type Config } from '../src/config.js'
import type { Role } from '../src/schemas/common.js'
import { createKey, SYSTEM_ACTOR } from '../src/services/keys.js'

export const ADMIN_TOKEN = 'wd_test-admin-token-0123456789abcdef'

export interface TestApp {
  app: FastifyInstance
  tokens: Record<Role, string>
  /** app.inject with the given role's key (admin by default), JSON body and parsed JSON answer. */
  call: (opts: InjectOptions & { as?: Role | null }) => Promise<LightMyRequestResponse & { body: string, json: <T = any>() => T }>
}

/**
 * Limits a test app starts with, unless the test overrides them: every inject comes from one address, so the refused
 * keys of many tests would add up there; and a test process starved of CPU on a busy machine is not overloaded.
 */
// Caveats are judged on lookup only (the warmer has its own test): a test's registry stays as its writes left it.
const TEST_LIMITS: Partial<Config> = { authFailureLimit: 1_000_000, maxEventLoopDelayMs: 0, caveatsWarm: false }

export async function buildTestApp (t: Test, overrides: Partial<Config> = {}, options: BuildOptions = {}): Promise<TestApp> {
  const app = await buildApp({ ...defaultConfig, dbPath: ':memory:', bootstrapKey: ADMIN_TOKEN, logLevel: 'silent', prettyLogs: false, ...TEST_LIMITS, ...overrides }, options)
  t.teardown(() => app.close())
  const tokens = { admin: ADMIN_TOKEN } as Record<Role, string>
  for (const role of ['reader', 'editor', 'auditor'] as const) {
    tokens[role] = createKey(app.runtime.db, SYSTEM_ACTOR, { label: `test ${role}`, role }).key.token
  }
  const call: TestApp['call'] = async ({ as = 'admin', headers = {}, ...opts }) => {
    const auth = as === null ? {} : { authorization: `Bearer ${tokens[as]}` }
    return await app.inject({ ...opts, headers: { ...auth, ...headers } })
  }
  return { app, tokens, call }
}

/** Asserts an RFC 9457 problem document with the given status and code; returns it. */
export function assertProblem (t: Test, res: LightMyRequestResponse, status: number, code: string): any {
  t.equal(res.statusCode, status, `status ${status} (${res.body.slice(0, 300)})`)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  const body = res.json()
  t.equal(body.status, status, 'problem status matches HTTP status')
  t.equal(body.code, code)
  t.type(body.type, 'string')
  t.type(body.title, 'string')
  t.type(body.detail, 'string')
  return body
}

/** A write's answer as the record it wrote: its JSON without `effects` (what the write did to boundaries; test/write-effects.test.ts). */
export function recordOf (res: LightMyRequestResponse): any {
  const { effects: _effects, ...record } = res.json()
  return record
}
