// The OpenAPI document as committed in openapi/openapi.json: generated from a throw-away app's routes.
import { buildApp } from './app.js'
import { defaultConfig } from './config.js'

export async function generateOpenApi (): Promise<string> {
  const app = await buildApp({ ...defaultConfig, dbPath: ':memory:', logLevel: 'silent', prettyLogs: false })
  await app.ready()
  const document = JSON.stringify(app.swagger(), null, 2) + '\n'
  await app.close()
  return document
}
