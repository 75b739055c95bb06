// Tests that drive a connection directly: one decider index per connection, as the runtime holds one for its own.
import { DeciderIndex } from '../../src/registry/decider-index.js'
import type { RegistrySource } from '../../src/registry/types.js'
import type { Db } from '../../src/store/connection.js'

const indexes = new Map<Db, DeciderIndex>()

const indexOf = (db: Db): DeciderIndex => {
  let index = indexes.get(db)
  if (index === undefined) indexes.set(db, index = new DeciderIndex(db))
  return index
}

/** The connection's index, current with the change log; undefined inside a transaction. */
export const deciderIndex = (db: Db): DeciderIndex | undefined => indexOf(db).current()

/** The source for lookups at `at` on the connection (DeciderIndex.sourceAt). */
export const deciderSource = (db: Db, at: string): RegistrySource => indexOf(db).sourceAt(at)

/** Settles once the connection's index holds the change log up to `revision` (DeciderIndex.follow). */
export const followCommit = async (db: Db, revision: number): Promise<void> => { await indexOf(db).follow(revision) }
