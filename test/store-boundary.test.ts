// The data-access layer is the only code that writes SQL: nothing outside src/store/ builds a query, prepares a
// statement or sets a pragma (docs/architecture.md, "The store's rule").
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import t from 'tap'

const root = join(import.meta.dirname, '..')

function sourcesOutsideStore (dir: string): string[] {
  const files: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (path !== join(root, 'src', 'store')) files.push(...sourcesOutsideStore(path))
    } else if (entry.name.endsWith('.ts')) files.push(path)
  }
  return files
}

const SQL_WRITERS: Array<[string, RegExp]> = [
  ['a Drizzle query builder', /from 'drizzle-orm(\/[^']*)?'/],
  ['a prepared statement', /\bstatement\(|\.prepare\(/],
  ['a pragma or a raw exec', /\.pragma\(|\$client\.exec\(/],
  ['SQL text', /['"`]\s*(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|BEGIN|COMMIT|SAVEPOINT|PRAGMA)\b/]
]

t.test('no SQL outside src/store/', async (t) => {
  const files = sourcesOutsideStore(join(root, 'src'))
  t.ok(files.length > 50, 'the scan sees the sources')
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    for (const [what, pattern] of SQL_WRITERS) t.notMatch(text, pattern, `${relative(root, file)}: ${what}`)
  }
})

t.test('the scan does see SQL where it is', async (t) => {
  const connection = readFileSync(join(root, 'src', 'store', 'connection.ts'), 'utf8')
  t.match(connection, SQL_WRITERS[0]![1])
  t.match(connection, SQL_WRITERS[1]![1])
  t.match(connection, SQL_WRITERS[3]![1])
})
