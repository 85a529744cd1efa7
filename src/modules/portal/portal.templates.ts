import type { MessageTemplates } from '../../platform/outbox/outbox.ts';

/** The names of the portal's messages, as the outbox stores them. */
export const PORTAL_TEMPLATES = {
  signInCodeEmail: 'member-sign-in-code',
  signInCodeText: 'member-sign-in-code',
} as const;

/**
 * The member sign-in messages. They name no one and say nothing about support or health, because a
 * message can be read by someone else on a shared device (reliability plan G6); they say that nobody
 * from the service asks for the code, and what to do if the member did not ask for it. The text
 * message carries the code only, short enough for one message.
 *
 * @param serviceName - the service's name as configured.
 * @returns the templates by channel, for the outbox's registry (registerTemplates in main.ts).
 */
export function portalTemplates(serviceName: string): Pick<MessageTemplates, 'email' | 'sms'> {
  return {
    email: {
      [PORTAL_TEMPLATES.signInCodeEmail]: (params) => ({
        subject: `Your ${serviceName} sign-in code`,
        text: [
          `Your code to sign in to ${serviceName} is ${params.code ?? ''}`,
          '',
          'Or use this link to sign in:',
          params.link ?? '',
          '',
          'The code and the link work once, for 10 minutes.',
          'Nobody from the service will ever ask you for this code.',
          'If you did not ask to sign in, you can ignore this email.',
        ].join('\n'),
      }),
    },
    sms: {
      [PORTAL_TEMPLATES.signInCodeText]: (params) =>
        `${params.code ?? ''} is your ${serviceName} sign-in code. It works once, for 10 minutes. Nobody from the service will ask you for it.`,
    },
  };
}
