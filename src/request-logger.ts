// Each request's logger, made only when the request writes a log line.
import type { FastifyBaseLogger } from 'fastify'

// pino's types, as Fastify's logger takes them (pino itself is Fastify's dependency, not ours).
type Bindings = Parameters<FastifyBaseLogger['child']>[0]
type ChildLoggerOptions = NonNullable<Parameters<FastifyBaseLogger['child']>[1]>

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'
type Line = [unknown, ...unknown[]]

const RANKS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity }

/**
 * Fastify gives every request a child of the app's logger bound to its request id, and pino builds one (bindings
 * serialized, redaction prepared) in over a microsecond and a kilobyte — on every request, although at the default
 * level only refused and failed requests write a line. This one stands in for it and makes it on the first line at
 * an enabled level: the lines are the child's.
 */
class RequestLogger {
  private made: FastifyBaseLogger | undefined

  constructor (private readonly parent: FastifyBaseLogger, private readonly bindings: Bindings, private readonly options: ChildLoggerOptions) {}

  get level (): string {
    return this.made?.level ?? this.options.level ?? this.parent.level
  }

  set level (level: string) {
    this.child().level = level
  }

  /** The real child logger, made once; given bindings, a child of it. */
  child (bindings?: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    this.made ??= this.parent.child(this.bindings, this.options)
    return bindings === undefined ? this.made : this.made.child(bindings, options)
  }

  private write (level: Level, line: Line): void {
    if (RANKS[level]! < (RANKS[this.level] ?? 0)) return
    const logger = this.child()
    ;(logger[level] as (...line: Line) => void).apply(logger, line)
  }

  fatal (...line: Line): void { this.write('fatal', line) }
  error (...line: Line): void { this.write('error', line) }
  warn (...line: Line): void { this.write('warn', line) }
  info (...line: Line): void { this.write('info', line) }
  debug (...line: Line): void { this.write('debug', line) }
  trace (...line: Line): void { this.write('trace', line) }
  silent (): void {}
}

/** Fastify's childLoggerFactory. */
export const requestLogger = (logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger =>
  new RequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger
