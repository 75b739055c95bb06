// Compiles a schema into a check and an explanation of a failure, both bounded by the size of the value checked.
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'

/**
 * The most items an array with `uniqueItems` may be declared to hold. TypeBox checks uniqueness in linear time, but
 * lists the duplicates in quadratic time (it copies the list for each one found): 40k duplicate tags in a 160 KiB
 * body held the event loop for 20 s. So the explanation first runs without uniqueItems, which reports any array over
 * its maxItems, and lists duplicates only when nothing else is wrong: then each such array holds at most its
 * maxItems, and listing costs at most this many steps per item.
 */
export const MAX_UNIQUE_ITEMS = 1000

/**
 * The explanation is first sought in the value with every array cut to this many items: TypeBox explains ~2 µs per
 * item (0.5 s for 250k ids in a 1 MiB body), where the check stops at maxItems. Any error of the cut value is one of
 * the whole value's (no schema asks for more items than this, or for `contains`, checked at compile); only when the
 * cut value has none is the whole value explained, which then costs what the check did.
 */
export const EXPLAINED_ITEMS = 1024

export interface Checker {
  Check: (value: unknown) => boolean
  /** Why the value fails (empty when it passes); its cost is linear in the value's size. */
  Errors: (value: unknown) => ReturnType<ReturnType<typeof Compile>['Errors']>
}

/** A copy of the schema without uniqueItems; throws where uniqueItems is declared without a small enough maxItems. */
function withoutUniqueItems (schema: unknown, path: string): unknown {
  if (Array.isArray(schema)) return schema.map((s, i) => withoutUniqueItems(s, `${path}/${i}`))
  if (typeof schema !== 'object' || schema === null) return schema
  const out = {}
  for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(schema))) {
    if ((key === 'minItems' && descriptor.value > EXPLAINED_ITEMS) || key === 'contains') {
      throw new Error(`${path || '/'}: ${key} would make the explanation of a cut array wrong`)
    }
    if (key === 'uniqueItems' && descriptor.value !== false) {
      const maxItems = (schema as { maxItems?: unknown }).maxItems
      if (typeof maxItems !== 'number' || maxItems > MAX_UNIQUE_ITEMS) {
        throw new Error(`${path || '/'}: uniqueItems needs maxItems of at most ${MAX_UNIQUE_ITEMS}, or explaining a failure would take quadratic time`)
      }
      continue
    }
    // The annotations are data, not schemas: copied as they are.
    if ('value' in descriptor && key !== 'examples' && key !== 'default') descriptor.value = withoutUniqueItems(descriptor.value, `${path}/${key}`)
    Object.defineProperty(out, key, descriptor)
  }
  return out
}

/** Below this depth a value is left as it is: no schema here is deeper, and a deeper walk could run out of stack. */
const CUT_DEPTH = 32

/** The value with each array cut to its first EXPLAINED_ITEMS items (a copy where anything was cut). */
function cut (value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || depth === CUT_DEPTH) return value
  let changed = false
  const cutOne = (item: unknown): unknown => {
    const shorter = cut(item, depth + 1)
    changed ||= shorter !== item
    return shorter
  }
  if (Array.isArray(value)) {
    const items = value.length > EXPLAINED_ITEMS ? value.slice(0, EXPLAINED_ITEMS) : value
    changed = items !== value
    const out = items.map(cutOne)
    return changed ? out : value
  }
  const out = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cutOne(v)]))
  return changed ? out : value
}

/** The compiled check of the schema, and its explanation (compiled on first use; its bound is checked at once). */
export function compileChecker (schema: TSchema): Checker {
  const check = Compile(schema)
  const bounded = withoutUniqueItems(schema, '') as TSchema
  let explain: ReturnType<typeof Compile> | undefined
  return {
    Check: (value) => check.Check(value),
    Errors: (value) => {
      explain ??= Compile(bounded)
      const shorter = cut(value)
      const errors = shorter === value ? [] : explain.Errors(shorter)
      if (errors.length > 0) return errors
      const all = explain.Errors(value)
      return all.length > 0 ? all : check.Errors(value)
    }
  }
}
