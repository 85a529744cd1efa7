import { randomUUID } from 'node:crypto';
import type { Db } from '../../database.ts';
import {
  insertContact,
  insertNextStep,
  type NewContact,
  type NewNextStep,
} from '../../modules/contacts/contacts.repo.ts';

const BUILT_AT = new Date('2026-01-05T09:00:00Z');

/**
 * Builds a one-to-one contact that happened (a 45-minute peer support meeting in person on a fixed
 * day, with the recorder as its one worker and no notes) unless told otherwise.
 *
 * @param db - the test database.
 * @param overrides - anything to set; the organisation, member and recorder are required.
 * @returns the contact as written.
 */
export async function buildContact(
  db: Db,
  overrides: Partial<NewContact> & { organisationId: string; memberId: string; recordedBy: string },
): Promise<NewContact> {
  const contact: NewContact = {
    id: randomUUID(),
    episodeId: null,
    contactType: 'peer_support',
    mode: 'in_person',
    occurredAt: new Date('2026-02-20T11:00:00Z'),
    durationMinutes: 45,
    venueId: null,
    place: null,
    status: 'happened',
    notes: null,
    submissionKey: null,
    workerIds: [overrides.recordedBy],
    ...overrides,
  };
  await insertContact(db, contact, BUILT_AT);
  return contact;
}

/**
 * Builds an open next step on a contact, assigned to its creator unless told otherwise, with no date.
 *
 * @param db - the test database.
 * @param overrides - anything to set; the contact and creator are required.
 * @returns the next step as written.
 */
export async function buildNextStep(
  db: Db,
  overrides: Partial<NewNextStep> & { contactId: string; createdBy: string },
): Promise<NewNextStep> {
  const step: NewNextStep = {
    id: randomUUID(),
    description: 'Send the leaflet about the walking group',
    assignedTo: overrides.createdBy,
    dueOn: null,
    ...overrides,
  };
  await insertNextStep(db, step, BUILT_AT);
  return step;
}
