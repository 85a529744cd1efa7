/** The member portal: what a signed-in member may do with their own record. */
export const portalRules = {};
