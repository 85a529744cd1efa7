import type { ReminderRecipient } from './reminders.repo.ts';

/** Where a reminder goes. */
export type ReminderChannel = { channel: 'email' | 'sms'; to: string };

/**
 * Chooses how to reach a member: by text when they chose text and have a phone, else by email when
 * they chose email and have an address; never by a channel whose consent is refused or withdrawn.
 *
 * @param member - their contact methods, details and consent.
 * @param only - a channel to keep to (a cancellation notice follows its reminder's channel).
 * @returns the channel and address, or undefined for no message.
 */
export function chooseChannel(
  member: ReminderRecipient,
  only?: 'email' | 'sms',
): ReminderChannel | undefined {
  if (only !== 'email' && member.contactMethods.includes('text') && member.phone && !member.textRefused) {
    return { channel: 'sms', to: member.phone };
  }
  if (only !== 'sms' && member.contactMethods.includes('email') && member.email && !member.emailRefused) {
    return { channel: 'email', to: member.email };
  }
  return undefined;
}
