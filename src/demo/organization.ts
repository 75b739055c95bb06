// The demo's organization (npm run demo): Berger Furniture, a family business whose record shows every kind of
// unclear boundary the audit looks for, written as the bundle `whodecides import` takes.
import type { AssignmentCreate } from '../schemas/assignments.js'
import type { DelegationCreate } from '../schemas/delegations.js'
import type { DomainCreate } from '../schemas/domains.js'
import type { InfluenceCreate } from '../schemas/influences.js'
import type { InitiativeCreate } from '../schemas/initiatives.js'
import type { PersonCreate } from '../schemas/people.js'

/** The collections of an import bundle the demo fills, each row as its create body. */
export interface DemoBundle {
  people: PersonCreate[]
  domains: DomainCreate[]
  initiatives: InitiativeCreate[]
  assignments: AssignmentCreate[]
  delegations: DelegationCreate[]
  influences: InfluenceCreate[]
}

/** A question the demo asks (`whodecides who ID`), and what the manager should take from the answer. */
export interface DemoQuestion {
  initiativeId: string
  /** Said before the answer, in plain words. */
  story: string
}

/** The day Karl handed the company to Anna; every date in the record is before the demo runs, so the story holds whenever it runs. */
const HANDOVER = '2026-01-01T00:00:00.000Z'
const mail = (name: string): string => `${name}@berger-furniture.example`

