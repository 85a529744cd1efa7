import path from 'node:path';

export { registerPlanPages } from './plans.pages.ts';
export { listMemberNotices } from './plans.service.ts';

/** Where this module's page templates live. */
export const plansViews = [path.join(import.meta.dirname, 'views')];
