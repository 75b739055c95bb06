// Server-generated ids sort in the order they were made, even many in one millisecond, and follow the id pattern.
import t from 'tap'
import { ID_PATTERN } from '../src/schemas/common.js'
import { newId } from '../src/services/ids.js'

t.test('ids made back to back are strictly increasing and valid ids', async (t) => {
  const ids = Array.from({ length: 20_000 }, () => newId())
  const disordered = ids.findIndex((id, i) => i > 0 && id <= ids[i - 1]!)
  t.equal(disordered, -1, 'each id sorts after the one before')
  const pattern = new RegExp(ID_PATTERN)
  t.ok(ids.every((id) => id.length === 26 && pattern.test(id)), 'every id matches the id pattern')
  t.ok(new Set(ids.map((id) => id.slice(0, 10))).size < ids.length, 'and many shared a millisecond')
})
