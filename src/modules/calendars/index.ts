import path from 'node:path';

export { registerCalendarPages } from './calendars.pages.ts';
export { feedAddress, newFeedToken } from './calendars.service.ts';

/** Where this module's page templates live. */
export const calendarsViews = [path.join(import.meta.dirname, 'views')];
