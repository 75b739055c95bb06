// drizzle-kit settings: `npm run db:generate` writes a new migration under db/migrations from db/schema.ts.
import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema.ts',
  out: './db/migrations'
})
