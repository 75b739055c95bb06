// The ?q= of the people, domains and initiatives lists (src/store/search.ts).
import Type from 'typebox'

/** q at most this long: a 400 naming q beyond it. */
export const MAX_SEARCH_LENGTH = 200

export const SearchQuery = (fields: string, example: string) => ({
  q: Type.Optional(Type.String({
    minLength: 1,
    maxLength: MAX_SEARCH_LENGTH,
    description: `Search: the records whose ${fields} hold, for each word of q, a word starting with it, whatever the ` +
      'case and accents ("jose" finds "José", "mar" finds "Mark"). Best match first, ties by id; paged like the list, ' +
      'combined with its other filters, and answered as of ?at= by the records as they were then. Anything but letters ' +
      'and digits separates words; a q without a letter or digit, or of more than 8 words, is a 400 naming q',
    examples: [example]
  }))
})
