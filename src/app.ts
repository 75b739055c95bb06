// buildApp(config): the whole service as a Fastify instance — plugins first, then routes. It never listens.
import { randomUUID } from 'node:crypto'
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'
import auth from './plugins/auth.js'
import db from './plugins/db.js'
import openapi from './plugins/openapi.js'
import problemDetails from './plugins/problem-details.js'
import routes from './routes/index.js'
import { registerFormats } from './schemas/formats.js'
import { ensureAdminKey } from './services/keys.js'

registerFormats()

/** Where log lines go instead of stdout: tests capture them here. */
export interface BuildOptions {
  logStream?: { write: (line: string) => void }
}

function loggerOptions (config: Config, logStream: BuildOptions['logStream']): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    // Keys must never reach a log line, whatever a later change logs.
    redact: { paths: ['req.headers.authorization', 'token', '*.token', 'bootstrapKey'], censor: '[redacted]' },
    ...(logStream !== undefined
      ? { stream: logStream }
      : config.prettyLogs ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {})
  }
}

export async function buildApp (config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config, options.logStream),
    bodyLimit: config.bodyLimit,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 }
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.setValidatorCompiler(TypeBoxValidatorCompiler)
  // Every body is JSON: a text/plain body is an unsupported media type, not a string that fails validation.
  app.removeContentTypeParser('text/plain')

  // Set before anything can fail, so problem answers carry it too; a sync hook costs no extra tick per request.
  app.addHook('onRequest', (request, reply, done) => { reply.header('x-request-id', request.id); done() })

  await app.register(problemDetails)
  await app.register(db, { dbPath: config.dbPath })
  await app.register(auth)
  await app.register(openapi)
  await app.register(routes, { config })

  const keyFile = ensureAdminKey(app.db, config.dbPath, config.bootstrapKey)
  if (keyFile !== undefined) app.log.warn({ keyFile }, 'created the first admin key; read it from this file, then keep it safe')
  return app
}
