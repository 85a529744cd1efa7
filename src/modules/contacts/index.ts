import path from 'node:path';

export { registerContactPages } from './contacts.pages.ts';

/** Where this module's page templates live. */
export const contactsViews = [path.join(import.meta.dirname, 'views')];
