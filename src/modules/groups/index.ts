import path from 'node:path';

export { registerGroupPages } from './groups.pages.ts';

/** Where this module's page templates live. */
export const groupsViews = [path.join(import.meta.dirname, 'views')];
export { registerAttendancePages } from './attendance.pages.ts';
