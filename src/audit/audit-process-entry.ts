// The audit process's entry (forked by audit-process.ts). Invariant: every thread of the process is at the lowest
// priority — V8's helper threads too, which run the audit's garbage collections — before the audit code
// (audit-process-main.ts) loads, so lookups come first while an audit starts and runs. Why: docs/audit-process.md.
import { niceEveryThread } from '../lowest-priority.js'

niceEveryThread()
await import('./audit-process-main.js')
