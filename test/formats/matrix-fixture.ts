// A seeded RACI matrix of any size for round-trip tests and the benchmark: every initiative has one A and a few others.
import { layoutRaciMatrix, type RaciMatrix, type RaciRole } from '../../src/formats/raci-matrix.js'

const COMBINATIONS: RaciRole[][] = [['R'], ['C'], ['I'], ['R', 'A'], ['C', 'I'], [], [], []]

/** `initiatives` rows × `people` columns, with domain and rule columns; `fill` of every cell holds a role (0–1). */
export function syntheticMatrix (initiatives: number, people: number, fill = 0.6): RaciMatrix {
  const headers = Array.from({ length: people }, (_, i) => i % 3 === 0 ? `person${i}@example.com` : i % 3 === 1 ? `person-${i}` : `Person Nr. ${i}`)
  const rules = ['single', 'pool', 'unanimous', null] as const
  return layoutRaciMatrix({
    domainColumn: true,
    decisionRuleColumn: true,
    people: headers,
    rows: Array.from({ length: initiatives }, (_, i) => {
      const roles: Record<string, RaciRole[]> = {}
      headers.forEach((header, p) => {
        const seed = (i * 7919 + p * 104729) % 1000
        const combination = p === i % people ? ['A'] as RaciRole[] : seed < fill * 1000 ? COMBINATIONS[seed % 5] ?? [] : []
        if (combination.length > 0 && !(p !== i % people && combination.includes('A'))) roles[header] = combination
        else if (combination.length > 0) roles[header] = ['R']
      })
      return { initiative: i % 2 === 0 ? `initiative-${i}` : `Initiative number ${i}`, domain: `domain-${i % 7}`, decisionRule: rules[i % 4], roles }
    })
  })
}
