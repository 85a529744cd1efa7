import type { EmailTemplates } from '../../platform/outbox/outbox.ts';
import { formatDateTime } from '../../platform/views/filters/format-date.ts';

/**
 * The account emails. They name no person and carry no health information: an email can be read by
 * someone else on a shared device (reliability plan G6).
 *
 * @param serviceName - the service's name as configured.
 * @returns the templates by name.
 */
export function accountEmailTemplates(serviceName: string): EmailTemplates {
  return {
    'staff-invitation': (params) => ({
      subject: `You have been invited to ${serviceName}`,
      text: [
        `You have been invited to use ${serviceName}${params.organisationName ? ` as part of ${params.organisationName}` : ''}.`,
        '',
        'Use this link to choose your password and set up your authenticator app:',
        params.link ?? '',
        '',
        `The link works once, until ${formatDateTime(params.expires)}.`,
        'If you were not expecting this email, you can ignore it.',
      ].join('\n'),
    }),
    'password-reset': (params) => ({
      subject: `Reset your ${serviceName} password`,
      text: [
        'Someone asked to reset the password for your account.',
        '',
        'Use this link within 1 hour to choose a new password:',
        params.link ?? '',
        '',
        'You will still need your authenticator app to sign in.',
        'If you did not ask for this, you can ignore this email: your password has not changed.',
      ].join('\n'),
    }),
  };
}
