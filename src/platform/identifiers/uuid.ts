/**
 * Record ids are UUIDs. A value from an address or a form that is not one is simply not found (or
 * not on the list), rather than an error from PostgreSQL's uuid type.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a value can be a record's id.
 *
 * @param value - the value.
 * @returns true for a UUID.
 */
export const isUuid = (value: string): boolean => UUID_PATTERN.test(value);
