// An HTTP/1.1 load driver on raw keep-alive sockets, for npm run load. Closed loop: each connection sends its next
// request when the answer comes (to find capacity). Open loop: requests leave at a fixed rate whether answers come or
// not, pipelined, and each latency counts from the moment its request was due — so a server that falls behind
// shows it, instead of slowing the driver down with it.
import { connect, type Socket } from 'node:net'

export interface Request { bytes: Buffer, write: boolean }

export interface Tally {
  sent: number
  answered: number
  statuses: Record<number, number>
  /** Milliseconds from due to answered, reads and writes apart. */
  readLatencies: number[]
  writeLatencies: number[]
  /** Every latency, in the order the answers came. */
  latencies: number[]
  /** Errors and closes of a connection, plus the requests they left unanswered. */
  socketErrors: number
  /** Requests sent but not answered when the run ended. */
  unanswered: number
  seconds: number
}

const newTally = (): Tally => ({ sent: 0, answered: 0, statuses: {}, readLatencies: [], writeLatencies: [], latencies: [], socketErrors: 0, unanswered: 0, seconds: 0 })

/** A FIFO that does not copy on every shift: pipelined requests can pile up by the hundred thousand. */
class Queue<T> {
  private items: T[] = []
  private head = 0
  get length (): number { return this.items.length - this.head }
  push (item: T): void { this.items.push(item) }
  shift (): T | undefined {
    if (this.head === this.items.length) return undefined
    const item = this.items[this.head++]
    if (this.head > 4096 && this.head * 2 > this.items.length) { this.items = this.items.slice(this.head); this.head = 0 }
    return item
  }
}

const HEADER_END = Buffer.from('\r\n\r\n')
const CONTENT_LENGTH = /\r\ncontent-length: *(\d+)/i

/** One keep-alive connection: writes requests, reads the answers in order, and tallies them. */
class Connection {
  readonly socket: Socket
  private readonly pending = new Queue<{ due: number, write: boolean }>()
  private rest: Buffer = Buffer.alloc(0)
  closed = false

  constructor (port: number, private readonly tally: Tally, private readonly onAnswer: (connection: Connection) => void) {
    this.socket = connect(port, '127.0.0.1')
    this.socket.setNoDelay(true)
    this.socket.on('data', (chunk: Buffer) => { this.read(chunk) })
    this.socket.on('error', () => { this.tally.socketErrors++ })
    this.socket.on('close', () => {
      if (!this.closed) this.tally.socketErrors += this.pending.length
      this.closed = true
    })
  }

  get waiting (): number { return this.pending.length }

  send (requests: Request[], dues: number[]): void {
    for (let i = 0; i < requests.length; i++) this.pending.push({ due: dues[i]!, write: requests[i]!.write })
    this.tally.sent += requests.length
    this.socket.write(requests.length === 1 ? requests[0]!.bytes : Buffer.concat(requests.map((r) => r.bytes)))
  }

  private read (chunk: Buffer): void {
    const data = this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk])
    let at = 0
    for (;;) {
      const end = data.indexOf(HEADER_END, at)
      if (end === -1) break
      const head = data.toString('latin1', at, end)
      const total = end + 4 + Number(CONTENT_LENGTH.exec(head)?.[1] ?? 0)
      if (data.length < total) break
      at = total
      const request = this.pending.shift()
      const status = Number(head.slice(9, 12))
      this.tally.answered++
      this.tally.statuses[status] = (this.tally.statuses[status] ?? 0) + 1
      if (request !== undefined) {
        const latency = performance.now() - request.due
        ;(request.write ? this.tally.writeLatencies : this.tally.readLatencies).push(latency)
        this.tally.latencies.push(latency)
      }
      this.onAnswer(this)
    }
    this.rest = at === data.length ? Buffer.alloc(0) : data.subarray(at)
  }

  /** Ends the connection; what is still unanswered is counted as such, not as a socket error. */
  close (): number {
    const left = this.pending.length
    this.closed = true
    this.socket.destroy()
    return left
  }
}

async function connected (connections: Connection[]): Promise<void> {
  await Promise.all(connections.map(async (c) => await new Promise<void>((resolve, reject) => {
    c.socket.once('connect', resolve)
    c.socket.once('error', reject)
  })))
}

const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))

/** Waits up to drainMs for the answers still due, then closes every connection. */
async function finish (connections: Connection[], tally: Tally, drainMs: number): Promise<void> {
  const until = performance.now() + drainMs
  while (connections.some((c) => c.waiting > 0 && !c.closed) && performance.now() < until) await sleep(5)
  for (const c of connections) if (!c.closed) tally.unanswered += c.close()
}

/**
 * Each of `connections` sends one request at a time for `seconds`. The throughput is bounded by the round trip as
 * much as by the server (which, answering a write once its group commit is durable, idles between turns): a first
 * estimate of its capacity, which bench/load.ts refines in an open loop.
 */
export async function closedLoop (port: number, connections: number, seconds: number, next: () => Request): Promise<Tally> {
  const tally = newTally()
  let running = true
  const send = (c: Connection): void => { if (running && !c.closed) c.send([next()], [performance.now()]) }
  const pool = Array.from({ length: connections }, () => new Connection(port, tally, send))
  await connected(pool)
  const started = performance.now()
  for (const c of pool) send(c)
  await sleep(seconds * 1000)
  running = false
  tally.seconds = (performance.now() - started) / 1000
  await finish(pool, tally, 5000)
  return tally
}

/**
 * Sends `rate` requests a second for `seconds`, spread over the connections and due at exact intervals, whatever the
 * answers do; then waits up to drainMs for the answers still due.
 */
export async function openLoop (port: number, connections: number, rate: number, seconds: number, next: () => Request, drainMs: number): Promise<Tally> {
  const tally = newTally()
  const pool = Array.from({ length: connections }, () => new Connection(port, tally, () => {}))
  await connected(pool)
  const started = performance.now()
  const total = Math.floor(rate * seconds)
  let due = 0
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = Math.min(seconds * 1000, performance.now() - started)
      const upTo = Math.min(total, Math.floor(now * rate / 1000))
      const batches = pool.map(() => ({ requests: [] as Request[], dues: [] as number[] }))
      for (; due < upTo; due++) {
        const batch = batches[due % pool.length]!
        batch.requests.push(next())
        batch.dues.push(started + due * 1000 / rate)
      }
      batches.forEach((batch, i) => {
        if (batch.requests.length === 0) return
        // A connection the server closed takes nothing more: its share counts as failed.
        if (pool[i]!.closed) tally.socketErrors += batch.requests.length
        else pool[i]!.send(batch.requests, batch.dues)
      })
      if (due >= total) { clearInterval(timer); resolve() }
    }, 1)
  })
  tally.seconds = (performance.now() - started) / 1000
  await finish(pool, tally, drainMs)
  return tally
}

/** The value below which the given fraction of the sorted numbers lie. */
export function percentile (values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = Float64Array.from(values).sort()
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!
}
