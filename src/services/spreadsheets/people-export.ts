// The people of the registry as the CSV an HR system reads: their manager by email, tags `;`-separated.
import { writePeopleCsv, type PeopleCsvPerson } from '../../formats/people-csv.js'
import type { PersonStatus } from '../../../db/schema.js'
import { readAll } from '../../store/bundle.js'
import type { Db } from '../../store/connection.js'

/** Every person in id order, as parsePeopleCsv reads them back (a manager by email, or by id if they have none). */
export function exportPeopleCsv (db: Db): Buffer {
  const people = readAll(db, 'people')
  const emailOf = new Map(people.map((p) => [p.id, p.email as string]))
  return writePeopleCsv(people.map((p): PeopleCsvPerson => ({
    id: p.id,
    name: p.name as string,
    email: p.email as string,
    title: p.title as string | null,
    status: p.status as PersonStatus,
    manager: p.managerId === null ? null : emailOf.get(p.managerId as string) ?? (p.managerId as string),
    tags: p.tags as string[],
    stakePercent: p.stakePercent as number | null,
    externalId: p.externalId as string | null
  })))
}
