// unanimity-trap: too many unanimous approvers, and approvers who report to another, directly or down the line.
import t from 'tap'
import { unanimityTrap } from '../../../src/audit/rules/unanimity-trap.js'
import { registry, ruleTable } from '../model-builder.js'

/** Ada leads; Bob reports to Ada; Cyd reports to Bob; Dee and Eve report to no one here. */
const org = () => registry().person('ada').person('bob', { managerId: 'ada' }).person('cyd', { managerId: 'bob' }).people('dee', 'eve')
  .domain('board').initiative('merger', { decisionRule: 'unanimous', domainId: 'board' })
const approvers = (...ids: string[]) => {
  const r = org()
  for (const id of ids) r.assign(id, 'A', { initiative: 'merger' })
  return r
}

ruleTable(t, unanimityTrap, {
  valid: [
    { name: 'three peers', registry: approvers('ada', 'dee', 'eve') },
    { name: 'four peers with maxApprovers 4', registry: approvers('ada', 'dee', 'eve').person('fay').assign('fay', 'A', { initiative: 'merger' }), options: { maxApprovers: 4 } },
    { name: 'a manager and report under the single rule', registry: org().initiative('solo').assign('ada', 'A', { initiative: 'solo' }).assign('bob', 'A', { initiative: 'solo' }) },
    { name: 'a manager and report on a unanimous initiative that is decided', registry: org().initiative('old', { decisionRule: 'unanimous', status: 'decided' }).assign('ada', 'A', { initiative: 'old' }).assign('bob', 'A', { initiative: 'old' }) },
    { name: 'no Accountable at all', registry: org() },
    { name: 'a manager\'s A on the domain is overridden by the initiative\'s own', registry: approvers('bob', 'dee').assign('ada', 'A', { domain: 'board' }) }
  ],
  invalid: [
    {
      name: 'four approvers',
      registry: approvers('ada', 'dee', 'eve').person('fay').assign('fay', 'A', { initiative: 'merger' }),
      findings: [{
        subject: 'initiative:merger',
        related: ['person:ada', 'person:dee', 'person:eve', 'person:fay'],
        message: '"Merger" is decided unanimously: all 4 of its Accountable people must agree (more than 3)',
        remediation: 'Make one of Ada, Dee, Eve and Fay the final decider of "Merger" and the others Consulted, or keep at most 3 approvers, ' +
          'or use the pool rule so that any one of them may decide',
        data: { approvers: 4, maxApprovers: 3 }
      }]
    },
    {
      name: 'the leader who needs his report\'s approval',
      registry: approvers('ada', 'bob'),
      findings: [{ subject: 'initiative:merger', related: ['person:ada', 'person:bob'], message: '"Merger" is decided unanimously: Bob reports to Ada',
        remediation: 'Make one of Ada and Bob the final decider of "Merger" and the other Consulted, or drop Bob from its Accountable people, or use the pool rule so that any one of them may decide' }]
    },
    {
      name: 'reports two levels down, inherited from the domain, with both reasons when maxApprovers is 2',
      registry: org().assign('ada', 'A', { domain: 'board' }).assign('cyd', 'A', { domain: 'board' })
        .assign('bob', 'A', { domain: 'board' }),
      options: { maxApprovers: 2 },
      findings: [{
        subject: 'initiative:merger',
        related: ['person:ada', 'person:bob', 'person:cyd'],
        message: '"Merger" is decided unanimously: all 3 of its Accountable people must agree (more than 2); ' +
          'Bob reports to Ada, Cyd reports to Ada and Cyd reports to Bob',
        remediation: 'Make one of Ada, Bob and Cyd the final decider of "Merger" and the others Consulted, or drop Bob and Cyd from its Accountable people, ' +
          'or keep at most 2 approvers, or use the pool rule so that any one of them may decide',
        data: { approvers: 3, maxApprovers: 2 }
      }]
    },
    {
      name: 'a reporting line that loops (two people recorded as each other\'s manager) ends',
      registry: registry().person('kim', { managerId: 'lee' }).person('lee', { managerId: 'kim' }).person('max', { managerId: 'max' })
        .initiative('pact', { decisionRule: 'unanimous' }).assign('kim', 'A', { initiative: 'pact' }).assign('lee', 'A', { initiative: 'pact' }).assign('max', 'A', { initiative: 'pact' }),
      findings: [{ subject: 'initiative:pact', related: ['person:kim', 'person:lee', 'person:max'], message: '"Pact" is decided unanimously: Kim reports to Lee and Lee reports to Kim',
        remediation: 'Make one of Kim, Lee and Max the final decider of "Pact" and the others Consulted, or drop Kim and Lee from its Accountable people, or use the pool rule so that any one of them may decide' }]
    }
  ]
})
