// `whodecides openapi [file]`: the OpenAPI document generated from the routes, printed or written (npm run openapi).
import { writeFileSync } from 'node:fs'
import type { Command } from 'commander'

export function registerOpenapi (program: Command): void {
  program.command('openapi')
    .description('print the OpenAPI document generated from the routes, or write it to FILE')
    .argument('[file]', 'the file to write')
    .action(async (file: string | undefined) => {
      // Loaded only when asked for: other commands must not pay for building the whole app.
      const { generateOpenApi } = await import('../../openapi-document.js')
      // Generated in full before the file is opened: a failure leaves the committed document as it was.
      const document = await generateOpenApi()
      if (file === undefined) process.stdout.write(document)
      else writeFileSync(file, document)
    })
}
