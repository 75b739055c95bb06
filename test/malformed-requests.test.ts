// Malformed requests over a raw connection: refused by Node's parser, its timers or the router before any hook runs,
// each is answered as problem details with the security headers that every answer carries.
import { connect } from 'node:net'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { defaultConfig, type Config } from '../src/config.js'
import { API_HELMET_OPTIONS, helmetHeaders } from '../src/plugins/security-headers.js'

interface RawAnswer { status: number, headers: Record<string, string>, body: string }

/** Writes the bytes on a fresh connection and reads the first answer, whether the server then closes or keeps it. */
async function exchange (port: number, bytes: string): Promise<RawAnswer | undefined> {
  const text = await new Promise<string>((resolve, reject) => {
    let received = ''
    const socket = connect(port, '127.0.0.1', () => { if (bytes !== '') socket.write(bytes) })
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no whole answer to ${JSON.stringify(bytes.slice(0, 60))}: ${received}`)) }, 10_000)
    const done = (): void => { clearTimeout(timer); socket.destroy(); resolve(received) }
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      received += chunk
      const end = received.indexOf('\r\n\r\n')
      const length = /\r\ncontent-length: (\d+)/i.exec(received)
      if (end >= 0 && length?.[1] !== undefined && received.length >= end + 4 + Number(length[1])) done()
    })
    socket.on('end', done).on('error', done)
  })
  if (text === '') return undefined
  const end = text.indexOf('\r\n\r\n')
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4) }
}

async function listen (t: Test, overrides: Partial<Config> = {}): Promise<number> {
  const app = await buildApp({ ...defaultConfig, dbPath: ':memory:', logLevel: 'silent', prettyLogs: false, maxEventLoopDelayMs: 0, ...overrides })
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  return (app.server.address() as { port: number }).port
}

const get = (target: string, headers = 'Host: x\r\n'): string => `GET ${target} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`

/** What, the bytes sent, and the status and problem code of the answer. */
const MALFORMED: Array<[string, string, number, string]> = [
  ['a path that is not valid percent-encoding', get('/v1/people/%zz'), 400, 'WHODECIDES_ERR_VALIDATION'],
  ['a path of no route, not valid percent-encoding either', get('/v2/%E0%A4%A'), 400, 'WHODECIDES_ERR_VALIDATION'],
  ['a path parameter longer than the router takes', get(`/v1/people/${'a'.repeat(300)}`), 400, 'WHODECIDES_ERR_VALIDATION'],
  ['headers larger than Node reads', get('/health', `Host: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n`), 431, 'WHODECIDES_ERR_HEADERS_TOO_LARGE'],
  ['a request line that is not HTTP', 'GARBAGE\r\n\r\n', 400, 'WHODECIDES_ERR_VALIDATION'],
  ['an unknown HTTP version', 'GET /health HTTP/9.9\r\nHost: x\r\n\r\n', 400, 'WHODECIDES_ERR_VALIDATION'],
  ['a space in a header name', get('/health', 'Host: x\r\nBad Header: 1\r\n'), 400, 'WHODECIDES_ERR_VALIDATION'],
  ['a control character in a header value', get('/health', 'Host: x\r\nX-A: a\u0001b\r\n'), 400, 'WHODECIDES_ERR_VALIDATION'],
  ['both Content-Length and Transfer-Encoding (a smuggling attempt)',
    'POST /v1/people HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400, 'WHODECIDES_ERR_VALIDATION'],
  ['an HTTP/1.1 request without Host', 'GET /health HTTP/1.1\r\nConnection: close\r\n\r\n', 400, 'WHODECIDES_ERR_VALIDATION'],
  ['an unknown route', get('/nothing'), 404, 'WHODECIDES_ERR_NOT_FOUND']
]

t.test('every malformed request gets problem details with the security headers', async (t) => {
  const port = await listen(t)
  const expected = await helmetHeaders(API_HELMET_OPTIONS)
  t.ok(Object.keys(expected).length >= 6, `${Object.keys(expected).join(', ')}`)
  for (const [what, bytes, status, code] of MALFORMED) {
    t.test(what, async (t) => {
      const answer = await exchange(port, bytes)
      if (answer === undefined) return t.fail('no answer at all')
      t.equal(answer.status, status, answer.body.slice(0, 200))
      for (const [name, value] of Object.entries(expected)) t.equal(answer.headers[name], value, name)
      t.match(answer.headers['content-type'], /^application\/problem\+json/)
      const problem = JSON.parse(answer.body) as Record<string, unknown>
      t.match(problem, { status, code, type: String, title: String, detail: String })
      t.equal(answer.headers['x-request-id'], problem.requestId, 'the header and the body name the same request')
      t.ok(answer.body.length < 1000, 'the detail does not echo what was sent')
    })
  }
})

t.test('the refusals name the part of the request at fault', async (t) => {
  const port = await listen(t)
  const noHost = JSON.parse((await exchange(port, 'GET /health HTTP/1.1\r\n\r\n'))!.body) as { errors: unknown }
  t.same(noHost.errors, [{ in: 'headers', path: '/host', message: 'is required' }])
  const tooLong = JSON.parse((await exchange(port, get(`/v1/people/${'a'.repeat(300)}`)))!.body) as { errors: unknown }
  t.same(tooLong.errors, [{ in: 'params', path: '', message: 'is too long' }])
  const http10 = await exchange(port, 'GET /health HTTP/1.0\r\n\r\n')
  t.equal(http10?.status, 200, 'HTTP/1.0 needs no Host')
})

t.test('a connection that sends nothing is answered 408 with the headers once headersTimeoutMs has passed', async (t) => {
  const port = await listen(t, { headersTimeoutMs: 300 })
  const expected = await helmetHeaders(API_HELMET_OPTIONS)
  const started = Date.now()
  const silent = await exchange(port, '')
  const partial = await exchange(port, 'GET /health HTTP/1.1\r\nHost: x\r\n')
  for (const answer of [silent, partial]) {
    if (answer === undefined) return t.fail('no answer at all')
    t.equal(answer.status, 408)
    t.match(JSON.parse(answer.body), { status: 408, code: 'WHODECIDES_ERR_REQUEST_TIMEOUT' })
    for (const [name, value] of Object.entries(expected)) t.equal(answer.headers[name], value, name)
  }
  t.ok(Date.now() - started < 5000, `both closed within seconds (${Date.now() - started} ms)`)
})

t.test('an expectation other than 100-continue is not refused by Node: the request is served, with the headers', async (t) => {
  const port = await listen(t)
  const answer = await exchange(port, get('/health', 'Host: x\r\nExpect: something-else\r\n'))
  t.equal(answer?.status, 200)
  t.equal(answer?.headers['x-content-type-options'], 'nosniff')
})
