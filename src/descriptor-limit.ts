// The process's limit on open file descriptors (RLIMIT_NOFILE), which every connection, database file and pipe counts against.
import { readFileSync } from 'node:fs'

/**
 * Descriptors kept for the service's own files beyond its connections: the database, its log and shared memory on two
 * connections (the server's and the checkpoint thread's), SQLite's temporary files, the audit process's channel, the
 * event loops and pipes of Node and its threads — 30 to 40 measured on a running server — with room to spare.
 */
export const OWN_DESCRIPTORS = 64

/** The busiest a process is let to be by default: far more connections than one process on a few cores serves at once. */
export const DEFAULT_MAX_CONNECTIONS = 10_000

/**
 * The soft limit in force, as /proc/self/limits says (Node raises it to the hard limit at start); undefined where the
 * system has no such file (not Linux) or it cannot be read — opening it needs a descriptor too.
 */
export function descriptorLimit (): number | undefined {
  try {
    const line = /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))
    if (line?.[1] === undefined) return undefined
    return line[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(line[1])
  } catch {
    return undefined
  }
}

/**
 * The connections that fit under the limit with OWN_DESCRIPTORS left for the service (half the limit, if it is that
 * low), at most DEFAULT_MAX_CONNECTIONS; DEFAULT_MAX_CONNECTIONS where the limit is unknown.
 */
export function connectionsWithin (limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_MAX_CONNECTIONS
  const own = Math.min(OWN_DESCRIPTORS, Math.floor(limit / 2))
  return Math.max(1, Math.min(DEFAULT_MAX_CONNECTIONS, limit - own))
}
