// The seed's story, lived through the API as its users would: a CEO hands the trade show over to her VP while she is
// at her desk, then reverses what he decided; a deferral that leaves a call open; a retired founder who still steers
// the new CEO, shown on her own answers. Real HTTP on a real database (test/helper.ts); the command line's `who` on it.
import t from 'tap'
import { runWhodecides } from '../src/cli/program.js'
import { buildTestApp, type TestApp } from './helper.js'

const HANDED_OVER = '2026-02-01T00:00:00.000Z'
// Open for years, so that the answer for now falls inside the transfer.
const HANDED_BACK = '2030-01-01T00:00:00.000Z'

/** Karl founded the company and retired; Mara is the new CEO, Lee her VP, Sam does the work. */
async function organization (call: TestApp['call']): Promise<void> {
  const writes: [string, object, 'editor' | 'auditor'][] = [
    ['/v1/people', { id: 'karl', name: 'Karl Berger', email: 'karl@example.com', title: 'Founder', status: 'retired', statusSince: '2025-06-01T00:00:00Z', tags: ['founder'] }, 'editor'],
    ['/v1/people', { id: 'mara', name: 'Mara Quist', email: 'mara@example.com', title: 'CEO', tags: ['executive'] }, 'editor'],
    ['/v1/people', { id: 'lee', name: 'Lee Park', email: 'lee@example.com', title: 'VP Marketing', managerId: 'mara', tags: ['executive'] }, 'editor'],
    ['/v1/people', { id: 'sam', name: 'Sam Ito', email: 'sam@example.com', managerId: 'lee' }, 'editor'],
    ['/v1/initiatives', { id: 'trade-show', title: 'The trade show', status: 'active' }, 'editor'],
    ['/v1/initiatives', { id: 'strategy', title: 'Strategy 2030', status: 'active' }, 'editor'],
    ['/v1/initiatives', { id: 'offsite', title: 'The offsite', status: 'active' }, 'editor'],
    ...['trade-show', 'strategy', 'offsite'].flatMap((id): [string, object, 'editor'][] => [
      ['/v1/assignments', { id: `a-${id}`, personId: 'mara', role: 'A', initiativeId: id, validFrom: '2026-01-01T00:00:00Z' }, 'editor'],
      ['/v1/assignments', { id: `r-${id}`, personId: 'sam', role: 'R', initiativeId: id, validFrom: '2026-01-01T00:00:00Z' }, 'editor']
    ]),
    // "Lee decides the trade show": handed over while Mara is at her desk.
    ['/v1/delegations', { id: 'show-to-lee', fromPersonId: 'mara', toPersonId: 'lee', initiativeId: 'trade-show', kind: 'transfer', validFrom: HANDED_OVER, validTo: HANDED_BACK, reason: 'Lee runs marketing' }, 'editor'],
    ['/v1/influences', { id: 'karl-steers-mara', personId: 'karl', overPersonId: 'mara', strength: 'high', observedAt: '2026-01-15T00:00:00Z', note: 'calls her before every board meeting' }, 'auditor']
  ]
  for (const [url, payload, as] of writes) {
    const res = await call({ method: 'POST', url, payload, as })
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.body}`)
  }
}

/** What `whodecides who ARGS` prints, run in this process against the service at `url`. */
async function who (url: string, key: string, ...args: string[]): Promise<{ code: number, stdout: string }> {
  let stdout = ''
  const write = process.stdout.write
  process.stdout.write = ((chunk: string | Uint8Array) => { stdout += String(chunk); return true }) as typeof process.stdout.write
  try {
    const code = await runWhodecides(['who', ...args, '--url', url, '--key', key])
    return { code, stdout }
  } finally {
    process.stdout.write = write
  }
}

t.test('a CEO hands a decision over, her VP decides, she reverses it: what each user sees', async (t) => {
  const { app, call, tokens } = await buildTestApp(t)
  await organization(call)
  const decider = async (id: string, at?: string) => {
    const res = await call({ method: 'GET', url: `/v1/initiatives/${id}/decider${at === undefined ? '' : `?at=${at}`}`, as: 'reader' })
    t.equal(res.statusCode, 200, res.body)
    return res.json()
  }

  // Who decides the trade show now: Lee, by the transfer, though Mara is active.
  const now = await decider('trade-show')
  t.match(now, { resolution: 'clear', deciders: [{ personId: 'lee', name: 'Lee Park' }] })
  t.strictSame(now.deciders[0].via.map((s: any) => [s.kind, s.id, s.delegationKind]), [['assignment', 'a-trade-show', undefined], ['delegation', 'show-to-lee', 'transfer']])
  t.match(now.summary, /^Lee Park decides 'The trade show' for Mara Quist, who has handed it over, until 1 January 2030[;.]/, 'the summary says it was handed over, and until when')

  // Before the transfer: Mara.
  const before = await decider('trade-show', '2026-01-20T00:00:00Z')
  t.match(before, { resolution: 'clear', deciders: [{ personId: 'mara', via: [{ kind: 'assignment', id: 'a-trade-show' }] }] })
  t.match(before.summary, /^Mara Quist decided 'The trade show' on 20 January 2026, as its Accountable[;.]/)

  // The command line says the same, and what the transfer means.
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
  const printed = await who(url, tokens.reader, 'trade-show')
  t.equal(printed.code, 0)
  t.equal(printed.stdout.split('\n')[0], now.summary, 'who prints the answer\'s summary first')
  t.match(printed.stdout, /\npath\n {2}Lee Park \(lee\)\n {4}assignment a-trade-show: Accountable for the initiative itself\n {4}transfer show-to-lee: Mara Quist has handed the decision over to Lee Park, until 1 January 2030\n$/,
    'and the path says the transfer in the same words')
  const earlier = await who(url, tokens.reader, 'trade-show', '--at', '2026-01-20')
  t.match(earlier.stdout, /\npath\n {2}Mara Quist \(mara\)\n {4}assignment a-trade-show: Accountable for the initiative itself\n$/, '--at before the transfer: Mara, no delegation')

  // The retired founder who steers the new CEO: a caveat on her clear answer, counted in its summary.
  const strategy = await decider('strategy')
  t.match(strategy, { resolution: 'clear', deciders: [{ personId: 'mara' }] })
  t.match(strategy.caveats, [{ ruleId: 'retired-influence', severity: 'warning', subject: { kind: 'person', id: 'karl' }, waived: null }])
  t.equal(strategy.caveats.length, 1)
  t.match(strategy.caveats[0].summary, /^Karl Berger \(retired\) still steers Mara Quist, who decides /)
  t.match(strategy.caveats[0].remediation, /Karl Berger and Mara Quist/)
  t.equal(strategy.summary, `Mara Quist decides 'Strategy 2030', as its Accountable; 1 caveat: ${strategy.caveats[0].summary as string}.`)

  // A deferral hands the call on and leaves the initiative open; a decision closes it.
  const deferral = await call({
    method: 'POST', url: '/v1/initiatives/offsite/decisions', as: 'editor',
    payload: { id: 'offsite-wait', decidedBy: 'mara', decidedAt: '2026-03-01T00:00:00Z', kind: 'deferral', outcome: 'Lee and Sam propose a date' }
  })
  t.equal(deferral.statusCode, 201, deferral.body)
  t.equal((await call({ method: 'GET', url: '/v1/initiatives/offsite', as: 'reader' })).json().status, 'active', 'the offsite is still open')

  // Lee decides the trade show; Mara reverses it.
  const berlin = await call({
    method: 'POST', url: '/v1/initiatives/trade-show/decisions', as: 'editor',
    payload: { id: 'show-berlin', decidedBy: 'lee', decidedAt: '2026-03-10T09:00:00Z', outcome: 'Berlin, in May', rationale: 'Our customers are there' }
  })
  t.equal(berlin.statusCode, 201, berlin.body)
  t.match(berlin.json(), { kind: 'decision', supersedes: null })
  t.equal((await call({ method: 'GET', url: '/v1/initiatives/trade-show', as: 'reader' })).json().status, 'decided')
  const reversal = await call({
    method: 'POST', url: '/v1/initiatives/trade-show/decisions', as: 'editor',
    payload: { id: 'show-not-berlin', decidedBy: 'mara', decidedAt: '2026-04-01T09:00:00Z', kind: 'reversal', supersedes: 'show-berlin', outcome: 'Not Berlin' }
  })
  t.equal(reversal.statusCode, 201, reversal.body)
  t.match(reversal.json(), { kind: 'reversal', supersedes: 'show-berlin' })

  // The change agent's audit: the reversal of a transfer, naming both, with what to do; Lee is not blamed for deciding.
  const run = await call({ method: 'POST', url: '/v1/audits', payload: {}, as: 'auditor' })
  t.equal(run.statusCode, 201, run.body)
  const findings = (await call({ method: 'GET', url: `/v1/audits/${run.json().id as string}/findings?limit=500`, as: 'auditor' })).json().items
  const reversed = findings.filter((f: any) => f.ruleId === 'reversed-transfer')
  t.equal(reversed.length, 1, 'one reversed-transfer finding')
  t.match(reversed[0], {
    severity: 'warning',
    subject: { kind: 'decision', id: 'show-not-berlin' },
    message: 'Mara Quist reversed Lee Park\'s decision on "The trade show" of 10 March 2026 on 1 April 2026, though Mara Quist had transferred that decision to Lee Park (show-to-lee)',
    remediation: /^Ask Mara Quist to confirm or withdraw the reversal show-not-berlin of Lee Park's decision show-berlin on "The trade show", or end the transfer show-to-lee/
  })
  for (const person of ['mara', 'lee']) t.ok(reversed[0].related.some((r: any) => r.kind === 'person' && r.id === person), `it names ${person}`)
  t.ok(reversed[0].related.some((r: any) => r.kind === 'delegation' && r.id === 'show-to-lee'), 'and the transfer')
  t.strictSame(findings.filter((f: any) => f.ruleId === 'decided-by-non-decider').map((f: any) => f.subject.id), [],
    'decided-by-non-decider blames nobody: Lee decided by the transfer, and the reversal is reversed-transfer\'s finding')
  t.match(findings.filter((f: any) => f.ruleId === 'retired-influence'), [{ subject: { kind: 'person', id: 'karl' } }], 'the founder\'s influence is found too')

  // The trade show's answer now carries the reversal as its caveat; Strategy 2030 keeps its one.
  const after = await decider('trade-show')
  t.strictSame(after.caveats.map((c: any) => c.ruleId), ['reversed-transfer'])
  t.equal(after.summary, `Lee Park decides 'The trade show' for Mara Quist, who has handed it over, until 1 January 2030; 1 caveat: ${reversed[0].message as string}.`)
  t.strictSame((await decider('strategy')).caveats.map((c: any) => c.ruleId), ['retired-influence'])
})
