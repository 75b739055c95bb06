// buildApp(config): the whole service as a Fastify instance — plugins first, then routes. It never listens.
import { randomUUID } from 'node:crypto'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'
import { serializeRequest } from './log-redaction.js'
import auth from './plugins/auth.js'
import connectionLimit from './plugins/connection-limit.js'
import db from './plugins/db.js'
import idempotency from './plugins/idempotency.js'
import loadShedding from './plugins/load-shedding.js'
import openapi from './plugins/openapi.js'
import problemDetails, { clientErrorHandler, handleError } from './plugins/problem-details.js'
import rateLimits from './plugins/rate-limits.js'
import securityHeaders, { apiSecurityHeaders, stampAnswer } from './plugins/security-headers.js'
import { requestLogger } from './request-logger.js'
import routes from './routes/index.js'
import { registerFormats } from './schemas/formats.js'
import { validatorCompiler } from './schemas/validator.js'
import type { RuntimeOptions } from './runtime.js'
import { ensureAdminKey } from './services/keys.js'

registerFormats()

export interface BuildOptions {
  /** Where log lines go instead of stdout: tests capture them here. */
  logStream?: { write: (line: string) => void }
  /** How the runtime is made (src/runtime.ts): tests slow the audit store down. */
  runtime?: RuntimeOptions
}

function loggerOptions (config: Config, logStream: BuildOptions['logStream']): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    // Keys must never reach a log line, whatever a later change logs.
    redact: { paths: ['req.headers.authorization', 'token', '*.token', 'bootstrapKey'], censor: '[redacted]' },
    serializers: { req: serializeRequest },
    ...(logStream !== undefined
      ? { stream: logStream }
      : config.prettyLogs ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {})
  }
}

export async function buildApp (config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  // Every answer carries them, also those that come before any hook (the router's and Node's own refusals below).
  const headers = await apiSecurityHeaders()
  const stamp = stampAnswer(headers)
  const app = Fastify({
    logger: loggerOptions(config, options.logStream),
    bodyLimit: config.bodyLimit,
    genReqId: () => randomUUID(),
    childLoggerFactory: requestLogger,
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Start-up loads the whole decider index and starts the checkpointer thread: its time grows with the registry and
    // with the host's load, so no fixed limit (fastify's 10 s default) may stop a server that is merely slow to start.
    pluginTimeout: 0,
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: {
      // A connection that has not sent its headers after headersTimeoutMs is closed (with a 408), one that sends nothing
      // included; Node looks for them every connectionsCheckingInterval (its default, 30 s, would let them stay that much
      // longer). A missing Host is refused by the security-headers plugin, so that its answer carries the headers too.
      headersTimeout: config.requestTimeoutMs > 0 ? Math.min(config.headersTimeoutMs, config.requestTimeoutMs) : config.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs),
      requireHostHeader: false
    },
    // On close, idle keep-alive connections are dropped at once (Fastify 5's default on Node 20, said here on purpose);
    // a request still arriving on a busy one gets the load-shedding plugin's 503 problem instead of Fastify's plain one.
    forceCloseConnections: 'idle',
    return503OnClosing: false,
    // The router's own refusals (a URL that is not valid percent-encoding, a parameter over maxParamLength) come
    // before any hook: without this they are Fastify's plain JSON instead of problem details, without the headers.
    frameworkErrors: (error, request, reply) => {
      stamp(request, reply)
      handleError(error, request, reply)
    },
    // Node's own refusals of a malformed request (400, 431) and of one not received in time (408).
    clientErrorHandler: clientErrorHandler(headers)
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  // Every body is JSON: a text/plain body is an unsupported media type, not a string that fails validation.
  app.removeContentTypeParser('text/plain')

  // Node answers an Expect other than 100-continue with a bare 417 of its own; the API has no use for one: served as usual.
  app.server.on('checkExpectation', app.routing)

  // Refusals come first, so they cost as little as possible: connections past the cap, headers, overload and shutdown,
  // then auth, then the rate limit.
  await app.register(connectionLimit, { config, headers })
  await app.register(securityHeaders, { headers })
  await app.register(loadShedding, { config })
  await app.register(problemDetails)
  await app.register(db, { dbPath: config.dbPath, writeEffects: config.writeEffects, caveatsWarm: config.caveatsWarm, ...options.runtime })
  await app.register(auth, { failureLimit: config.authFailureLimit, failureWindowMs: config.authFailureWindowMs })
  await app.register(rateLimits, { config })
  await app.register(idempotency)
  await app.register(openapi)
  await app.register(routes, { config })

  let keyFile: string | undefined
  try {
    keyFile = ensureAdminKey(app.runtime.db, config.dbPath, config.bootstrapKey)
  } catch (err) {
    // A start refused (an admin.key that is not the service's own) leaves no database or thread open behind it.
    await app.close()
    throw err
  }
  if (keyFile !== undefined) app.log.warn({ keyFile }, 'created the first admin key; read it from this file, then keep it safe')
  return app
}
