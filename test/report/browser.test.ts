// The report page in a real browser (Debian's chromium, driven by puppeteer-core): it loads from the server without a
// console error or a second request, shows its sections, highlighted cells and picture with scripts on or off, and
// prints. A screenshot and a PDF are left in test-output/ (git-ignored) for a person to look at.
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import puppeteer, { type Page } from 'puppeteer-core'
import t from 'tap'
import { buildTestApp } from '../helper.js'
import { AT, importFixture } from '../audit-fixture.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const OUTPUT = fileURLToPath(new URL('../../test-output', import.meta.url))

if (!existsSync(CHROMIUM)) {
  const banner = '!'.repeat(100)
  console.error(`${banner}\n!!! SKIPPED: the report's browser test needs chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run does it)\n${banner}`)
}

interface Seen { sections: string[], problemCells: number, highlighted: number, errorFills: string[], legendKeys: number, legendColoured: number, svgNodes: number, svgWidth: number }

// The page functions below run in the browser. The tests' compilation has no DOM library (adding it would retype
// fetch and Headers for every file), so the little of the DOM they use is declared here, for this file only.
interface DomElement {
  id: string
  querySelectorAll: (selector: string) => ArrayLike<DomElement>
  getBoundingClientRect: () => { width: number }
}
declare const document: { querySelector: (selector: string) => DomElement | null, querySelectorAll: (selector: string) => ArrayLike<DomElement> }
declare function getComputedStyle (element: DomElement): { backgroundColor: string }

/**
 * What a reader sees: the sections, the marked cells of the grids (and whether they are coloured; an error with the
 * XLSX export's fill), the legend's keys, the picture's nodes and width.
 */
const look = async (page: Page): Promise<Seen> => await page.evaluate(() => {
  const all = (selector: string): DomElement[] => Array.from(document.querySelectorAll(selector))
  const coloured = (e: DomElement): boolean => !['rgba(0, 0, 0, 0)', 'rgb(255, 255, 255)'].includes(getComputedStyle(e).backgroundColor)
  const cells = all('#matrix .grid .problem')
  const keys = all('#matrix .legend .problem')
  const svg = document.querySelector('#authority svg')
  return {
    sections: all('main > section').map((s) => s.id),
    problemCells: cells.length,
    highlighted: cells.filter(coloured).length,
    errorFills: [...new Set(all('#matrix .grid .problem.error').map((c) => getComputedStyle(c).backgroundColor))],
    legendKeys: keys.length,
    legendColoured: keys.filter(coloured).length,
    svgNodes: svg?.querySelectorAll('g.node').length ?? 0,
    svgWidth: svg?.getBoundingClientRect().width ?? 0
  }
})

t.test('the report in headless chromium', { skip: existsSync(CHROMIUM) ? false : `no chromium at ${CHROMIUM}` }, async (t) => {
  const { app, call, tokens } = await buildTestApp(t)
  await importFixture(t, call)
  const run = (await call({ method: 'POST', url: '/v1/audits', payload: { at: AT }, as: 'auditor' })).json()
  await app.listen({ host: '127.0.0.1', port: 0 })
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/v1/audits/${run.id}/report`

  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] })
  t.teardown(async () => await browser.close())
  const page = await browser.newPage()
  await page.setExtraHTTPHeaders({ authorization: `Bearer ${tokens.reader}` })
  await page.setViewport({ width: 1280, height: 900 })
  const errors: string[] = []
  const requests: string[] = []
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') errors.push(`${m.type()}: ${m.text()}`) })
  page.on('pageerror', (e) => errors.push(`page error: ${String(e)}`))
  page.on('request', (r) => requests.push(r.url()))

  const res = await page.goto(url, { waitUntil: 'load' })
  t.equal(res?.status(), 200)
  t.strictSame(errors, [], 'no console error (a style the policy refused would be one)')
  t.strictSame(requests, [url], 'one request: nothing else is loaded')
  const seen = await look(page)
  t.strictSame(seen.sections, ['summary', 'findings', 'resolved', 'matrix', 'authority'])
  t.ok(seen.problemCells > 0, `${seen.problemCells} problem cells`)
  t.equal(seen.highlighted, seen.problemCells, 'each one coloured: the style sheet applied')
  t.strictSame(seen.errorFills, ['rgb(255, 199, 206)'], 'errors filled as the XLSX export fills them')
  t.equal(seen.legendColoured, seen.legendKeys, 'the legend shows the same colours')
  t.ok(seen.svgNodes >= 10, `the picture has ${seen.svgNodes} nodes`)
  t.ok(seen.svgWidth > 200, 'and a size')
  t.match(await page.title(), /^Who decides: audit of the whole registry$/)

  mkdirSync(OUTPUT, { recursive: true })
  const screenshot = join(OUTPUT, 'audit-report.png')
  await page.screenshot({ path: screenshot as `${string}.png`, fullPage: true })
  t.ok(statSync(screenshot).size > 10_000, `screenshot at ${screenshot}`)
  const pdf = join(OUTPUT, 'audit-report.pdf')
  await page.pdf({ path: pdf, format: 'A4', printBackground: true })
  t.ok(statSync(pdf).size > 10_000, `printed to ${pdf}`)

  await page.setJavaScriptEnabled(false)
  await page.goto(url, { waitUntil: 'load' })
  t.strictSame(await look(page), seen, 'the same page with scripts off')
  t.strictSame(errors, [], 'still no console error')
})
