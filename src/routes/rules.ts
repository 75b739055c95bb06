// Routes of /v1/rules: the audit rule catalogue and an auditor's configuration of each rule.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { actorOf } from '../plugins/auth.js'
import { access, IfMatchHeaders, problems } from '../schemas/common.js'
import { RuleParams, RulePatchSchema, RuleSchema, RulesSchema } from '../schemas/rules.js'
import { listRules, updateRule } from '../services/rule-settings.js'
import { commitWrite, written } from './replies.js'

const tags = ['rules']

const ruleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/rules', {
    config: { allow: access.read },
    schema: { operationId: 'listRules', tags, summary: 'Every audit rule with its effective configuration, in id order', response: { 200: RulesSchema, ...problems() } }
  }, async () => listRules(app.runtime.db))

  app.patch('/rules/:id', {
    config: { allow: access.audit },
    schema: {
      operationId: 'updateRule', tags, summary: 'Enable or disable a rule, set its severity (null: the default) or its options (checked against its optionsSchema)',
      params: RuleParams, headers: IfMatchHeaders, body: RulePatchSchema, response: { 200: RuleSchema, ...problems(404, 412, 413, 415) }
    }
  }, async (request, reply) => written(reply, await commitWrite(request, () => updateRule(app.runtime.db, actorOf(request.key), request.params.id, request.body, request.headers['if-match']))))
}

export default ruleRoutes
