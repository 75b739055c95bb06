// consult-overload: Consulted people counted once each, on the initiative and inherited, against maxConsulted.
import t from 'tap'
import { consultOverload } from '../../../src/audit/rules/consult-overload.js'
import { registry, ruleTable, type RegistryBuilder } from '../model-builder.js'

const consulting = (r: RegistryBuilder, on: { initiative?: string, domain?: string }, ...ids: string[]): RegistryBuilder => {
  for (const id of ids) r.assign(id, 'C', on)
  return r
}
const PEOPLE = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10']
const org = () => registry().people(...PEOPLE).domain('product').initiative('roadmap', { domainId: 'product' })
const related = (n: number) => PEOPLE.slice(0, n).map((id) => `person:${id}`)

ruleTable(t, consultOverload, {
  valid: [
    { name: 'eight Consulted', registry: consulting(org(), { initiative: 'roadmap' }, ...PEOPLE.slice(0, 8)) },
    {
      name: 'eight people, one Consulted both on the initiative and on its domain',
      registry: consulting(consulting(org(), { initiative: 'roadmap' }, ...PEOPLE.slice(0, 8)), { domain: 'product' }, 'p1')
    },
    { name: 'ten Consulted on an initiative that is done', registry: consulting(org().initiative('old', { status: 'done' }), { initiative: 'old' }, ...PEOPLE) },
    { name: 'ten Consulted with maxConsulted 10', registry: consulting(org(), { initiative: 'roadmap' }, ...PEOPLE), options: { maxConsulted: 10 } },
    { name: 'ten Informed', registry: PEOPLE.reduce((r, id) => r.assign(id, 'I', { initiative: 'roadmap' }), org()) }
  ],
  invalid: [
    {
      name: 'five on the initiative and four inherited',
      registry: consulting(consulting(org(), { initiative: 'roadmap' }, ...PEOPLE.slice(0, 5)), { domain: 'product' }, ...PEOPLE.slice(5, 9)),
      findings: [{ subject: 'initiative:roadmap', related: related(9), message: '"Roadmap" consults 9 people (more than 8)',
        remediation: 'Keep as Consulted on "Roadmap" at most 8 of its 9 Consulted people, those whose input changes the decision, and make the others Informed; ' +
          'prune the Consulted roles on domain "Product", which every initiative there inherits',
        data: { consulted: 9, maxConsulted: 8 } }]
    },
    {
      name: 'three with maxConsulted 2',
      registry: consulting(org(), { domain: 'product' }, 'p1', 'p2', 'p3'),
      options: { maxConsulted: 2 },
      findings: [{ subject: 'initiative:roadmap', related: related(3), message: '"Roadmap" consults 3 people (more than 2)', data: { consulted: 3, maxConsulted: 2 } }]
    }
  ]
})
