// The change log as the services import it: src/change-log.ts, which sits below the services and the audit module alike.
export { recordChange, transact, type Actor, type ChangeAction, type Mutation, type Written } from '../change-log.js'
