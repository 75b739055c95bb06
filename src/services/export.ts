// GET /v1/export: the whole registry as one bundle, each collection in id order, without server-set fields.
import type { Db } from '../store/connection.js'
import { BUNDLE_COLLECTIONS, readAll, toBundleRow, type BundleCollection, type BundleRow } from '../store/bundle.js'

export function exportBundle (db: Db): Record<BundleCollection, BundleRow[]> {
  return Object.fromEntries(BUNDLE_COLLECTIONS.map((c) => [c, readAll(db, c).map(toBundleRow)])) as Record<BundleCollection, BundleRow[]>
}
