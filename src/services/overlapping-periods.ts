// Finds, among the periods of one assignment cell, another period that overlaps a given one: sort once, then a binary
// search per question — O(n log n) for a cell of n periods, where comparing every pair was O(n²).

/** A half-open period [validFrom, validTo) in canonical ISO-8601 UTC (so strings compare as times); null validTo is open. */
export interface Period { id: string, validFrom: string, validTo: string | null }

/**
 * The overlap rule of the registry. An empty period (validTo equal to validFrom: an assignment ended before it began)
 * holds at no time, so it overlaps nothing; a period never overlaps itself (same id).
 */
export const overlaps = (a: Period, b: Period): boolean =>
  a.id !== b.id && a.validTo !== a.validFrom && b.validTo !== b.validFrom &&
  (b.validTo === null || a.validFrom < b.validTo) &&
  (a.validTo === null || b.validFrom < a.validTo)

/** True when end x is later than end y; null is the latest of all. */
const endsLater = (x: string | null, y: string | null): boolean => x === null ? y !== null : y !== null && x > y

/**
 * A finder over a set of periods with distinct ids: for a period of the set, another one that overlaps it by
 * `overlaps`, or undefined. The one returned is, of the periods that start before the question ends, the one that ends
 * last: if it does not reach past the question's start, none does.
 */
export function overlapFinder<P extends Period> (periods: Iterable<P>): (question: Period) => P | undefined {
  const live = [...periods].filter((p) => p.validTo !== p.validFrom).sort((a, b) => a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0)
  // first[i] and second[i]: positions in `live` of the two periods among live[0..i] that end last.
  const first = new Int32Array(live.length)
  const second = new Int32Array(live.length)
  let top = -1
  let next = -1
  live.forEach((p, i) => {
    if (top === -1 || endsLater(p.validTo, live[top]!.validTo)) { next = top; top = i } else if (next === -1 || endsLater(p.validTo, live[next]!.validTo)) next = i
    first[i] = top
    second[i] = next
  })
  return (question) => {
    if (question.validTo === question.validFrom) return undefined
    const starting = question.validTo === null ? live.length : startingBefore(live, question.validTo)
    if (starting === 0) return undefined
    let position = first[starting - 1]!
    if (live[position]!.id === question.id) position = second[starting - 1]!
    const candidate = position === -1 ? undefined : live[position]!
    return candidate !== undefined && overlaps(question, candidate) ? candidate : undefined
  }
}

/** How many of the periods, sorted by validFrom, start before `time`. */
function startingBefore (sorted: readonly Period[], time: string): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (sorted[middle]!.validFrom < time) low = middle + 1
    else high = middle
  }
  return low
}
