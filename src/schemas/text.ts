// What the registry takes as text, as JSON Schema patterns a client can check too: well-formed Unicode without control
// or bidirectional-override characters; one line for names, titles and labels, several lines for prose.

/**
 * Refused in any text: C0 controls but tab, LF and CR; DEL; C1 controls; the bidirectional embeddings and overrides
 * (U+202A–U+202E) and isolates (U+2066–U+2069), which make text read in another order than it is stored.
 */
const CONTROLS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069'
/** Refused on one line too: tab, LF, CR, and the line and paragraph separators. */
const BREAKS = '\\u0009\\u000A\\u000D\\u2028\\u2029'

/**
 * One character that is not refused: any but a surrogate, or a high surrogate followed by a low one. A lone surrogate
 * matches neither, with the u flag (JSON Schema's, Ajv's, TypeBox's) or without it (where a pair is two code units):
 * the same strings pass either way. SQLite would store a lone one as U+FFFD while the change log kept it.
 */
const allowed = (refused: string): string => `(?:[^${refused}\\uD800-\\uDFFF]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])`

/**
 * Any number of the characters, taken up to 1000 at a time, each run at once (a lookahead, then a backreference to
 * what it took). V8 keeps a backtrack entry per repetition of a group, and throws a RangeError past about 8 million:
 * a listing of errors runs the pattern on a text however far over its maxLength, and a bundle may carry millions
 * of characters. A run inside a lookahead leaves no entries behind, so a text costs one entry per 1000 characters.
 */
const runsOf = (character: string, group: number): string => `(?:(?=(${character}{1,1000}))\\${group})*`

/** White space and the zero-width characters. */
const BLANK = '\\s\\u200B-\\u200D\\u2060\\uFEFF'
/** Not blank: past the blank characters it starts with, one that is not. Takes capture group 1. */
const NOT_BLANK = `(?=${runsOf(`[${BLANK}]`, 1)}[^${BLANK}])`

/** Names, titles, labels: one line that is not blank. */
export const ONE_LINE_PATTERN = `^${NOT_BLANK}${runsOf(allowed(CONTROLS + BREAKS), 2)}$`
/** Descriptions, notes: any number of lines, tabs kept; may be empty. */
export const LINES_PATTERN = `^${runsOf(allowed(CONTROLS), 1)}$`
/** An outcome, a reason: any number of lines that are not all blank. */
export const STATEMENT_PATTERN = `^${NOT_BLANK}${runsOf(allowed(CONTROLS), 2)}$`

/** What a client is told when a text breaks its pattern: the pattern itself says it to a program, not to a person. */
export const TEXT_PATTERN_MESSAGES: Readonly<Record<string, string>> = {
  [ONE_LINE_PATTERN]: 'must be one line of text that is not blank: well-formed Unicode, without tabs, line breaks, control characters or bidirectional overrides',
  [LINES_PATTERN]: 'must be well-formed Unicode text, without control characters (tabs and line breaks aside) or bidirectional overrides',
  [STATEMENT_PATTERN]: 'must be text that is not blank: well-formed Unicode, without control characters (tabs and line breaks aside) or bidirectional overrides'
}