export const ORGANIZATION: DemoBundle = {
  people: [
    { id: 'karl', name: 'Karl Berger', email: mail('karl'), title: 'Founder', status: 'retired', statusSince: HANDOVER, tags: ['founder'] },
    { id: 'anna', name: 'Anna Berger', email: mail('anna'), title: 'CEO', tags: ['executive', 'shareholder'], stakePercent: 51 },
    { id: 'victor', name: 'Victor Hale', email: mail('victor'), title: 'Investor', tags: ['shareholder', 'external'], stakePercent: 35 },
    { id: 'tom', name: 'Tomasz Nowak', email: mail('tom'), title: 'COO', tags: ['executive'], managerId: 'anna' },
    { id: 'lena', name: 'Lena Fischer', email: mail('lena'), title: 'Plant manager, Hof', managerId: 'tom' },
    { id: 'omar', name: 'Omar Haddad', email: mail('omar'), title: 'Plant manager, Pilsen', managerId: 'tom' },
    { id: 'priya', name: 'Priya Raman', email: mail('priya'), title: 'Logistics manager', managerId: 'tom' },
    { id: 'marta', name: 'Marta Silva', email: mail('marta'), title: 'Sales director', status: 'on_leave', statusSince: '2026-11-02T00:00:00.000Z', tags: ['executive'], managerId: 'anna' },
    { id: 'jonas', name: 'Jonas Weber', email: mail('jonas'), title: 'Head of online sales', managerId: 'marta' },
    { id: 'sofia', name: 'Sofia Lang', email: mail('sofia'), title: 'Marketing lead', managerId: 'anna' },
    { id: 'paul', name: 'Paul Okafor', email: mail('paul'), title: 'Finance director', status: 'on_leave', statusSince: '2026-10-01T00:00:00.000Z', tags: ['executive'], managerId: 'anna' },
    { id: 'nina', name: 'Nina Brandt', email: mail('nina'), title: 'Accountant', managerId: 'paul' },
    { id: 'ruth', name: 'Ruth Meyer', email: mail('ruth'), title: 'HR manager', managerId: 'anna' }
  ],
  domains: [
    { id: 'strategy', name: 'Strategy and investments', description: 'Where the company goes: sites, showrooms, large investments' },
    { id: 'production', name: 'Production', description: 'The two plants and logistics' },
    { id: 'sales', name: 'Sales', description: 'Prices, channels and customers' },
    { id: 'finance', name: 'Finance', description: 'Banks, budgets and accounts' },
    { id: 'people', name: 'People and HR', description: 'Working time, pay and hiring' }
  ],
  initiatives: [
    { id: 'showroom', title: 'Open a flagship showroom in Munich', domainId: 'strategy', status: 'active', destination: 'A showroom in Munich open by autumn 2027' },
    { id: 'second-plant', title: 'Build a second plant', domainId: 'strategy', status: 'proposed', destination: 'Capacity for twice the orders by 2029' },
    { id: 'two-shifts', title: 'Run both plants on two shifts', domainId: 'production', status: 'active', decisionRule: 'unanimous' },
    { id: 'online-shop', title: 'Launch the online shop', domainId: 'sales', status: 'active', destination: 'A quarter of sales online by 2028' },
    { id: 'price-list-2027', title: 'New price list for 2027', domainId: 'sales', status: 'active' },
    { id: 'refinance-loan', title: 'Refinance the bank loan', domainId: 'finance', status: 'active' },
    { id: 'four-day-week', title: 'Trial a four-day week', domainId: 'people', status: 'proposed' }
  ],
  assignments: [
    // The handover: Karl decided strategy until he retired; Anna has since, and every strategic initiative inherits it.
    { id: 'karl-decided-strategy', personId: 'karl', role: 'A', domainId: 'strategy', validFrom: '1998-04-01T00:00:00.000Z', validTo: HANDOVER },
    { id: 'anna-decides-strategy', personId: 'anna', role: 'A', domainId: 'strategy', validFrom: HANDOVER },
    { id: 'karl-informed-strategy', personId: 'karl', role: 'I', domainId: 'strategy', validFrom: HANDOVER },
    { id: 'showroom-sofia', personId: 'sofia', role: 'R', initiativeId: 'showroom', validFrom: '2026-03-01T00:00:00.000Z' },
    { id: 'plant-tom', personId: 'tom', role: 'R', initiativeId: 'second-plant', validFrom: '2026-06-01T00:00:00.000Z' },
    { id: 'plant-victor', personId: 'victor', role: 'C', initiativeId: 'second-plant', validFrom: '2026-06-01T00:00:00.000Z' },
    // Tomasz decides production, but will not move on the shift model without every one of his managers.
    { id: 'tom-decides-production', personId: 'tom', role: 'A', domainId: 'production', validFrom: '2024-01-01T00:00:00.000Z' },
    { id: 'shifts-tom', personId: 'tom', role: 'A', initiativeId: 'two-shifts', validFrom: '2026-09-01T00:00:00.000Z' },
    { id: 'shifts-lena', personId: 'lena', role: 'A', initiativeId: 'two-shifts', validFrom: '2026-09-01T00:00:00.000Z' },
    { id: 'shifts-omar', personId: 'omar', role: 'A', initiativeId: 'two-shifts', validFrom: '2026-09-01T00:00:00.000Z' },
    { id: 'shifts-priya', personId: 'priya', role: 'A', initiativeId: 'two-shifts', validFrom: '2026-09-01T00:00:00.000Z' },
    { id: 'shifts-ruth', personId: 'ruth', role: 'R', initiativeId: 'two-shifts', validFrom: '2026-09-01T00:00:00.000Z' },
    // The online shop went to sales and to marketing at once.
    { id: 'shop-jonas', personId: 'jonas', role: 'A', initiativeId: 'online-shop', validFrom: '2026-05-01T00:00:00.000Z' },
    { id: 'shop-sofia', personId: 'sofia', role: 'A', initiativeId: 'online-shop', validFrom: '2026-05-01T00:00:00.000Z' },
    { id: 'shop-jonas-works', personId: 'jonas', role: 'R', initiativeId: 'online-shop', validFrom: '2026-05-01T00:00:00.000Z' },
    // Marta decides the price list; she is on leave, and her delegation for sales reaches it.
    { id: 'prices-marta', personId: 'marta', role: 'A', initiativeId: 'price-list-2027', validFrom: '2026-04-01T00:00:00.000Z' },
    { id: 'prices-jonas', personId: 'jonas', role: 'R', initiativeId: 'price-list-2027', validFrom: '2026-04-01T00:00:00.000Z' },
    { id: 'prices-anna', personId: 'anna', role: 'C', initiativeId: 'price-list-2027', validFrom: '2026-04-01T00:00:00.000Z' },
    // Paul decides the refinancing, and is on leave with no one standing in.
    { id: 'loan-paul', personId: 'paul', role: 'A', initiativeId: 'refinance-loan', validFrom: '2026-07-01T00:00:00.000Z' },
    { id: 'loan-nina', personId: 'nina', role: 'R', initiativeId: 'refinance-loan', validFrom: '2026-07-01T00:00:00.000Z' },
    // Ruth runs the trial; no one was named to decide it, on it or on its domain.
    { id: 'week-ruth', personId: 'ruth', role: 'R', initiativeId: 'four-day-week', validFrom: '2026-10-01T00:00:00.000Z' },
    { id: 'week-anna', personId: 'anna', role: 'C', initiativeId: 'four-day-week', validFrom: '2026-10-01T00:00:00.000Z' }
  ],
  delegations: [
    { id: 'marta-to-jonas', fromPersonId: 'marta', toPersonId: 'jonas', domainId: 'sales', validFrom: '2026-11-02T00:00:00.000Z', reason: 'Parental leave: Jonas stands in for Marta' }
  ],
  influences: [
    {
      id: 'karl-steers-anna', personId: 'karl', overPersonId: 'anna', strength: 'high', observedAt: '2026-11-20T09:00:00.000Z',
      note: 'Anna checks every strategic call with her father first; he still chairs the Monday meeting'
    },
    {
      id: 'victor-steers-plant', personId: 'victor', initiativeId: 'second-plant', strength: 'high', observedAt: '2026-11-25T14:00:00.000Z',
      note: 'Tells the bank and the staff that the second plant will be built in Pilsen, before anyone has decided'
    }
  ]
}

/** The initiatives the demo asks about, in the order of the story. */
export const QUESTIONS: DemoQuestion[] = [
  { initiativeId: 'showroom', story: 'Karl founded the company and retired when he handed it to his daughter Anna. On paper, Anna decides strategy:' },
  { initiativeId: 'two-shifts', story: 'Tomasz, the COO, will not move without all three of his managers agreeing. Who decides the shift model?' },
  { initiativeId: 'online-shop', story: 'The online shop was given to sales and to marketing at once:' },
  { initiativeId: 'four-day-week', story: 'HR runs the four-day-week trial, but no one was ever named to decide it:' },
  { initiativeId: 'price-list-2027', story: 'Marta, the sales director, is on parental leave; she named Jonas as her deputy:' },
  { initiativeId: 'refinance-loan', story: 'Paul, the finance director, is on leave too, and named no deputy:' }
]
