/** One-to-one contacts and caseloads. */
export const contactRules = {};
