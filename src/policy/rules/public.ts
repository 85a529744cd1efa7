import { isStaff } from '../actors.ts';
import type { Rule } from '../rule.ts';

/** Pages anyone may open, signed in or not, and pages for any signed-in member of staff. */
export const publicRules = {
  /** Sign-in, first-run setup, invitations, password reset, health check and static assets. */
  public: { who: () => true },
  /** The signed-in person's own home page and account settings. */
  'account.self': { who: isStaff },
} satisfies Record<string, Rule<never>>;
