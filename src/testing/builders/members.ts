import { randomUUID } from 'node:crypto';
import type { Db } from '../../database.ts';
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
