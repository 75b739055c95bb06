// A finding's stable identity across runs: what lets an audit run say new, persisting or resolved, and a waiver name a finding.
import { hash } from 'node:crypto'
import type { RuleFinding } from '../registry/types.js'

// JSON keeps kind and id apart whatever characters they contain.
const key = (r: { kind: string, id: string }): string => JSON.stringify([r.kind, r.id])

/**
 * sha256 (hex, first 32 characters) of the rule id, the subject and the set of related records: the message, the
 * data and the order (or repetition) of related records do not count, so rewording a message keeps every waiver.
 */
export function fingerprintOf (ruleId: string, finding: Pick<RuleFinding, 'subject' | 'related'>): string {
  // The default sort compares code units: the same order on every machine and locale.
  const related = [...new Set(finding.related.map(key))].sort()
  const identity = JSON.stringify([ruleId, key(finding.subject), related])
  return hash('sha256', identity, 'hex').slice(0, 32)
}

/** What fingerprintOf makes: 32 lowercase hexadecimal characters. A stored one that is not (edited by hand) matches no finding. */
export const isFingerprint = (text: string): boolean => /^[0-9a-f]{32}$/.test(text)
