/** Calendar feeds and reminders. */
export const calendarRules = {};
