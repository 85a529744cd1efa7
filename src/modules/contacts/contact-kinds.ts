import type { ContactMode, ContactStatus, ContactType } from './contacts.tables.ts';

/**
 * The words a worker sees for each kind of contact, how it was made and what became of it. The
 * kinds are the ones the services' one-to-one support is made of (shared/DESIGN.md section 1 and
 * issue 4: welcome conversations, peer support, check-in calls, crisis support, accompanied
 * appointments, follow-up after non-attendance and signposting).
 */
export const CONTACT_TYPES: Record<ContactType, string> = {
  welcome_conversation: 'Welcome conversation',
  peer_support: 'Peer support',
  check_in_call: 'Check-in call',
  crisis_support: 'Crisis support',
  accompanied_appointment: 'Accompanied appointment',
  follow_up_after_non_attendance: 'Follow-up after not attending',
  signposting_conversation: 'Signposting conversation',
};

export const CONTACT_MODES: Record<ContactMode, string> = {
  in_person: 'In person',
  phone: 'Phone call',
  video: 'Video call',
  text: 'Text message',
  email: 'Email',
};

export const CONTACT_STATUSES: Record<ContactStatus, string> = {
  planned: 'Planned',
  happened: 'Happened',
  did_not_happen: 'Did not happen',
};

export const isContactType = (value: string): value is ContactType => Object.hasOwn(CONTACT_TYPES, value);
export const isContactMode = (value: string): value is ContactMode => Object.hasOwn(CONTACT_MODES, value);
