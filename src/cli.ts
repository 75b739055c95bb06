// The command line: `openapi` prints the generated OpenAPI document (npm run openapi writes it to openapi/).
import { generateOpenApi } from './openapi-document.js'

const commands: Record<string, () => Promise<void>> = {
  openapi: async () => { process.stdout.write(await generateOpenApi()) }
}

const [command] = process.argv.slice(2)
const run = command === undefined ? undefined : commands[command]
if (run === undefined) {
  console.error(`usage: whodecides <${Object.keys(commands).join('|')}>`)
  process.exit(2)
}
await run()
