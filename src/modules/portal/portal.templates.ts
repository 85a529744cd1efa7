import type { EmailTemplates } from '../../platform/outbox/outbox.ts';

/** The names of the portal's messages, as the outbox stores them. */
export const PORTAL_TEMPLATES = {
  signInCodeEmail: 'member-sign-in-code',
  signInCodeText: 'member-sign-in-code-sms',
} as const;

/**
 * The member sign-in email. It names no one and says nothing about support or health, because an
 * email can be read by someone else on a shared device (reliability plan G6); it says what to do if
 * the member did not ask for it.
 *
 * @param serviceName - the service's name as configured.
 * @returns the templates by name.
 */
export function portalEmailTemplates(serviceName: string): EmailTemplates {
  return {
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
  };
}

/**
 * The member sign-in text message: the code only, short enough for one message.
 *
 * @param serviceName - the service's name as configured.
 * @returns the text message templates by name.
 */
export function portalTextTemplates(
  serviceName: string,
): Readonly<Record<string, (params: Record<string, string>) => string>> {
  return {
    [PORTAL_TEMPLATES.signInCodeText]: (params) =>
      `${params.code ?? ''} is your ${serviceName} sign-in code. It works once, for 10 minutes. Nobody from the service will ask you for it.`,
  };
}
