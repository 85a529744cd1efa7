/** Bookings, waiting lists, registers and session notes. */
export const attendanceRules = {};
