// The command line: `openapi [file]` prints the generated OpenAPI document, or writes it to the file.
import { writeFileSync } from 'node:fs'
import { generateOpenApi } from './openapi-document.js'

const commands: Record<string, (args: string[]) => Promise<void>> = {
  openapi: async ([file]) => {
    // Generated in full before the file is opened: a failure leaves the committed document as it was.
    const document = await generateOpenApi()
    if (file === undefined) process.stdout.write(document)
    else writeFileSync(file, document)
  }
}

const [command, ...args] = process.argv.slice(2)
const run = command === undefined ? undefined : commands[command]
if (run === undefined) {
  console.error(`usage: whodecides <${Object.keys(commands).join('|')}> [args]\n  openapi [file]  print the OpenAPI document, or write it to file`)
  process.exit(2)
}
await run(args)
