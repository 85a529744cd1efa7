/** The tables this part of the product owns, as Kysely sees them. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in as the tables arrive
export interface ContactsTables {}
