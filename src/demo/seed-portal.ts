import type { Db } from '../database.ts';

/** Who the portal demo needs: the member records of the people being supported. */
export type PortalCast = { members: { ruth: string; kieran: string; peggy: string } };

/**
 * The demo's member portal: an email address (example.org, reserved for examples by RFC 2606) on the
 * records of the three people being supported, so a newcomer can sign in as a member at
 * /my-account/sign-in. Without an email server the code waits in the outbox, and
 * `npm run demo:member-code <address>` prints it (demo data only).
 *
 * @param tx - the demo's transaction.
 * @param cast - the members' ids.
 * @param now - the demo's time.
 * @returns lines for the terminal, saying how to sign in as a member.
 */
export async function seedPortal(tx: Db, cast: PortalCast, now: Date): Promise<string[]> {
  const emails = {
    ruth: 'ruth.member@example.org',
    kieran: 'kieran.member@example.org',
    peggy: 'peggy.member@example.org',
  } as const;
  for (const [who, email] of Object.entries(emails) as [keyof typeof emails, string][]) {
    await tx
      .updateTable('members')
      .set({ email, updated_at: now })
      .where('id', '=', cast.members[who])
      .where('email', 'is', null)
      .execute();
  }
  return [
    'To use the member portal as Ruth, open /my-account/sign-in and enter ruth.member@example.org.',
    'Without an email server, "npm run demo:member-code ruth.member@example.org" prints the code.',
  ];
}
