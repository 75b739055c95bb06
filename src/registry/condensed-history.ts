// The past versions the decider index keeps, without those it cannot tell apart from their neighbours.
import type { History } from '../store/history.js'

/** Whether two records of the index hold the same values (strings, numbers, null, or arrays of those). */
function alike (a: object, b: object): boolean {
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  const keys = Object.keys(x)
  if (keys.length !== Object.keys(y).length) return false
  for (const key of keys) {
    const u = x[key]
    const v = y[key]
    if (u === v) continue
    if (!Array.isArray(u) || !Array.isArray(v) || u.length !== v.length || u.some((item, i) => item !== v[i])) return false
  }
  return true
}

/**
 * The history without the versions that "who decides?" cannot tell apart: adjacent versions alike in every field
 * the index holds are one, and a last past version alike with the current record is part of the current one.
 * Every answer at every time stays the same (a gap — deleted, then made again — is kept); what no longer grows is
 * the memory held for edits the index does not read: a person's new title or email, an initiative's description.
 * Each of those kept a past version (a few hundred bytes) for good, and they are most of a registry's writes.
 */
export function condensed<T extends object> (history: History<T> | undefined, current: T | undefined): History<T> | undefined {
  if (history === undefined) return undefined
  const past: History<T>['past'] = []
  for (const version of history.past) {
    const last = past[past.length - 1]
    if (last !== undefined && last.to === version.from && alike(last.record, version.record)) past[past.length - 1] = { ...last, to: version.to }
    else past.push(version)
  }
  let currentFrom = history.currentFrom
  const last = past[past.length - 1]
  if (last !== undefined && current !== undefined && last.to === currentFrom && alike(last.record, current)) {
    past.pop()
    currentFrom = last.from
  }
  // slice: an array grown by push holds room for more; these are kept for the life of the process.
  return past.length === 0 ? undefined : { past: past.slice(), currentFrom }
}
