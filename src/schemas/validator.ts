// The request validator: TypeBox's compiled check of each part of a request against the route's schema.
import type { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox'
import { Value } from 'typebox/value'
import { compileChecker } from './checker.js'

/**
 * Path, query and header values arrive as strings; they are converted to the schema's types only when they do not
 * pass as they are. Most do (ids and times are strings), and the generic conversion, run on every request, cost
 * more than the check itself. A body is JSON already: it is never converted.
 */
export const validatorCompiler: typeof TypeBoxValidatorCompiler = ({ schema, httpPart }) => {
  const check = compileChecker(schema)
  return (value) => {
    if (check.Check(value)) return { value }
    const converted = httpPart === 'body' ? value : Value.Convert(schema, value)
    if (httpPart !== 'body' && check.Check(converted)) return { value: converted }
    return { error: check.Errors(converted) as never }
  }
}
