// The service's sources compiled once for the crash test, file by file with TypeScript (what tsx does, and like
// `npm run build` less the type check), into a folder inside the package so that packages and db/migrations resolve
// as from dist/. Each of the test's twenty-odd server processes then loads plain JavaScript, without tsx's loader
// hooks, in about half the time.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import ts from 'typescript'

const OPTIONS: ts.CompilerOptions = { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true }

function sources (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

/** Compiles src/ and db/schema.ts under root into a new folder of node_modules/.cache; returns that folder. */
export function compileService (root: string): string {
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true })
  const out = mkdtempSync(join(root, 'node_modules/.cache/whodecides-crash-'))
  try {
    for (const file of [...sources(join(root, 'src')), join(root, 'db/schema.ts')]) {
      const { outputText, diagnostics } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: OPTIONS, fileName: file, reportDiagnostics: true })
      if (diagnostics !== undefined && diagnostics.length > 0) throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(diagnostics[0]!.messageText, '\n')}`)
      const target = join(out, relative(root, file)).replace(/\.ts$/, '.js')
      mkdirSync(dirname(target), { recursive: true })
      writeFileSync(target, outputText)
    }
  } catch (err) {
    rmSync(out, { recursive: true, force: true })
    throw err
  }
  return out
}
