import { randomUUID } from 'node:crypto';
import type { Db } from '../../database.ts';
import { insertEpisode, type NewEpisode } from '../../modules/members/episodes.repo.ts';
import { insertMember, type NewMember } from '../../modules/members/members.repo.ts';

const BUILT_AT = new Date('2026-01-05T09:00:00Z');

/**
 * Builds a member with synthetic details, held by the given organisation.
 *
 * @param db - the test database.
 * @param overrides - anything to set; `organisationId` is the organisation that holds the record.
 * @returns the member as written.
 */
export async function buildMember(
  db: Db,
  overrides: Partial<NewMember> & { organisationId: string },
): Promise<NewMember> {
  const member: NewMember = {
    id: randomUUID(),
    legalName: 'Morgan Example',
    preferredName: null,
    pronouns: null,
    dateOfBirth: '1990-04-12',
    email: null,
    phone: null,
    postalAddress: null,
    postcode: null,
    nhsNumber: null,
    gpPractice: null,
    contactMethods: ['phone'],
    safeToLeaveMessage: true,
    bestTimes: null,
    communicationNeeds: [],
    preferredLanguage: null,
    communicationNeedsOther: null,
    ...overrides,
  };
  await insertMember(db, member, BUILT_AT);
  return member;
}

/**
 * Builds an active episode of support for a member, started on a fixed day unless given, with no
 * service, anticipated end, review date or key workers unless given.
 *
 * @param db - the test database.
 * @param overrides - anything to set; `memberId` and `organisationId` are required.
 * @returns the episode as written.
 */
export async function buildEpisode(
  db: Db,
  overrides: Partial<NewEpisode> & { memberId: string; organisationId: string },
): Promise<NewEpisode> {
  const episode: NewEpisode = {
    id: randomUUID(),
    serviceId: null,
    startedOn: '2026-01-05',
    anticipatedEndOn: null,
    reviewOn: null,
    keyWorkerIds: [],
    ...overrides,
  };
  await insertEpisode(db, episode, BUILT_AT);
  return episode;
}
