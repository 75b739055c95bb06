// A seeded RACI matrix of any size for round-trip tests and the benchmark: each initiative has one A, and about
// `fill` of its other cells hold R, C, I or C/I.
import { layoutRaciMatrix, type RaciMatrix, type RaciRole } from '../../src/formats/raci-matrix.js'

const OTHERS: RaciRole[][] = [['R'], ['C'], ['I'], ['C', 'I']]
const RULES = ['single', 'pool', 'unanimous', null] as const

export function syntheticMatrix (initiatives: number, people: number, fill = 0.6): RaciMatrix {
  const headers = Array.from({ length: people }, (_, i) => [`person${i}@example.com`, `person-${i}`, `Person Nr. ${i}`][i % 3] as string)
  return layoutRaciMatrix({
    domainColumn: true,
    decisionRuleColumn: true,
    people: headers,
    rows: Array.from({ length: initiatives }, (_, i) => {
      const roles: Record<string, RaciRole[]> = {}
      headers.forEach((header, p) => {
        const seed = (i * 7919 + p * 104729) % 1000
        if (p === i % people) roles[header] = p % 2 === 0 ? ['A'] : ['R', 'A']
        else if (seed < fill * 1000) roles[header] = OTHERS[seed % OTHERS.length] as RaciRole[]
      })
      return { initiative: i % 2 === 0 ? `initiative-${i}` : `Initiative number ${i}`, domain: `domain-${i % 7}`, decisionRule: RULES[i % 4], roles }
    })
  })
}
