// The import's overlap check, sort-based, against the pairwise comparison it replaced: the same rows reported, each
// naming a real clash of the same person, role and target.
import fc from 'fast-check'
import t from 'tap'
import type { BundleCollection, BundleRow } from '../src/store/bundle.js'
import { invariantErrors, type FinalState, type Located } from '../src/services/import-rules.js'
import { overlapFinder, type Period } from '../src/services/overlapping-periods.js'

/** The check as it was, comparing every row with every other row of its cell: the reference. */
const pairwiseOverlaps = (a: BundleRow, b: BundleRow): boolean =>
  a.validTo !== a.validFrom && b.validTo !== b.validFrom &&
  (b.validTo === null || (a.validFrom as string) < (b.validTo as string)) &&
  (a.validTo === null || (b.validFrom as string) < (a.validTo as string))
const cellOf = (a: BundleRow): string => [a.personId, a.role, a.initiativeId, a.domainId].map((p) => p ?? '').join('\u0000')

function pairwiseClashes (rows: Located[], final: FinalState): Map<number, BundleRow[]> {
  const out = new Map<number, BundleRow[]>()
  for (const l of rows) {
    const clashes = [...final.assignments.values()].filter((other) => cellOf(other) === cellOf(l.row) && other.id !== l.row.id && pairwiseOverlaps(l.row, other))
    if (clashes.length > 0) out.set(l.index, clashes)
  }
  return out
}

const TIMES = ['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z']
// Few values of each, so rows share cells and periods touch, nest, coincide, are empty (validTo = validFrom) and inverted.
const assignment = fc.record({
  personId: fc.constantFrom('p', 'q'),
  role: fc.constantFrom('A', 'R'),
  target: fc.constantFrom(['initiativeId', 'x'], ['domainId', 'x'], ['domainId', 'y']),
  validFrom: fc.constantFrom(...TIMES),
  validTo: fc.option(fc.constantFrom(...TIMES), { nil: null })
}).map(({ target, ...a }) => ({ initiativeId: null, domainId: null, ...a, [target[0]!]: target[1] }))

const OVERLAP = /^overlaps assignment "([^"]+)" of the same person, role and target$/

t.test('property: the rows reported are those the pairwise check reports, each naming one of their clashes', async () => {
  fc.assert(fc.property(
    fc.array(assignment, { maxLength: 12 }),
    fc.array(assignment, { maxLength: 12 }),
    fc.array(fc.nat({ max: 11 }), { maxLength: 4 }),
    (stored, bundled, replacing) => {
      // The registry's rows, then the bundle's: new ones, and some with a stored row's id (an upsert replaces it).
      const final = Object.fromEntries((['people', 'domains', 'initiatives', 'assignments', 'delegations', 'influences', 'decisions'] as BundleCollection[])
        .map((c) => [c, new Map<string, BundleRow>()])) as FinalState
      stored.forEach((a, i) => final.assignments.set(`s${i}`, { ...a, id: `s${i}` }))
      const rows: Located[] = bundled.map((a, index) => {
        const id = replacing.includes(index) && index < stored.length ? `s${index}` : `b${index}`
        return { collection: 'assignments', index, row: { ...a, id } }
      })
      for (const l of rows) final.assignments.set(l.row.id, l.row)

      const expected = pairwiseClashes(rows, final)
      const reported = invariantErrors(rows, final).filter((e) => e.field === '/validFrom')
      if (JSON.stringify(reported.map((e) => e.index)) !== JSON.stringify([...expected.keys()])) return false
      return reported.every((e) => {
        const id = OVERLAP.exec(e.reason)?.[1]
        return e.collection === 'assignments' && expected.get(e.index)!.some((clash) => clash.id === id)
      })
    }), { numRuns: 2000 })
})

t.test('the finder: open periods, touching periods, empty periods, and itself', async (t) => {
  const p = (id: string, validFrom: string, validTo: string | null): Period => ({ id, validFrom, validTo })
  const [jan, feb, mar, apr] = TIMES as [string, string, string, string]
  const find = overlapFinder([p('open', mar, null), p('q1', jan, feb), p('empty', feb, feb)])
  t.equal(find(p('open', mar, null)), undefined, 'a period does not overlap itself')
  t.equal(find(p('q1', jan, feb)), undefined, 'nor one that only touches it, nor an empty one')
  t.equal(find(p('new', apr, null))?.id, 'open', 'an open period holds for ever')
  t.equal(find(p('new', jan, mar))?.id, 'q1')
  t.equal(find(p('new', feb, feb)), undefined, 'an empty period overlaps nothing')
  t.equal(find(p('new', feb, mar)), undefined, 'between the two, past the empty one')
  t.equal(overlapFinder([])(p('new', jan, null)), undefined, 'an empty cell')
})
