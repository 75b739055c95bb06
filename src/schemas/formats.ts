// String formats for validation: ajv-formats' set, with date-time narrowed to instants the registry can store; and
// the messages of the text patterns (src/schemas/text.ts).
import { Format, registerAjvFormats } from '@fastify/type-provider-typebox'
import { Locale } from 'typebox/system'
import { TEXT_PATTERN_MESSAGES } from './text.js'

const MIN_TIME = Date.parse('0000-01-01T00:00:00.000Z')
const MAX_TIME = Date.parse('9999-12-31T23:59:59.999Z')

/**
 * RFC 3339 date-time that is also one instant in years 0000–9999 once in UTC: a leap second or a year pushed past
 * 9999 by its offset would pass the plain format, be stored, and then fail to serialize on every later read.
 */
export function registerFormats (): void {
  registerAjvFormats()
  const rfc3339 = Format.Get('date-time')
  Format.Set('date-time', (value: string) => {
    if (rfc3339 !== undefined && !rfc3339(value)) return false
    const ms = Date.parse(value)
    return !Number.isNaN(ms) && ms >= MIN_TIME && ms <= MAX_TIME
  })
  // A text that breaks its pattern is told so in words: the pattern is for programs (and the OpenAPI document).
  Locale.Set((error) => (error.keyword === 'pattern' && TEXT_PATTERN_MESSAGES[error.params.pattern as string]) || Locale.en_US(error))
}
