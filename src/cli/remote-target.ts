// The remote target: a running service through its public API (/v1), with a bearer key. A refused key, an
// unreachable address and a problem+json answer each become one sentence.
import type { AuditCreate, AuditRun, Finding, FindingGroups } from '../schemas/audits.js'
import type { PersonStatus } from '../../db/schema.js'
import type { InitiativeDecider } from '../schemas/deciders.js'
import type { ImportReport } from '../services/import.js'
import type { SpreadsheetImportReport } from '../services/spreadsheets/spreadsheet-import.js'
import { CliError, UsageError } from './errors.js'
import { allPages, FINDINGS_PAGE, GROUP_MEMBERS, type FindingGroup, type GroupBy, type ImportRequest, type RaciRequest, type SheetRequest, type Target } from './target.js'

/** The media type of each form a file travels in. */
const MEDIA_TYPES = { json: 'application/json', csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', html: 'text/html' } as const

/** An answer of the service that is not a success: its problem document's detail, and the document itself. */
export class ProblemAnswer extends CliError {
  constructor (readonly status: number, readonly problem: Record<string, unknown> | undefined, fallback: string) {
    super(typeof problem?.detail === 'string' ? problem.detail : fallback)
  }
}

/** The service's base address: http or https, without a trailing slash or /v1. */
function baseOf (url: string): URL {
  let base: URL
  try {
    base = new URL(url)
  } catch {
    throw new UsageError(`--url: not a URL: "${url}" (e.g. http://127.0.0.1:3000)`)
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new UsageError(`--url: must be http or https, got "${base.protocol}"`)
  base.pathname = base.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')
  base.search = ''
  base.hash = ''
  return base
}

interface Call {
  method?: 'GET' | 'POST'
  query?: Record<string, string | undefined>
  json?: unknown
  body?: Buffer
  /** The body's media type (default JSON). */
  type?: keyof typeof MEDIA_TYPES
  /** The answer's media type asked for (default JSON). */
  accept?: keyof typeof MEDIA_TYPES
}

export class RemoteTarget implements Target {
  readonly where: string
  readonly #base: URL
  readonly #key: string

  constructor (url: string, key: string) {
    this.#base = baseOf(url)
    this.#key = key
    this.where = this.#base.origin + this.#base.pathname.replace(/\/$/, '')
  }

  /** The answer, once it is a success; a failure as one sentence. */
  private async answer (path: string, { method = 'GET', query = {}, json, body, type = 'json', accept = 'json' }: Call): Promise<Response> {
    const url = new URL(`${this.#base.pathname.replace(/\/$/, '')}/v1${path}`, this.#base)
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, value)
    const headers: Record<string, string> = { authorization: `Bearer ${this.#key}`, accept: MEDIA_TYPES[accept] }
    if (json !== undefined || body !== undefined) headers['content-type'] = MEDIA_TYPES[type]
    let response: Response
    try {
      // A copy of the bytes as a plain Uint8Array: what every typing of fetch's body takes.
      response = await fetch(url, { method, headers, body: body === undefined ? (json === undefined ? undefined : JSON.stringify(json)) : Uint8Array.from(body) })
    } catch (err) {
      const cause = (err as { cause?: { code?: string, message?: string } }).cause
      throw new CliError(`cannot reach ${this.where}: ${cause?.code ?? cause?.message ?? (err as Error).message}`)
    }
    if (response.status === 401) {
      await response.body?.cancel()
      throw new CliError(`the key was refused by ${this.where}: give a live API key with --key or WHODECIDES_KEY`)
    }
    if (response.ok) return response
    const text = await response.text()
    let problem: Record<string, unknown> | undefined
    try {
      const parsed: unknown = JSON.parse(text)
      if (typeof parsed === 'object' && parsed !== null) problem = parsed as Record<string, unknown>
    } catch {
      problem = undefined
    }
    throw new ProblemAnswer(response.status, problem, `${this.where} answered ${response.status} ${response.statusText}`)
  }

  /** The answer's JSON; a failure as one sentence. */
  private async call<T> (path: string, call: Call = {}): Promise<T> {
    const response = await this.answer(path, call)
    const text = await response.text()
    try {
      return (text === '' ? undefined : JSON.parse(text)) as T
    } catch {
      throw new CliError(`${this.where} answered ${response.status} with a body that is not JSON: is it a whodecides service?`)
    }
  }

  /** The answer's bytes (a file). */
  private async bytes (path: string, call: Call): Promise<Buffer> {
    return Buffer.from(await (await this.answer(path, call)).arrayBuffer())
  }

  /** The record, or undefined where the service answers 404. */
  private async unlessMissing<T> (path: string, at: string | undefined): Promise<T | undefined> {
    try {
      return await this.call<T>(path, { query: { at } })
    } catch (err) {
      if (err instanceof ProblemAnswer && err.status === 404) return undefined
      throw err
    }
  }

  async decider (initiativeId: string, at: string | undefined): Promise<InitiativeDecider> {
    return await this.call(`/initiatives/${encodeURIComponent(initiativeId)}/decider`, { query: { at } })
  }

  async initiative (id: string, at: string | undefined): Promise<{ title: string, domainId: string | null } | undefined> {
    return await this.unlessMissing(`/initiatives/${encodeURIComponent(id)}`, at)
  }

  async domain (id: string, at: string | undefined): Promise<{ name: string } | undefined> {
    return await this.unlessMissing(`/domains/${encodeURIComponent(id)}`, at)
  }

  async person (id: string, at: string | undefined): Promise<{ name: string, status: PersonStatus } | undefined> {
    return await this.unlessMissing(`/people/${encodeURIComponent(id)}`, at)
  }

  async runAudit (input: AuditCreate): Promise<AuditRun> {
    return await this.call('/audits', { method: 'POST', json: input })
  }

  async findings (runId: string, read: (count: number) => void): Promise<Finding[]> {
    return await allPages(async (cursor) => await this.call<{ items: Finding[], nextCursor: string | null }>(`/audits/${encodeURIComponent(runId)}/findings`,
      { query: { limit: String(FINDINGS_PAGE), cursor } }), read)
  }

  async findingGroups (runId: string, by: GroupBy): Promise<FindingGroup[]> {
    return await allPages(async (cursor) => {
      const page = await this.call<FindingGroups>(`/audits/${encodeURIComponent(runId)}/findings`,
        { query: { groupBy: by, holds: 'true', waived: 'false', limit: String(FINDINGS_PAGE), perGroup: String(GROUP_MEMBERS), cursor } })
      return { items: page.groups, nextCursor: page.nextCursor }
    }, () => {})
  }

  async exportBundle (): Promise<unknown> {
    return await this.call('/export')
  }

  async importBundle (json: Buffer, request: ImportRequest): Promise<ImportReport> {
    return await this.call('/import', { method: 'POST', body: json, query: { mode: request.mode, dryRun: request.dryRun ? 'true' : undefined } })
  }

  async importSheet (bytes: Buffer, request: SheetRequest): Promise<SpreadsheetImportReport> {
    if (request.map !== undefined) throw new UsageError('--map works on the local database only: rename the columns in the file, or import it with --db')
    return await this.call('/import', {
      method: 'POST', body: bytes, type: request.format, query: { kind: request.kind, dryRun: request.dryRun ? 'true' : undefined }
    })
  }

  async raciFile (request: RaciRequest): Promise<Buffer> {
    return await this.bytes('/raci', { accept: request.format, query: { format: request.format, at: request.at, domainId: request.domainId } })
  }

  async auditHtml (runId: string): Promise<string> {
    return (await this.bytes(`/audits/${encodeURIComponent(runId)}/report`, { accept: 'html' })).toString('utf8')
  }

  async close (): Promise<void> {}
}
