import { randomUUID } from 'node:crypto';
import type { Db } from '../database.ts';
import { feedAddress, newFeedToken } from '../modules/calendars/index.ts';

/** Who the demo's calendar feeds belong to: a facilitator and one group, and who made them. */
export type CalendarsCast = {
  organisationId: string;
  /** A member of staff who facilitates sessions (their own feed). */
  facilitatorId: string;
  /** A group whose public timetable gets a feed. */
  groupId: string;
  /** Who made the group's feed (someone who sets up groups, e.g. the service manager). */
  managerId: string;
};

/**
 * Gives the demo a live calendar feed for a facilitator and for a group, so a newcomer can open them
 * (or subscribe from Outlook) straight away. The tokens are random each time the demo is seeded, and
 * only their hashes are stored, as for a real feed: the addresses are returned for the operator's
 * terminal, never logged.
 *
 * @param tx - the demo's transaction.
 * @param cast - the organisation, the facilitator, the group and the manager.
 * @param now - the demo's "now".
 * @param publicUrl - the service's public address, for the returned addresses.
 * @returns the two feed addresses.
 */
export async function seedCalendars(
  tx: Db,
  cast: CalendarsCast,
  now: Date,
  publicUrl: string,
): Promise<{ facilitatorFeed: string; groupFeed: string }> {
  const staffToken = newFeedToken();
  const groupToken = newFeedToken();
  await tx
    .insertInto('calendar_feeds')
    .values([
      {
        id: randomUUID(),
        organisation_id: cast.organisationId,
        staff_id: cast.facilitatorId,
        group_id: null,
        token_hash: staffToken.tokenHash,
        created_at: now,
        created_by: cast.facilitatorId,
        revoked_at: null,
        revoked_by: null,
      },
      {
        id: randomUUID(),
        organisation_id: cast.organisationId,
        staff_id: null,
        group_id: cast.groupId,
        token_hash: groupToken.tokenHash,
        created_at: now,
        created_by: cast.managerId,
        revoked_at: null,
        revoked_by: null,
      },
    ])
    .execute();
  return {
    facilitatorFeed: feedAddress(publicUrl, 'staff', staffToken.token),
    groupFeed: feedAddress(publicUrl, 'group', groupToken.token),
  };
}
