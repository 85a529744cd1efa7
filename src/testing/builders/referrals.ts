import { randomUUID } from 'node:crypto';
import type { Db } from '../../database.ts';
import { insertReferral, type NewReferral } from '../../modules/referrals/referrals.repo.ts';

/**
 * Builds a self-referral with synthetic answers, received on Monday 2 March 2026 and due for first
 * contact by Monday 9 March (5 working days), unless the overrides say otherwise.
 *
 * @param db - the test database.
 * @param overrides - anything to set; `organisationId` is the organisation that holds it.
 * @returns the referral as written.
 */
export async function buildReferral(
  db: Db,
  overrides: Partial<NewReferral> & { organisationId: string },
): Promise<NewReferral> {
  const referral: NewReferral = {
    id: randomUUID(),
    reference: 'RTESTAB23',
    serviceId: null,
    source: 'self',
    receivedAt: new Date('2026-03-02T09:00:00Z'),
    firstContactDue: '2026-03-09',
    name: 'Jordan Referred',
    preferredName: null,
    email: null,
    phone: '07700 900123',
    postalAddress: null,
    contactMethods: ['phone'],
    safeToLeaveMessage: true,
    bestTimes: null,
    communicationNeeds: [],
    preferredLanguage: null,
    communicationNeedsOther: null,
    nhsNumber: null,
    gpPractice: null,
    ownWords: 'I have been feeling low.',
    hopes: 'Someone to talk to.',
    consentToReferral: true,
    consentToContact: true,
    submissionKey: null,
    dateOfBirth: null,
    postcode: null,
    referrerName: null,
    referrerRole: null,
    referrerOrganisation: null,
    referrerEmail: null,
    referrerPhone: null,
    safetyInformation: null,
    ...overrides,
  };
  await insertReferral(db, referral);
  return referral;
}
