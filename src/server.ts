// Process entry: load the config, build the app, listen, and close gracefully on SIGTERM or SIGINT.
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'

async function main (): Promise<void> {
  const config = loadConfig()
  const app = await buildApp(config)
  let closing = false
  const close = (signal: string): void => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'closing')
    const forced = setTimeout(() => { app.log.error('close timed out; exiting'); process.exit(1) }, 10_000)
    forced.unref()
    app.close().then(() => process.exit(0), (err: unknown) => { app.log.error({ err }, 'close failed'); process.exit(1) })
  }
  process.on('SIGTERM', close)
  process.on('SIGINT', close)
  try {
    await app.listen({ host: config.host, port: config.port })
  } catch (err) {
    // Most often the port is taken: say which one, and how to choose another.
    app.log.fatal({ err }, `cannot listen on ${config.host}:${config.port} (set HOST and PORT to choose another address)`)
    await app.close()
    process.exit(1)
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `whodecides: ${err.message}` : err)
  process.exit(1)
})
