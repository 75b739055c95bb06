// HTML built safely by default: every value put into a template is escaped as text unless it is markup made here.
/** Markup this module made (or escaped); anything else put into a template is text. */
export class Markup {
  constructor (readonly value: string) {}
  toString (): string { return this.value }
}

type Part = Markup | string | number | null | undefined | false | readonly Part[]

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text as it may stand in an element or a quoted attribute: & < > " ' escaped. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!)

function render (part: Part): string {
  if (part instanceof Markup) return part.value
  if (Array.isArray(part)) return part.map(render).join('')
  if (part === null || part === undefined || part === false) return ''
  return escapeHtml(String(part))
}

/** A template whose interpolations are escaped (arrays joined; null, undefined and false left out). */
export function html (strings: TemplateStringsArray, ...parts: readonly Part[]): Markup {
  let out = strings[0]!
  parts.forEach((part, i) => { out += render(part) + strings[i + 1]! })
  return new Markup(out)
}

/** Markup from a trusted source (Graphviz's SVG, whose text it escapes itself). */
export const trusted = (markup: string): Markup => new Markup(markup)

/** "1 finding", "2 findings". */
export const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

